"""Tornado swings come from re-running the engine with one input moved."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from engine_fixtures import acme, two_way

from costmodel.engine.evaluate import evaluate
from costmodel.engine.sensitivity import tornado
from costmodel.errors import CostModelError
from costmodel.report.wording import input_label


def test_training_examples_swing_is_hand_computable():
    # examples 1,000 → 750 / 1,250: training 750 × 500 × 3 = 1.125M tok × $5 × 2 runs = $11.25,
    # 1,250 → $18.75; per-request saving 0.0032 − 0.00048 = 0.00272 over 12 months
    frame = _labelled(tornado(two_way(), acme()))
    row = frame.loc["Training examples (challenger)"]
    assert row["breakeven_low"] == pytest.approx(11.25 / (0.00272 * 12))
    assert row["breakeven_high"] == pytest.approx(18.75 / (0.00272 * 12))
    assert row["baseline_breakeven"] == pytest.approx(15 / (0.00272 * 12))


def test_sorted_by_swing_and_unchanged_inputs_last_not_dropped():
    frame = tornado(two_way(), acme())
    swings = frame["swing"].to_numpy()
    assert (swings[:-1] >= swings[1:]).all()
    # nocache has no cached price: the hit rate cannot move the result, and the
    # volume never moves a break-even; both are listed with a swing of 0
    still = frame[frame["swing"] == 0]
    assert {("cache_hit_rate", "baseline"), ("volume", "workload")} <= set(
        zip(still["input"], still["side"], strict=True)
    )


def test_never_variants_are_nan_not_inf():
    frame = tornado(two_way(base="acme/small", ft="acme/big"), acme())
    assert frame.empty or frame[["breakeven_low", "breakeven_high"]].isna().all().all()
    assert not any(math.isinf(v) for v in frame["breakeven_low"].dropna())


def test_step_must_be_a_fraction():
    with pytest.raises(CostModelError):
        tornado(two_way(), acme(), delta=1.5)


def test_training_price_swing_goes_through_the_price_multiplier():
    # $5/M → $3.75 / $6.25: 1.5M tokens × 2 runs = $11.25 / $18.75 of training
    row = _labelled(tornado(two_way(), acme())).loc["Training price (challenger)"]
    assert row["breakeven_low"] == pytest.approx(11.25 / (0.00272 * 12))
    assert row["breakeven_high"] == pytest.approx(18.75 / (0.00272 * 12))


def test_static_prefix_moves_with_the_prompt_around_it():
    # big: 3,000-token prompt with a 2,000-token prefix; −25 % prefix → 1,500 prefix,
    # 2,500 prompt: 1,000 × $2 + 0.8 × 1,500 × $0.5 + 0.2 × 1,500 × $2 + 100 × $8 = $0.0040
    # tuned small $0.00048; horizon 7 months (big retires 2027-06-01); training $15
    frame = _labelled(tornado(two_way(base="acme/big"), acme()))
    row = frame.loc["Static prompt prefix (baseline)"]
    assert row["breakeven_low"] == pytest.approx(15 / ((0.0040 - 0.00048) * 7))


def _labelled(frame):
    """The tornado indexed by the labels the dashboard shows."""
    labels = [
        input_label(code, side) for code, side in zip(frame["input"], frame["side"], strict=True)
    ]
    return frame.set_index(pd.Index(labels))


def test_two_fine_tuned_strategies_move_their_own_inputs():
    # a fine-tune of big (baseline) against a fine-tune of small (challenger): each side's
    # training inputs under its own role, no duplicates
    sc = two_way(ft="acme/small")
    tuned = sc.strategies[1]
    other = tuned.model_copy(update={"name": "tuned-2", "model": "acme/big"})
    bigger = tuned.training.model_copy(update={"examples": 200_000})
    tuned = tuned.model_copy(update={"training": bigger})  # dearer up front: a break-even
    both = sc.model_copy(update={"strategies": (other, tuned)})
    assert evaluate(both, acme()).primary.breakeven.status == "breaks_even"
    frame = tornado(both, acme())
    labels = [input_label(c, s) for c, s in zip(frame["input"], frame["side"], strict=True)]
    assert len(labels) == len(set(labels))
    assert {"baseline", "challenger"} <= set(frame["side"])
    assert "Training examples (baseline)" in labels


def test_every_input_is_in_the_tornado():
    # a hosted fine-tune with retraining, and one on dedicated GPUs: prices, hosting, GPU
    # price, throughput, utilisation, growth, horizon and volume all have a bar
    hosted = tornado(two_way(ft="acme/hosted-ft", training=RETRAINING), acme())
    gpu = tornado(two_way(ft="acme/gpu-ft"), acme())
    inputs = set(hosted["input"]) | set(gpu["input"])
    assert {
        "inference_price",
        "training_price",
        "hosting_price",
        "gpu_price",
        "gpu_throughput",
        "gpu_utilization",
        "monthly_growth",
        "horizon",
        "volume",
        "retrain_interval",
    } <= inputs


RETRAINING = {"examples": 1000, "tokens_per_example": 500, "epochs": 3, "runs": 2,
              "retrain_every_months": 6}  # fmt: skip


def test_hosting_dominates_a_hosted_fine_tune_and_is_hand_computable():
    # hosted-ft: $2.00/h × 730 h = $1,460 a month; ±25 % → $1,095 / $1,825 a month.
    # Per-request saving 0.0032 − 0.00024 = 0.00296 over 12 months = 0.03552; training $15,
    # one retraining (month 7) of $7.50 → A = 22.5 + 12 × hosting:
    #   low  V* = (22.5 + 13,140) / 0.03552 = 370,566.4…
    #   high V* = (22.5 + 21,900) / 0.03552 = 617,187.5
    frame = _labelled(tornado(two_way(ft="acme/hosted-ft", training=RETRAINING), acme()))
    row = frame.loc["Hosting fee per hour (challenger)"]
    assert (row["value_low"], row["value_high"]) == (0.75, 1.25)
    assert row["breakeven_low"] == pytest.approx((22.5 + 13_140) / 0.03552)
    assert row["breakeven_high"] == pytest.approx((22.5 + 21_900) / 0.03552)
    assert row["swing"] > 100 * frame.loc["Training examples (challenger)"]["swing"]


def test_tested_values_and_clipping_are_reported():
    # acme/big caches: hit rate 0.8 → 0.6 / 1.0 (0.8 × 1.25 = 1.0 exactly: not clipped);
    # failure rate 0 → 0 / 0 (nothing to move)
    frame = _labelled(tornado(two_way(base="acme/big"), acme()))
    hit = frame.loc["Cache-hit rate (baseline)"]
    assert (hit["value_low"], hit["value_high"]) == (pytest.approx(0.6), 1.0)
    assert not hit["clipped_high"]
    data = two_way(base="acme/big").model_dump(mode="json")
    data["strategies"][0]["cache"]["hit_rate"] = 0.9
    from costmodel.scenario import scenario_from_dict

    clipped = _labelled(tornado(scenario_from_dict(data), acme())).loc["Cache-hit rate (baseline)"]
    # 0.9 × 1.25 = 1.125 → 1.0, clipped; 0.9 × 0.75 = 0.675
    assert (clipped["value_low"], clipped["value_high"]) == (pytest.approx(0.675), 1.0)
    assert clipped["clipped_high"] and not clipped["clipped_low"]


def test_a_cliff_is_named():
    # acme/big caches from 1,024 tokens: a 1,100-token prefix − 25 % = 825 tokens falls below
    # the minimum, so the low variant loses caching: a cliff the engine notes
    frame = _labelled(
        tornado(
            two_way(
                base="acme/big",
                base_tokens={
                    "prompt_tokens": 3000,
                    "cacheable_prefix_tokens": 1100,
                    "output_tokens": 100,
                },
            ),
            acme(),
        )
    )
    row = frame.loc["Static prompt prefix (baseline)"]
    assert "prefix_below_cache_minimum" in row["cliff_low"].split(",")
    assert row["cliff_high"] == ""


def test_swing_on_savings_at_the_volume():
    # at 100,000 a month the saving is 0.00272 × 100,000 × 12 − 15 = $3,249; the volume ±25 %
    # moves it by 0.00272 × 25,000 × 12 = $816 either way
    frame = _labelled(tornado(two_way(), acme(), metric="savings"))
    row = frame.loc["Requests per month"]
    assert row["baseline_savings"] == pytest.approx(3249.0)
    assert row["savings_low"] == pytest.approx(3249.0 - 816.0)
    assert row["savings_high"] == pytest.approx(3249.0 + 816.0)
    assert row["swing"] == pytest.approx(816.0)
