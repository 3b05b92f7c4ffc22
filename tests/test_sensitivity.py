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


def test_sorted_by_swing_and_unchanged_inputs_dropped():
    frame = tornado(two_way(), acme())
    swings = frame["swing"].to_numpy()
    assert (swings[:-1] >= swings[1:]).all()
    assert (swings > 0).all()
    # nocache has no cached price: hit rate and prefix cannot move the result
    assert "cache_hit_rate" not in set(frame["input"])


def test_never_variants_are_nan_not_inf():
    frame = tornado(two_way(base="acme/small", ft="acme/big"), acme())
    assert frame.empty or frame[["breakeven_low", "breakeven_high"]].isna().all().all()
    assert not any(math.isinf(v) for v in frame["breakeven_low"].dropna())


def test_step_must_be_a_fraction():
    with pytest.raises(CostModelError):
        tornado(two_way(), acme(), delta=1.5)


def test_training_price_swing_goes_through_a_price_override():
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
