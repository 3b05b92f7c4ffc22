"""Sweeps use the one comparison path: equal to the reference, identical to scenario pairs."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from engine_fixtures import acme, two_way
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import ref_month_costs, ref_total

from costmodel.demo import demo_scenario
from costmodel.engine.comparison import Sides, compare, horizon_totals
from costmodel.engine.evaluate import evaluate
from costmodel.engine.lifecycle import horizon_for
from costmodel.engine.strategy_costs import GpuPlan, StrategyCosts, resolve_strategy
from costmodel.engine.sweeps import (
    catalog_pairs,
    cost_curves,
    cumulative_costs,
    sweep_pairs,
)
from costmodel.prices.catalog import load_catalog
from costmodel.tokens.figures import tokens_for

CAT = acme()
TODAY = dt.date(2026, 12, 1)


def close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=50)
@given(
    st.floats(0, 0.1),
    st.floats(0, 1e4),
    st.one_of(st.none(), st.integers(1, 12)),
    st.integers(1, 36),
    st.floats(-0.1, 0.3),
    st.booleans(),
)
def test_totals_equal_reference(c, one_time, every, months, growth, with_gpu):
    gpu = GpuPlan(7300.0, 2.6e9, 300.0, 1) if with_gpu else None
    s = StrategyCosts(
        "x",
        per_request_usd=c,
        one_time={"training": one_time},
        retrain_usd=one_time / 2,
        retrain_every_months=every,
        monthly_fixed={"storage": 2.0},
        gpu=gpu,
    )
    volumes = np.geomspace(1, 1e9, 40)
    fast = horizon_totals(Sides.of([s]), volumes, np.array([months]), growth)[0]
    for v, got in zip(volumes, fast, strict=True):
        assert close(got, ref_total(s, float(v), months, growth))


def test_cost_curves_cross_at_breakeven():
    result = evaluate(two_way(growth=0.05), CAT)
    v = result.primary.breakeven.requests_per_month
    curves = cost_curves(result, np.array([v]))
    costs = curves.set_index("strategy")["total_cost_usd"]
    assert close(costs["prompt"], costs["tuned"])
    for s in result.strategies:
        assert close(costs[s.name], ref_total(s, v, result.horizon.months, 0.05))


def test_cumulative_costs_equal_reference():
    result = evaluate(two_way(growth=0.02, ft="acme/gpu-ft", volume=5e6), CAT)
    table = cumulative_costs(result)
    for s in result.strategies:
        expected = np.cumsum(ref_month_costs(s, result.volume, result.horizon.months, 0.02))
        assert np.allclose(table[s.name].to_numpy(), expected, rtol=1e-9)


def _pairs_through_compare(scenario, catalog, today):
    """Every catalog pair priced and compared one at a time through ``compare``."""
    base_t = scenario.strategies[scenario.main_pair[0]]
    ft_t = scenario.strategies[scenario.main_pair[1]]
    start = scenario.start_date or today
    tokens_a, tokens_b = tokens_for(base_t, catalog), tokens_for(ft_t, catalog)
    challengers = []  # each fine-tunable model priced once, not once per base model
    for n in catalog.fine_tunable():
        try:
            b = resolve_strategy(
                ft_t.model_copy(update={"model": n.key, "name": n.key}), catalog, tokens_b, start
            )
        except Exception:
            continue
        challengers.append((n.key, b))
    found = {}
    for m in catalog.base_models():
        a = resolve_strategy(
            base_t.model_copy(update={"model": m.key, "name": m.key}), catalog, tokens_a, start
        )
        for key, b in challengers:
            h = horizon_for([a, b], scenario.horizon_months, start)
            found[(m.key, key)] = compare(
                a, b, h, scenario.workload.requests_per_month, scenario.workload.monthly_growth
            )
    return found


def _variants():
    demo = demo_scenario()
    shrinking = demo.model_copy(
        update={
            "horizon_months": 24,
            "workload": demo.workload.model_copy(
                update={"monthly_growth": -0.02, "requests_per_month": 50_000}
            ),
        }
    )
    return [demo, shrinking]


@pytest.mark.parametrize("scenario", _variants(), ids=["demo", "shrinking-24-months"])
def test_every_shipped_pair_agrees_with_the_scenario_path(scenario):
    """The ranking and a scenario's own comparison give identical figures for every pair."""
    catalog = load_catalog()
    scenario = scenario.model_copy(update={"start_date": TODAY})
    frame = catalog_pairs(scenario, catalog, all_models=True)
    expected = _pairs_through_compare(scenario, catalog, TODAY)
    assert len(frame) == len(expected) > 1000
    for row in frame.itertuples():
        c = expected[(row.baseline_model, row.challenger_model)]
        assert row.status == c.breakeven.status
        assert row.reason == c.breakeven.reason
        assert row.horizon_months == c.horizon.months
        be = c.breakeven.requests_per_month
        assert (math.isnan(row.breakeven_requests_per_month) and be is None) or (
            row.breakeven_requests_per_month == be
        )
        if c.available:
            assert row.savings_usd == c.payback.cumulative_savings_usd
            assert row.challenger_total_usd == c.payback.challenger_total_usd
            assert (math.isnan(row.payback_month) and c.payback.month is None) or (
                row.payback_month == c.payback.month
            )
    statuses = set(frame["status"])
    assert {"breaks_even", "never", "unavailable"} <= statuses


def test_pairs_ranked_by_savings_with_unavailable_last():
    frame = catalog_pairs(two_way(growth=0.01), CAT)
    usable = frame[frame["status"] != "unavailable"]
    savings = usable["savings_usd"].to_numpy()
    assert (np.diff(savings) <= 0).all()
    assert (frame["status"] == "unavailable").to_numpy()[len(usable) :].all()


def test_sweep_is_volume_free():
    sc = two_way(growth=0.01)
    sweep = sweep_pairs(sc, CAT)
    louder = sc.model_copy(
        update={"workload": sc.workload.model_copy(update={"requests_per_month": 9e6})}
    )
    again = sweep_pairs(louder, CAT)
    assert np.array_equal(sweep.outcome.status, again.outcome.status)
    assert np.array_equal(sweep.outcome.volume, again.outcome.volume, equal_nan=True)


def test_ranking_defaults_to_what_a_new_customer_can_buy_for_the_whole_horizon():
    # acme/big retires on 2027-06-01, inside the 12 months from 2026-11-01: by default it
    # takes part on neither side. Priced pairs: 5 base models x 4 fine-tunes = 20 in all
    # (acme/rft's fine-tune is billed by the hour, which the template does not plan);
    # without big, 4 x 3 = 12.
    every = catalog_pairs(two_way(), CAT, all_models=True)
    default = catalog_pairs(two_way(), CAT)
    assert (len(every), len(default)) == (20, 12)
    assert "acme/big" not in set(default["baseline_model"]) | set(default["challenger_model"])
    assert default["buyable"].all()
    with_big = (every["baseline_model"] == "acme/big") | (every["challenger_model"] == "acme/big")
    assert list(every["buyable"]) == list(~with_big)
    # retired or not, a model keeps its own availability code and provider in the table
    assert set(every["baseline_availability"]) == {"available"}
    assert set(every["challenger_provider"]) == {"Acme AI (test fixture)"}
    # the default rows are the buyable rows of the full table, with the same figures
    keep = ["baseline_model", "challenger_model", "savings_usd", "breakeven_requests_per_month"]
    buyable = every[every["buyable"]][keep].reset_index(drop=True)
    assert buyable.equals(default[keep])


def test_every_default_pair_of_the_shipped_catalog_can_be_bought_for_the_horizon():
    catalog = load_catalog()
    scenario = demo_scenario().model_copy(update={"start_date": TODAY})
    frame = catalog_pairs(scenario, catalog)
    # the 12 months from 2026-12-01 end on 2027-11-30
    last = dt.date(2027, 11, 30)
    for key in set(frame["baseline_model"]):
        assert catalog[key].buyable_over(TODAY, last, "prompt"), key
    for key in set(frame["challenger_model"]):
        assert catalog[key].buyable_over(TODAY, last, "fine-tune"), key
    retired = [m.key for m in catalog.fine_tunable() if m.availability(TODAY) == "retired"]
    every = catalog_pairs(scenario, catalog, all_models=True)
    marked = every[every["challenger_model"].isin(retired)]
    assert len(marked) and set(marked["challenger_availability"]) == {"retired"}
    assert not marked["buyable"].any()


def test_a_model_that_cannot_be_priced_is_named_with_its_reason_not_dropped():
    # acme/rft trains by the hour, and the template plans no hours: it cannot be ranked
    frame = catalog_pairs(two_way(), CAT)
    skipped = frame.attrs["skipped"]
    assert list(skipped) == ["acme/rft"]
    assert "acme/rft" not in set(frame["challenger_model"])
    assert skipped["acme/rft"].startswith("strategy 'acme/rft': ")
