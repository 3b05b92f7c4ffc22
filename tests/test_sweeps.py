"""Vectorised sweeps equal the month-by-month reference (relative error ≤ 1e-9)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from engine_fixtures import acme, two_way
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import ref_breakeven, ref_month_costs, ref_total

from costmodel.engine.comparison import breakeven
from costmodel.engine.evaluate import evaluate
from costmodel.engine.lifecycle import horizon_for
from costmodel.engine.strategy_costs import GpuPlan, StrategyCosts, resolve_strategy
from costmodel.engine.sweeps import (
    catalog_pairs,
    cost_curves,
    cumulative_costs,
    pair_totals,
    totals,
)
from costmodel.tokens.figures import tokens_for

CAT = acme()
VOLUMES = np.geomspace(1, 1e9, 1000)


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
    fast = totals(s, volumes, months, growth)
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


def test_catalog_pairs_equal_pairwise_reference():
    sc = two_way(growth=0.01)
    frame = catalog_pairs(sc, CAT)
    result = evaluate(sc, CAT)
    assert len(frame) == len(CAT.base_models()) * (len(CAT.fine_tunable()) - 1)  # rft skipped
    base_t, ft_t = sc.strategies
    for row in frame.itertuples():
        a = resolve_strategy(
            base_t.model_copy(update={"model": row.base_model}), CAT, tokens_for(base_t, CAT)
        )
        b = resolve_strategy(
            ft_t.model_copy(update={"model": row.ft_model}), CAT, tokens_for(ft_t, CAT)
        )
        months = horizon_for([a, b], sc.horizon_months, result.horizon.start).months
        assert row.horizon_months == months
        if b.gpu is None:
            expected = ref_breakeven(a, b, months, 0.01)
            if expected is None:
                assert math.isnan(row.breakeven_requests_per_month)
            else:
                assert close(row.breakeven_requests_per_month, expected)
        else:
            be = breakeven(a, b, months, 0.01)
            assert row.breakeven_requests_per_month == pytest.approx(be.requests_per_month)
    ranked = frame["breakeven_requests_per_month"].dropna().to_numpy()
    assert (np.diff(ranked) >= 0).all()


def test_pair_totals_equal_reference():
    result = evaluate(two_way(ft="acme/gpu-ft"), CAT)
    a, b = result.strategies
    ta, tb = pair_totals([a], [b], VOLUMES[::50], 12, 0.0)
    for i, v in enumerate(VOLUMES[::50]):
        assert close(ta[0, i], ref_total(a, float(v), 12, 0.0))
        assert close(tb[0, i], ref_total(b, float(v), 12, 0.0))
