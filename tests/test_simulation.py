"""The simulation: collapsed ranges reproduce the point estimate, draws converge, hand cases."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from engine_fixtures import FIXTURE_PRICING, two_way

from costmodel.demo import demo_scenario
from costmodel.engine.comparison import Sides, Status
from costmodel.engine.evaluate import evaluate
from costmodel.engine.simulation import (
    NoteRows,
    TokenDraws,
    bootstrap_means,
    draw_inputs,
    draw_sides,
    draw_spread,
    simulate,
)
from costmodel.errors import ScenarioError
from costmodel.prices.catalog import load_catalog
from costmodel.scenario import Scenario, scenario_from_dict, scenario_to_dict
from costmodel.uncertain import Spread, get_path, rangeable_paths, set_path

MECH = Path(__file__).parent / "fixtures" / "pricing_mechanics"
CAT = load_catalog([FIXTURE_PRICING, MECH])
TODAY = dt.date(2026, 12, 1)


def with_ranges(scenario: Scenario, ranges: dict[str, Any]) -> Scenario:
    data = scenario_to_dict(scenario)
    for path, spec in ranges.items():
        set_path(data, path, spec)
    return scenario_from_dict(data)


def collapsed(scenario: Scenario) -> Scenario:
    """Every numeric input of the main pair written as a range whose ends meet."""
    data = scenario_to_dict(scenario)
    pair = {f"strategies.{i}." for i in scenario.main_pair}
    ranges = {}
    for path in rangeable_paths(data):
        value = get_path(data, path)
        on_pair = not path.startswith("strategies.") or any(path.startswith(p) for p in pair)
        if on_pair and isinstance(value, int | float) and not isinstance(value, bool):
            ranges[path] = {"low": value, "likely": value, "high": value}
    return with_ranges(scenario, ranges)


def _cases() -> dict[str, tuple[Scenario, Any]]:
    demo = demo_scenario()
    real = load_catalog()
    gpu = demo.model_copy(update={"challenger": demo.strategies[2].name})
    return {
        "demo": (demo, real),
        "demo dedicated GPU": (gpu, real),
        "golden": (two_way(growth=0.03), CAT),
        "hosted, retraining, review": (
            two_way(
                ft="acme/hosted-ft",
                training={
                    "examples": 900,
                    "tokens_per_example": 400,
                    "epochs": "auto",
                    "runs": 3,
                    "retrain_every_months": 4,
                    "data_prep_usd_per_example": 0.3,
                    "eval_usd_per_run": 20,
                },
                extra={"horizon_months": 18},
            ),
            CAT,
        ),
        "batch, long context, write premium": (_writer(), CAT),
        "dated price change": (two_way(base="mech/doubler", volume=1000, months=5), CAT),
    }


def _writer() -> Scenario:
    scenario = two_way(
        base="acme/writer",
        ft="acme/gpu-ft",
        base_tokens={
            "prompt_tokens": 150_000,
            "cacheable_prefix_tokens": 120_000,
            "output_tokens": 700,
        },
        volume=30_000,
    )
    data = scenario_to_dict(scenario)
    data["strategies"][0]["batch_share"] = 0.3
    data["strategies"][0]["failure"] = {"rate": 0.1, "handling": "review", "review_usd": 0.5}
    data["strategies"][1]["failure"] = {"rate": 0.05, "handling": "retry", "review_usd": 0.1}
    data["strategies"][1]["price_multipliers"] = {"gpu": 1.2, "training": 0.9}
    return scenario_from_dict(data)


CASES = _cases()


@pytest.mark.parametrize("name", list(CASES))
def test_collapsed_ranges_give_exactly_the_point_estimate(name):
    scenario, catalog = CASES[name]
    point = evaluate(scenario, catalog, today=TODAY)
    ranged = collapsed(scenario)
    assert ranged.uncertain, "the case must write some inputs as ranges"
    assert evaluate(ranged, catalog, today=TODAY).primary == point.primary
    sim = simulate(ranged, catalog, draws=50, seed=3, today=TODAY)
    main = point.primary
    want = (
        np.nan if main.breakeven.requests_per_month is None else main.breakeven.requests_per_month
    )
    assert set(sim.status.tolist()) == {main.breakeven.status.value}
    assert set(sim.reason.tolist()) == {main.breakeven.reason.value}
    np.testing.assert_array_equal(sim.breakeven, np.full(50, want))
    np.testing.assert_array_equal(sim.baseline_total, main.payback.baseline_total_usd)
    np.testing.assert_array_equal(sim.challenger_total, main.payback.challenger_total_usd)
    np.testing.assert_array_equal(sim.payback_month, main.payback.month or 0)
    assert sim.cheaper_share == (1.0 if main.challenger_cheaper else 0.0)
    assert sim.clipped == {}


def test_collapsed_sides_match_the_point_strategies_field_by_field():
    scenario, catalog = CASES["batch, long context, write premium"]
    point = evaluate(scenario, catalog, today=TODAY)
    ranged = collapsed(scenario)
    inputs = draw_inputs(ranged, 4, np.random.default_rng(0))
    for index in ranged.main_pair:
        t = point.tokens[ranged.strategies[index].name]
        tokens = TokenDraws(
            *(np.full(4, float(v)) for v in (t.prompt, t.cacheable_prefix, t.output, t.reasoning))
        )
        drawn = draw_sides(ranged, index, point, inputs, tokens, NoteRows(4))
        want = Sides.of([point.strategies[index]])
        for field in Sides.__dataclass_fields__:
            got, expected = getattr(drawn, field), getattr(want, field)
            np.testing.assert_array_equal(got, np.repeat(expected, 4, axis=0), err_msg=field)


def test_no_ranges_no_samples_every_draw_is_the_point_estimate():
    scenario, catalog = CASES["demo"]
    sim = simulate(scenario, catalog, draws=20, seed=1, today=TODAY)
    point = evaluate(scenario, catalog, today=TODAY).primary
    assert sim.breakeven_percentiles() == (point.breakeven.requests_per_month,) * 3


def test_hand_computed_runs_range():
    # Golden fixture: saving per request $0.0032 − $0.00048 = $0.00272, 12 months, no growth;
    # a training run costs 1.5M tokens × $5/M = $7.50, so V*(runs) = 7.5·runs / 0.03264:
    #   runs 1 → 229.779…, runs 2 → 459.558…, runs 3 → 689.338…
    # runs uniform on [1, 3] rounded half up: 1 for [1, 1.5) (25 %), 2 for [1.5, 2.5) (50 %),
    # 3 for [2.5, 3] (25 %) → P10 = V*(1), P50 = V*(2), P90 = V*(3).
    # Savings at 100,000 a month: 0.00272 × 100,000 × 12 − 7.5·runs = 3,264 − 7.5·runs.
    scenario = with_ranges(two_way(), {"strategies.1.training.runs": {"low": 1, "high": 3}})
    assert scenario.strategies[1].planned_training().runs == 2  # the midpoint
    sim = simulate(scenario, CAT, draws=4_000, seed=11)
    p10, p50, p90 = sim.breakeven_percentiles()
    assert p10 == pytest.approx(7.5 / 0.03264, rel=1e-12)
    assert p50 == pytest.approx(15 / 0.03264, rel=1e-12)
    assert p90 == pytest.approx(22.5 / 0.03264, rel=1e-12)
    assert set(np.round(sim.savings, 6).tolist()) == {3256.5, 3249.0, 3241.5}
    counts = sim.status_counts()
    assert counts[Status.BREAKS_EVEN] == 4_000 and sum(counts.values()) == 4_000
    share_of_one_run = np.mean(np.isclose(sim.breakeven, 7.5 / 0.03264))
    assert abs(share_of_one_run - 0.25) < 4 * math.sqrt(0.25 * 0.75 / 4_000)


@pytest.mark.parametrize("draws", [1_000, 4_000, 16_000])
def test_probability_converges_within_binomial_error(draws):
    # Runs fixed at 2 → V* = 15 / 0.03264 = 459.5588…; the challenger is cheaper exactly when
    # the drawn volume is above V*. Volume uniform on [100, 500]:
    #   p = (500 − 459.5588) / 400 = 0.101103…
    # The estimate must fall within 4 binomial standard errors √(p(1 − p)/N).
    scenario = with_ranges(two_way(), {"workload.requests_per_month": {"low": 100, "high": 500}})
    p = (500 - 15 / 0.03264) / 400
    sim = simulate(scenario, CAT, draws=draws, seed=2024)
    assert abs(sim.cheaper_share - p) <= 4 * math.sqrt(p * (1 - p) / draws)
    assert sim.cheaper_standard_error == pytest.approx(
        math.sqrt(sim.cheaper_share * (1 - sim.cheaper_share) / draws)
    )


def test_same_seed_same_answer_other_seed_other_draws():
    scenario = with_ranges(
        demo_scenario(),
        {
            "strategies.0.cache.hit_rate": {"low": 0.6, "likely": 0.9, "high": 0.97},
            "workload.monthly_growth": {"dist": "normal", "mean": 0.03, "sd": 0.02},
            "strategies.1.training.runs": {"dist": "pert", "low": 1, "likely": 3, "high": 8},
        },
    )
    catalog = load_catalog()
    one = simulate(scenario, catalog, draws=500, seed=5, today=TODAY)
    two = simulate(scenario, catalog, draws=500, seed=5, today=TODAY)
    other = simulate(scenario, catalog, draws=500, seed=6, today=TODAY)
    np.testing.assert_array_equal(one.savings, two.savings)
    assert not np.array_equal(one.savings, other.savings)


def test_never_and_always_are_counted_not_dropped():
    # Training runs from 1 to 2000: at 12 months, V*(runs) = 229.78·runs, above the 10¹³ cap
    # never; a prompt price multiplier below ~0.15 makes the baseline cheaper per request:
    # statuses mix, and every draw is counted in one of them.
    scenario = with_ranges(
        two_way(),
        {"strategies.0.price_multipliers.inference": {"low": 0.05, "high": 1.5}},
    )
    sim = simulate(scenario, CAT, draws=2_000, seed=9)
    counts = sim.status_counts()
    assert counts[Status.NEVER] > 0 and counts[Status.BREAKS_EVEN] > 0
    assert sum(counts.values()) == 2_000
    volumes = sim.pays_off_volumes()
    assert len(volumes) == counts[Status.NEVER] + counts[Status.BREAKS_EVEN] + counts[Status.ALWAYS]
    assert np.isinf(volumes).sum() == counts[Status.NEVER]


def test_never_percentile_is_infinite():
    # baseline prices ×0.05…0.1: $0.00016–$0.00032 per request against the tuned $0.00048 → never
    scenario = with_ranges(
        two_way(), {"strategies.0.price_multipliers.inference": {"low": 0.05, "high": 0.1}}
    )
    sim = simulate(scenario, CAT, draws=200, seed=1)
    assert sim.breakeven_percentiles() == (math.inf, math.inf, math.inf)
    assert sim.cheaper_share == 0.0


def test_payback_and_fan_shapes():
    scenario = with_ranges(
        two_way(volume=400), {"workload.requests_per_month": {"low": 100, "high": 900}}
    )
    sim = simulate(scenario, CAT, draws=1_000, seed=4)
    counts = sim.payback_counts()
    assert sum(counts.values()) == 1_000
    assert set(counts) <= set(range(13))
    fan = sim.fan()
    assert fan["baseline"].shape == (5, 12)
    assert np.all(np.diff(fan["baseline"], axis=0) >= 0)  # percentiles ordered
    assert np.all(np.diff(fan["baseline"], axis=1) >= 0)  # cumulative costs never fall


def test_clipped_draws_are_counted():
    scenario = with_ranges(
        two_way(), {"strategies.0.cache.hit_rate": {"dist": "normal", "mean": 0.95, "sd": 0.1}}
    )
    sim = simulate(scenario, CAT, draws=1_000, seed=2)
    assert 0 < sim.clipped["strategies.0.cache.hit_rate"] < 1_000
    inputs = draw_inputs(scenario, 1_000, np.random.default_rng(2))
    assert inputs.values["strategies.0.cache.hit_rate"].max() == 1.0


def test_pert_and_triangular_stay_within_their_ends():
    rng = np.random.default_rng(0)
    for kind in ("pert", "triangular"):
        x = draw_spread(Spread(dist=kind, low=1, likely=2, high=7), rng, 5_000)
        assert x.min() >= 1 and x.max() <= 7
    # PERT mean (low + 4·likely + high)/6 = (1 + 8 + 7)/6 = 2.666…
    x = draw_spread(Spread(dist="pert", low=1, likely=2, high=7), rng, 40_000)
    sd = math.sqrt(((7 - 1) / 6) ** 2 * 0.8)  # generous bound on the spread of a PERT curve
    assert abs(x.mean() - 16 / 6) < 4 * sd / math.sqrt(40_000)


def test_bootstrap_resamples_the_records_own_counts():
    # Records 1, 1, 1, 97: each draw picks 4 records with replacement; the mean is
    # (k·97 + (4 − k)·1)/4 for k long records picked, k ~ Binomial(4, 1/4):
    # P(k = 0) = (3/4)⁴ = 0.3164…, giving mean 1.
    counts = np.array([1, 1, 1, 97])
    means, paired, normal = bootstrap_means(counts, 20_000, np.random.default_rng(1), counts * 2)
    assert not normal
    assert set(np.unique(means)) <= {1.0, 25.0, 49.0, 73.0, 97.0}
    p0 = 0.75**4
    assert abs(np.mean(means == 1.0) - p0) < 4 * math.sqrt(p0 * (1 - p0) / 20_000)
    np.testing.assert_array_equal(paired, means * 2)


def test_samples_are_resampled_per_request(tmp_path):
    # a long tail in the sample widens the break-even; without resampling every draw is the same
    from costmodel.tokens.stats import token_stats

    lines = [f'{{"prompt": "{"word " * (1_000 if i % 10 else 20_000)}"}}' for i in range(40)]
    sample = tmp_path / "s.jsonl"
    sample.write_text("\n".join(lines) + "\n")
    data = scenario_to_dict(two_way())
    data["strategies"][0]["tokens"] = {"samples": str(sample), "output_tokens": 100}
    scenario = scenario_from_dict(data)
    stats = token_stats(sample, model=CAT.resolve("acme/nocache").model_id)
    fixed = simulate(scenario, CAT, draws=300, seed=1, resample=False)
    drawn = simulate(scenario, CAT, draws=300, seed=1)
    assert len(set(fixed.breakeven.tolist())) == 1
    assert len(set(drawn.breakeven.tolist())) > 10
    assert drawn.resampled == {"prompt": stats.records}
    point = evaluate(scenario, CAT).primary.breakeven.requests_per_month
    low, _, high = drawn.breakeven_percentiles()
    assert low < point < high


def test_bad_draw_counts_are_refused():
    with pytest.raises(ScenarioError, match="between 1 and"):
        simulate(two_way(), CAT, draws=0)
