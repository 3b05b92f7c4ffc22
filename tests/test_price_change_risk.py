"""A price a provider may change within the horizon: format, draws and hand-computed cases."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from engine_fixtures import FIXTURE_PRICING, two_way

from costmodel.demo import demo_scenario
from costmodel.engine.evaluate import evaluate
from costmodel.engine.simulation import simulate
from costmodel.errors import ScenarioError
from costmodel.prices.catalog import load_catalog
from costmodel.scenario import (
    Scenario,
    dump_scenario,
    parse_scenario,
    scenario_from_dict,
    scenario_to_dict,
)

CAT = load_catalog([FIXTURE_PRICING])
HOSTED_PLAN = {
    "examples": 1000,
    "tokens_per_example": 500,
    "epochs": 3,
    "runs": 2,
    "retrain_every_months": 4,
}


def with_changes(scenario: Scenario, *changes: dict[str, Any], **extra: Any) -> Scenario:
    data = scenario_to_dict(scenario) | extra
    data["possible_price_changes"] = list(changes)
    return scenario_from_dict(data)


def change(**given: Any) -> dict[str, Any]:
    return {"strategy": "prompt", "price": "input", "factor": 0.5, "month": 7} | given


def same_simulation(a, b) -> None:
    for name in ("status", "reason", "breakeven", "baseline_total", "challenger_total"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    np.testing.assert_array_equal(a.payback_month, b.payback_month)
    np.testing.assert_array_equal(a.cumulative_a, b.cumulative_a)
    np.testing.assert_array_equal(a.cumulative_b, b.cumulative_b)


# ------------------------------------------------------------------ the format


def test_a_change_round_trips_through_the_file():
    scenario = with_changes(
        two_way(),
        change(factor={"low": 0.5, "high": 1.0}, month={"low": 4, "high": 9}, probability=0.3),
        change(strategy="tuned", price="training", factor=1.2, month=1, probability=1),
    )
    text = dump_scenario(scenario)
    assert "factor:\n    low: 0.5\n    high: 1.0" in text
    assert parse_scenario(text) == scenario
    assert scenario.possible_price_changes[1].month == 1


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"probability": 1.5}, "possible_price_changes.0.probability: Input should be less than"),
        ({"probability": -0.1}, "possible_price_changes.0.probability: Input should be greater"),
        ({"month": 13}, "possible_price_changes.0.month: 13 is after the horizon's last month"),
        ({"month": {"low": 3, "high": 14}}, "possible_price_changes.0.month: 14 is after"),
        ({"month": 0}, "possible_price_changes.0.month: months are whole numbers from 1"),
        ({"month": 2.5}, "possible_price_changes.0.month: months are whole numbers from 1"),
        ({"price": "gpu_price"}, "possible_price_changes.0.price: Input should be 'input'"),
        ({"strategy": "nope"}, "possible_price_changes.0.strategy: 'nope' is not a strategy"),
        ({"price": "hosting"}, "possible_price_changes.0.price: 'prompt' is not fine-tuned"),
        ({"factor": -1}, "possible_price_changes.0.factor: a price factor must be above 0"),
        ({"factor": {"low": 0, "high": 1}}, "possible_price_changes.0.factor: a price factor"),
        ({"factor": "half"}, "possible_price_changes.0.factor: a price factor is a number or"),
        ({"factor": {"dist": "normal", "mean": 1, "sd": 0.2}}, "could draw a negative price"),
        ({"when": 3}, "possible_price_changes.0.when: is not a known field"),
    ],
)
def test_bad_changes_are_refused_naming_the_field(given, message):
    data = scenario_to_dict(two_way())
    data["possible_price_changes"] = [change(probability=0.5) | given]
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data)
    assert message in str(err.value)
    assert str(err.value).count("possible_price_changes") == 1


def test_a_month_may_reach_the_end_of_a_ranged_horizon():
    data = scenario_to_dict(two_way())
    data["horizon_months"] = {"low": 12, "high": 18}
    data["possible_price_changes"] = [change(month=16, probability=0.5)]
    assert scenario_from_dict(data).possible_price_changes[0].month == 16


def test_the_point_estimate_keeps_todays_prices():
    plain = evaluate(two_way(), CAT)
    changed = evaluate(with_changes(two_way(), change(probability=1)), CAT)
    assert changed.primary.payback == plain.primary.payback


# ------------------------------------------------------------ collapsing cases


def test_probability_zero_is_exactly_the_answer_without_the_change():
    ranged = {"workload": {"requests_per_month": {"low": 1_000, "high": 200_000}}}
    scenario = with_changes(two_way(), **ranged)
    unsure = with_changes(
        two_way(),
        change(factor={"low": 0.2, "high": 3}, month={"low": 2, "high": 12}, probability=0),
        change(strategy="tuned", price="output", factor=2, month=3, probability=0),
        **ranged,
    )
    without = simulate(scenario, CAT, draws=500, seed=4)
    with_p0 = simulate(unsure, CAT, draws=500, seed=4)
    same_simulation(with_p0, without)
    assert [n for _, n in with_p0.price_changes] == [0, 0]


def test_probability_zero_on_the_demo_equals_the_point_estimate():
    demo = demo_scenario()
    base = demo.strategies[0].name
    spread = {"low": 0.5, "high": 1.5}
    unsure = with_changes(demo, change(strategy=base, factor=spread, month=3, probability=0))
    point = evaluate(demo, load_catalog()).primary
    sim = simulate(unsure, load_catalog(), draws=40, seed=2)
    np.testing.assert_array_equal(sim.baseline_total, point.payback.baseline_total_usd)
    np.testing.assert_array_equal(sim.challenger_total, point.payback.challenger_total_usd)
    np.testing.assert_array_equal(sim.breakeven, point.breakeven.requests_per_month)


def test_certain_input_price_cut_matches_hand_arithmetic_and_the_catalog_change():
    # Golden fixture, 12 months from 2026-11-01 at 100,000 requests a month, no growth.
    # Baseline (acme/nocache, $1 in / $2 out per 1M, no caching): 3,000 in + 100 out
    #   = 3,000·1 + 100·2 = $0.0032 a request; input ×0.5 from month 7:
    #   3,000·0.5 + 100·2 = $0.0017 a request.
    # Challenger (acme/small fine-tuned, $0.8 / $3.2): 200·0.8 + 100·3.2 = $0.00048;
    #   two training runs of 1.5M tokens × $5 = $15 up front.
    # Baseline total: 6 × 100,000 × 0.0032 + 6 × 100,000 × 0.0017 = 1,920 + 1,020 = $2,940.
    # Challenger total: 12 × 100,000 × 0.00048 + 15 = $591.
    # Break-even: 15 / (6 × (0.0032 − 0.00048) + 6 × (0.0017 − 0.00048)) = 15 / 0.02364
    #   = 634.5177… requests a month; month 1 already pays back (320 against 48 + 15).
    sim = simulate(with_changes(two_way(), change(probability=1)), CAT, draws=30, seed=9)
    np.testing.assert_allclose(sim.baseline_total, 2_940.0, rtol=1e-12)
    np.testing.assert_allclose(sim.challenger_total, 591.0, rtol=1e-12)
    np.testing.assert_allclose(sim.breakeven, 15 / 0.02364, rtol=1e-12)
    np.testing.assert_array_equal(sim.payback_month, 1)
    assert sim.price_changes[0][1] == 30
    # The same change written as a dated catalog price (2027-05-01 is month 7) agrees.
    dated = scenario_to_dict(two_way())
    dated["price_overrides"] = {
        "acme/nocache": {
            "inference": {
                "price_changes": [
                    {"starts": "2027-05-01", "input_usd_per_mtok": 0.5, "output_usd_per_mtok": 2}
                ]
            }
        }
    }
    main = evaluate(scenario_from_dict(dated), CAT).primary
    np.testing.assert_allclose(sim.baseline_total, main.payback.baseline_total_usd, rtol=1e-12)
    np.testing.assert_allclose(sim.breakeven, main.breakeven.requests_per_month, rtol=1e-12)


def test_certain_hosting_cut_matches_hand_arithmetic():
    # acme/hosted-ft: $2 an hour × 730 h = $1,460 a month; ×0.5 from month 4:
    #   3 × 1,460 + 9 × 730 = 4,380 + 6,570 = $10,950 instead of 12 × 1,460 = $17,520.
    # Calls at Acme Small's base prices: 200·0.4 + 100·1.6 = $0.00024 × 100,000 × 12 = $288;
    # training $15 up front, retrainings in months 5 and 9 at $7.50 each.
    # Challenger total: 288 + 15 + 15 + 10,950 = $11,268 (17,838 without the cut).
    # Month by month: 24 + 15 + 1,460 = 1,499; + 1,484 = 2,983; + 1,484 = 4,467; + 754 = 5,221.
    scenario = two_way(ft="acme/hosted-ft", training=HOSTED_PLAN)
    cut = change(strategy="tuned", price="hosting", month=4, probability=1)
    sim = simulate(with_changes(scenario, cut), CAT, draws=10, seed=1)
    np.testing.assert_allclose(sim.challenger_total, 11_268.0, rtol=1e-12)
    np.testing.assert_allclose(sim.cumulative_b[0, :4], [1_499.0, 2_983.0, 4_467.0, 5_221.0])


@pytest.mark.parametrize(
    ("month", "extra"),
    [
        # ×2 from month 6: only the retraining of month 9 doubles: + $7.50.
        (6, 7.5),
        # ×2 from month 5: both retrainings (months 5 and 9) double: + $15.
        (5, 15.0),
        # ×2 from month 1: the two first runs ($15) and both retrainings ($15): + $30.
        (1, 30.0),
    ],
)
def test_certain_training_price_rise_matches_hand_arithmetic(month, extra):
    # Without the rise the hosted challenger costs $17,838 (see the hosting case).
    scenario = two_way(ft="acme/hosted-ft", training=HOSTED_PLAN)
    rise = change(strategy="tuned", price="training", factor=2, month=month, probability=1)
    sim = simulate(with_changes(scenario, rise), CAT, draws=10, seed=1)
    np.testing.assert_allclose(sim.challenger_total, 17_838.0 + extra, rtol=1e-12)


def test_certain_gpu_price_cut_matches_hand_arithmetic():
    # acme/gpu-ft: $10 a GPU-hour × 730 h = $7,300 a month. 100,000 requests of 300 tokens
    # = 30M tokens a month, far below one GPU's 2,000 tokens/s × 3,600 × 730 × 0.5
    # = 2,628M, so one GPU (the minimum) all year. ×0.8 from month 4:
    #   3 × 7,300 + 9 × 5,840 = 21,900 + 52,560 = $74,460 instead of 12 × 7,300 = $87,600.
    # Storage $2 × 12 = $24; two training runs of 1.5M tokens × $1 = $3.
    # Challenger total: 74,460 + 24 + 3 = $74,487 (87,627 without the cut).
    scenario = two_way(ft="acme/gpu-ft")
    unchanged = simulate(scenario, CAT, draws=5, seed=1)
    np.testing.assert_allclose(unchanged.challenger_total, 87_627.0, rtol=1e-12)
    cut = change(strategy="tuned", price="gpu", factor=0.8, month=4, probability=1)
    sim = simulate(with_changes(scenario, cut), CAT, draws=5, seed=1)
    np.testing.assert_allclose(sim.challenger_total, 74_487.0, rtol=1e-12)
    # the break-even is read off the same totals: the baseline's $0.0032 a request must
    # cover the challenger's $74,487 over 12 months: V* = 74,487 / (12 × 0.0032) = 1,939,765.6
    np.testing.assert_allclose(sim.breakeven, 74_487.0 / 0.0384, rtol=1e-9)


# ------------------------------------------------------------------ the draws


def test_each_draw_decides_whether_when_and_how_much():
    # p = 0.3 in 8,000 draws: the count is within 4 binomial standard errors of 2,400;
    # the month is uniform on 2..5, so each month holds about a quarter of the changes.
    draws, p = 8_000, 0.3
    unsure = change(factor={"low": 0.5, "high": 1.0}, month={"low": 2, "high": 5}, probability=p)
    sim = simulate(with_changes(two_way(), unsure), CAT, draws=draws, seed=5)
    changed = sim.price_changes[0][1]
    assert abs(changed - draws * p) < 4 * math.sqrt(draws * p * (1 - p))
    untouched = np.isclose(sim.baseline_total, 3_840.0, rtol=1e-12)  # 12 × 100,000 × 0.0032
    assert int(np.count_nonzero(~untouched)) == changed
    cheaper = sim.baseline_total[~untouched]
    # An input price ×0.5–×1.0 from month 2–5 saves at most 11 months × 100,000 × $0.0015.
    assert cheaper.min() >= 3_840.0 - 11 * 150.0 - 1e-9 and cheaper.max() < 3_840.0
    first = sim.cumulative_a[~untouched, :] < np.arange(1, 13) * 320.0 - 1e-9
    months = np.argmax(first, axis=1) + 1
    shares = np.bincount(months, minlength=6)[2:6] / changed
    assert np.all(np.abs(shares - 0.25) < 4 * math.sqrt(0.25 * 0.75 / changed))


def test_same_seed_same_draws_and_counts():
    unsure = change(factor={"low": 0.3, "high": 1.0}, month={"low": 2, "high": 9}, probability=0.4)
    scenario = with_changes(two_way(), unsure)
    one, two = (simulate(scenario, CAT, draws=300, seed=8) for _ in range(2))
    same_simulation(one, two)
    assert one.price_changes == two.price_changes
    other = simulate(scenario, CAT, draws=300, seed=9)
    assert not np.array_equal(other.baseline_total, one.baseline_total)


def test_a_change_after_a_drawn_horizon_is_not_counted():
    # The horizon is 6 or 12 months (low/high, rounded), the change from month 10: only
    # draws with 12 months see it.
    data = scenario_to_dict(two_way())
    data["horizon_months"] = {"low": 6, "high": 12}
    data["possible_price_changes"] = [change(month=10, probability=1)]
    sim = simulate(scenario_from_dict(data), CAT, draws=400, seed=3)
    assert sim.price_changes[0][1] == int(np.count_nonzero(sim.months >= 10))


def test_a_ranged_horizon_bills_each_draw_over_its_own_months():
    # Input price ×0.5 from month 7 (certain); the baseline bills $320 a month before it
    # and $170 from it (100,000 × $0.0032 and × $0.0017): 6 months → 1,920;
    # 9 months → 1,920 + 3 × 170 = 2,430; 12 months → 1,920 + 6 × 170 = 2,940.
    data = scenario_to_dict(two_way())
    data["horizon_months"] = {"low": 6, "high": 12}
    data["possible_price_changes"] = [change(month=7, probability=1)]
    sim = simulate(scenario_from_dict(data), CAT, draws=400, seed=3)
    want = 1_920.0 + np.maximum(sim.months - 6, 0) * 170.0
    np.testing.assert_allclose(sim.baseline_total, want, rtol=1e-12)
    assert {6, 9, 12} <= set(sim.months.tolist())


# --------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("scenario", "given", "message"),
    [
        (
            two_way(ft="acme/small"),
            {"strategy": "tuned", "price": "hosting"},
            "possible_price_changes.0.price: 'tuned' has no hosting fee",
        ),
        (
            two_way(),
            {"price": "cached_input"},
            "possible_price_changes.0.price: 'prompt' has no cached input price",
        ),
        (
            two_way(ft="acme/gpu-ft"),
            {"strategy": "tuned", "price": "output"},
            "'tuned' has no per-token prices (it is billed by the GPU hour)",
        ),
        (
            two_way(ft="acme/hosted-ft"),
            {"strategy": "tuned", "price": "gpu"},
            "possible_price_changes.0.price: 'tuned' is not served on dedicated GPUs",
        ),
    ],
)
def test_a_change_of_a_price_the_strategy_lacks_is_refused(scenario, given, message):
    unsure = with_changes(scenario, change(probability=0.5) | given)
    with pytest.raises(ScenarioError, match=message.replace("(", r"\(").replace(")", r"\)")):
        simulate(unsure, CAT, draws=10, seed=0)


def test_a_change_outside_the_simulated_pair_is_refused():
    demo = demo_scenario()
    third = demo.strategies[2].name
    unsure = with_changes(demo, change(strategy=third, price="training", month=2, probability=1))
    with pytest.raises(
        ScenarioError, match=r"possible_price_changes\.0\.strategy: .* is not in the"
    ):
        simulate(unsure, load_catalog(), draws=10, seed=0)
