"""Vectorised sweeps: cost curves, cumulative costs and every catalog pair at once.

These use numpy broadcasting so a slider change never waits on arithmetic.
They follow the same formulas as :mod:`costmodel.engine.comparison`; the tests check
them against a plain-Python reference to a relative error of 1e-9.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from costmodel.engine.comparison import (
    MAX_REQUESTS_PER_MONTH,
    TOO_SMALL,
    breakeven,
    gpu_totals,
    growth_factors,
    monthly_costs,
    totals,
)
from costmodel.engine.evaluate import ScenarioResult
from costmodel.engine.lifecycle import Horizon, horizon_for
from costmodel.engine.request_cost import RequestTokens
from costmodel.engine.strategy_costs import StrategyCosts, resolve_strategy
from costmodel.errors import CostModelError
from costmodel.prices.catalog import Catalog
from costmodel.prices.overrides import with_overrides
from costmodel.scenario import Scenario, Strategy
from costmodel.tokens.figures import tokens_for


def cost_curves(result: ScenarioResult, volumes: np.ndarray) -> pd.DataFrame:
    """Average monthly cost over the horizon per strategy (one-time costs spread).

    Two strategies' curves cross exactly at their break-even volume, because
    both are their horizon totals divided by the same number of months.
    """
    months = result.horizon.months
    frames = [
        pd.DataFrame(
            {
                "requests_per_month": volumes,
                "strategy": s.name,
                "total_cost_usd": totals(s, volumes, months, result.growth),
            }
        )
        for s in result.strategies
    ]
    out = pd.concat(frames, ignore_index=True)
    out["average_monthly_cost_usd"] = out["total_cost_usd"] / max(months, 1)
    return out


def cumulative_costs(result: ScenarioResult) -> pd.DataFrame:
    """Cumulative spend by month (1-based) per strategy at the scenario's volume."""
    months = result.horizon.months
    data = {
        s.name: np.cumsum(monthly_costs(s, result.volume, months, result.growth))
        for s in result.strategies
    }
    return pd.DataFrame(data, index=pd.RangeIndex(1, months + 1, name="month"))


@dataclass(frozen=True)
class _Side:
    """One side of the catalog sweep: every model priced with the same settings."""

    costs: list[StrategyCosts]
    skipped: dict[str, str]


def _price_every(
    template: Strategy, keys: list[str], catalog: Catalog, tokens: RequestTokens
) -> _Side:
    costs: list[StrategyCosts] = []
    skipped: dict[str, str] = {}
    for key in keys:
        strategy = template.model_copy(update={"model": key, "name": key})
        try:
            costs.append(resolve_strategy(strategy, catalog, tokens))
        except CostModelError as exc:
            skipped[key] = str(exc)
    return _Side(costs, skipped)


PAIR_COLUMNS = [
    "base_model",
    "ft_model",
    "base_label",
    "ft_label",
    "base_cost_per_request_usd",
    "ft_cost_per_request_usd",
    "one_time_cost_usd",
    "monthly_fixed_cost_usd",
    "horizon_months",
    "breakeven_requests_per_month",
    "status",
    "reason",
]


def catalog_pairs(
    scenario: Scenario, catalog: Catalog, *, today: dt.date | None = None
) -> pd.DataFrame:
    """Break-even of every (base model, fine-tunable model) pair for one workload.

    The scenario's first strategy gives the long-prompt settings, its first
    fine-tuned strategy the short-prompt and training settings; only the
    models change. Rows are sorted by break-even volume (pairs that never
    break even last).
    """
    catalog = with_overrides(catalog, scenario.price_overrides)
    base_t, ft_t = _templates(scenario)
    start = scenario.start_date or today or dt.date.today()
    base = _price_every(
        base_t, [m.key for m in catalog.base_models()], catalog, tokens_for(base_t, catalog)
    )
    ft = _price_every(
        ft_t, [m.key for m in catalog.fine_tunable()], catalog, tokens_for(ft_t, catalog)
    )
    if not base.costs or not ft.costs:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    growth = scenario.workload.monthly_growth
    requested = scenario.horizon_months
    base_h = [horizon_for([a], requested, start) for a in base.costs]
    h_base = np.array([h.months for h in base_h])
    ft_h = [horizon_for([b], requested, start) for b in ft.costs]
    h_ft = np.array([h.months for h in ft_h])
    blocked = np.array([bool(h.unavailable) for h in ft_h])
    months = np.minimum(h_base[:, None], h_ft[None, :])
    frame = _linear_pairs(base.costs, ft.costs, months, growth)
    _mark_blocked(frame, np.tile(blocked, len(base.costs)), _reasons(ft_h, len(base.costs)))
    base_blocked = np.array([bool(h.unavailable) for h in base_h])
    _mark_blocked(frame, np.repeat(base_blocked, len(ft.costs)), _reasons(base_h, 0, len(ft.costs)))
    _solve_gpu_pairs(frame, base.costs, ft.costs, months, growth, blocked)
    order = frame["breakeven_requests_per_month"].fillna(np.inf).argsort(kind="stable")
    return frame.iloc[order].reset_index(drop=True)[PAIR_COLUMNS]


def _templates(scenario: Scenario) -> tuple[Strategy, Strategy]:
    base = next((s for s in scenario.strategies if s.kind == "prompt"), None)
    ft = next((s for s in scenario.strategies if s.kind == "fine-tuned"), None)
    if base is None or ft is None:
        raise CostModelError(
            "the catalog sweep needs one prompt strategy and one fine-tuned strategy"
        )
    return base, ft


def _linear_pairs(
    base: list[StrategyCosts], ft: list[StrategyCosts], months: np.ndarray, growth: float
) -> pd.DataFrame:
    """Closed-form break-even for all pairs at once (GPU pairs are redone later)."""
    scale = _growth_sums(months, growth)
    c_a = np.array([s.per_request_usd for s in base])[:, None]
    c_b = np.array([s.per_request_usd for s in ft])[None, :]
    extra = _fixed(ft, months.T).T - _fixed(base, months)
    saving = (c_a - c_b) * np.ones_like(scale)
    with np.errstate(divide="ignore", invalid="ignore"):
        volume = np.where(saving > 0, extra / (saving * scale), np.nan)
    status = np.where(
        months <= 0,
        "never",
        np.where(saving > 0, np.where(extra <= 0, "always", "breaks_even"), "never"),
    )
    too_small = (status == "breaks_even") & (volume > MAX_REQUESTS_PER_MONTH)
    status = np.where(too_small, "never", status)
    volume = np.where(status == "always", 0.0, np.where(status == "never", np.nan, volume))
    reason = np.where(
        months <= 0,
        "the horizon is empty",
        np.where(
            saving > 0, "per-request saving covers the extra fixed costs", "no per-request saving"
        ),
    )
    reason = np.where(too_small, TOO_SMALL, reason)
    n_a, n_b = len(base), len(ft)
    return pd.DataFrame(
        {
            "base_model": np.repeat([s.model_key for s in base], n_b),
            "ft_model": np.tile([s.model_key for s in ft], n_a),
            "base_label": np.repeat([s.model_label for s in base], n_b),
            "ft_label": np.tile([s.model_label for s in ft], n_a),
            "base_cost_per_request_usd": np.repeat(c_a[:, 0], n_b),
            "ft_cost_per_request_usd": np.tile(c_b[0, :], n_a),
            "one_time_cost_usd": np.tile([s.one_time_usd for s in ft], n_a),
            "monthly_fixed_cost_usd": np.tile([s.monthly_fixed_usd for s in ft], n_a),
            "horizon_months": months.ravel(),
            "breakeven_requests_per_month": volume.ravel(),
            "status": status.ravel(),
            "reason": reason.ravel(),
        }
    )


def _growth_sums(months: np.ndarray, growth: float) -> np.ndarray:
    """Σ (1 + g)ᵐ for m < H, elementwise over an array of horizons."""
    if growth == 0:
        return months.astype(float)
    return ((1 + growth) ** months - 1) / growth


def _fixed(side: list[StrategyCosts], months: np.ndarray) -> np.ndarray:
    """Volume-independent totals, rows = strategies, for each horizon in ``months``."""
    one_time = np.array([s.one_time_usd for s in side])[:, None]
    retrain = np.array([s.retrain_usd for s in side])[:, None]
    every = np.array([s.retrain_every_months or 0 for s in side])[:, None]
    fixed = np.array([s.monthly_fixed_usd for s in side])[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        retrains = np.where(every > 0, (months - 1) // np.maximum(every, 1), 0)
    retrains = np.maximum(retrains, 0)
    total = one_time + retrains * retrain + months * fixed
    return np.where(months > 0, total, 0.0)


def _reasons(horizons: list[Horizon], tile: int = 0, repeat: int = 0) -> np.ndarray:
    """Each model's unavailability reason laid out like the pair rows."""
    why = np.array([next(iter(h.unavailable.values()), "") for h in horizons], dtype=object)
    return np.tile(why, tile) if tile else np.repeat(why, repeat)


def _mark_blocked(frame: pd.DataFrame, mask: np.ndarray, reasons: np.ndarray) -> None:
    frame.loc[mask, "status"] = "unavailable"
    frame.loc[mask, "breakeven_requests_per_month"] = np.nan
    frame.loc[mask, "reason"] = reasons[mask]


def _solve_gpu_pairs(
    frame: pd.DataFrame,
    base: list[StrategyCosts],
    ft: list[StrategyCosts],
    months: np.ndarray,
    growth: float,
    blocked: np.ndarray,
) -> None:
    """GPU-hour serving makes totals step functions: solve those pairs one by one."""
    n_b = len(ft)
    rows, volumes, statuses, reasons = [], [], [], []
    for j, b in enumerate(ft):
        if b.gpu is None or blocked[j]:
            continue
        for i, a in enumerate(base):
            be = breakeven(a, b, int(months[i, j]), growth)
            rows.append(i * n_b + j)
            volumes.append(np.nan if be.requests_per_month is None else be.requests_per_month)
            statuses.append(be.status)
            reasons.append(be.reason)
    if rows:
        columns = ["breakeven_requests_per_month", "status", "reason"]
        frame.loc[rows, columns] = pd.DataFrame(
            {"breakeven_requests_per_month": volumes, "status": statuses, "reason": reasons},
            index=rows,
        )


def pair_totals(
    base: list[StrategyCosts],
    ft: list[StrategyCosts],
    volumes: np.ndarray,
    months: int,
    growth: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Horizon totals of both sides of every pair at every volume: shape (pairs, volumes)."""
    scale = growth_factors(months, growth).sum()
    fixed_a = _fixed(base, np.array([[months]]))[:, 0]
    fixed_b = _fixed(ft, np.array([[months]]))[:, 0]
    c_a = np.array([s.per_request_usd for s in base])
    c_b = np.array([s.per_request_usd for s in ft])
    gpu_b = np.array([gpu_totals(s, volumes, months, growth) for s in ft])
    total_a = fixed_a[:, None] + c_a[:, None] * scale * volumes[None, :]
    total_b = fixed_b[:, None] + c_b[:, None] * scale * volumes[None, :] + gpu_b
    n_a, n_b = len(base), len(ft)
    return np.repeat(total_a, n_b, axis=0), np.tile(total_b, (n_a, 1))
