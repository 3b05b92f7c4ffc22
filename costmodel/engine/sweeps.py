"""Vectorised sweeps: cost curves, cumulative costs and every catalog pair at once.

They call the single comparison path (:mod:`costmodel.engine.comparison`) on
arrays, so every pair's status, break-even, payback and savings are decided
by the same rules as a scenario's own comparisons; the tests check the two
agree exactly on every pair of the shipped catalog.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from costmodel.engine.comparison import (
    Outcome,
    Reason,
    Sides,
    Status,
    at_volume,
    bill_parts,
    horizon_totals,
    monthly_bills,
    outcomes,
)
from costmodel.engine.evaluate import ScenarioResult
from costmodel.engine.lifecycle import horizon_for
from costmodel.engine.strategy_costs import StrategyCosts, resolve_strategy
from costmodel.engine.training_plan import with_training_file
from costmodel.errors import CostModelError
from costmodel.prices.catalog import Catalog
from costmodel.prices.overrides import with_overrides
from costmodel.scenario import Scenario, Strategy
from costmodel.tokens.figures import RequestTokens, tokens_for


def cost_curves(result: ScenarioResult, volumes: np.ndarray) -> pd.DataFrame:
    """Average monthly cost over the main comparison's horizon per strategy.

    Two strategies' curves cross exactly at their break-even volume, because
    both are their horizon totals divided by the same number of months.
    """
    months = np.array([result.horizon.months])
    frames = [
        pd.DataFrame(
            {
                "requests_per_month": volumes,
                "strategy": s.name,
                "total_cost_usd": horizon_totals(Sides.of([s]), volumes, months, result.growth)[0],
            }
        )
        for s in result.strategies
    ]
    out = pd.concat(frames, ignore_index=True)
    out["average_monthly_cost_usd"] = out["total_cost_usd"] / max(result.horizon.months, 1)
    return out


def cumulative_costs(result: ScenarioResult) -> pd.DataFrame:
    """Cumulative spend by month (1-based) per strategy at the scenario's volume."""
    months = result.horizon.months
    bills = monthly_bills(
        Sides.of(result.strategies),
        result.volume,
        np.full(len(result.strategies), months),
        result.growth,
    )
    data = {s.name: np.cumsum(bills[k]) for k, s in enumerate(result.strategies)}
    return pd.DataFrame(data, index=pd.RangeIndex(1, months + 1, name="month"))


@dataclass(frozen=True)
class _Side:
    """One side of the catalog sweep: every model priced with the same settings."""

    costs: list[StrategyCosts]
    skipped: dict[str, str]


def _price_every(
    template: Strategy,
    keys: list[str],
    catalog: Catalog,
    tokens: RequestTokens,
    start: dt.date,
) -> _Side:
    costs: list[StrategyCosts] = []
    skipped: dict[str, str] = {}
    for key in keys:
        strategy = template.model_copy(update={"model": key, "name": key})
        try:
            costs.append(resolve_strategy(strategy, catalog, tokens, start))
        except CostModelError as exc:
            skipped[key] = str(exc)
    return _Side(costs, skipped)


PAIR_COLUMNS = [
    "baseline_model",
    "challenger_model",
    "baseline_label",
    "challenger_label",
    "status",
    "reason",
    "breakeven_requests_per_month",
    "horizon_months",
    "baseline_total_usd",
    "challenger_total_usd",
    "savings_usd",
    "payback_month",
    "baseline_cost_per_request_usd",
    "challenger_cost_per_request_usd",
    "challenger_one_time_usd",
    "challenger_monthly_fixed_usd",
]


@dataclass(frozen=True)
class PairSweep:
    """Every (base model, fine-tunable model) pair decided: the volume-independent part.

    ``index_a``/``index_b`` say which base and which fine-tunable model each
    pair row holds; ``months`` is each pair's own horizon.
    """

    base: list[StrategyCosts]
    ft: list[StrategyCosts]
    index_a: np.ndarray
    index_b: np.ndarray
    months: np.ndarray
    unavailable: np.ndarray
    outcome: Outcome
    growth: float

    @property
    def sides(self) -> tuple[Sides, Sides]:
        return Sides.of(self.base).take(self.index_a), Sides.of(self.ft).take(self.index_b)


def sweep_pairs(
    scenario: Scenario,
    catalog: Catalog,
    *,
    today: dt.date | None = None,
    base_dir: Path | None = None,
) -> PairSweep | None:
    """Decide every catalog pair for the scenario's workload (None when a side is empty).

    The scenario's main baseline gives the long-prompt settings and its main
    challenger the short-prompt and training settings; only the models change.
    A pair's horizon is cut by its own two models only, exactly as
    :func:`costmodel.engine.lifecycle.horizon_for` cuts a scenario's pair.
    """
    catalog = with_overrides(catalog, scenario.price_overrides)
    base_t, ft_t = _templates(scenario)
    ft_t = with_training_file(ft_t, catalog, base_dir).strategy
    start = scenario.start_date or today or dt.date.today()
    base = _price_every(
        base_t,
        [m.key for m in catalog.base_models()],
        catalog,
        tokens_for(base_t, catalog, base_dir),
        start,
    )
    ft = _price_every(
        ft_t,
        [m.key for m in catalog.fine_tunable()],
        catalog,
        tokens_for(ft_t, catalog, base_dir),
        start,
    )
    if not base.costs or not ft.costs:
        return None
    requested = scenario.horizon_months
    h_a = [horizon_for([a], requested, start) for a in base.costs]
    h_b = [horizon_for([b], requested, start) for b in ft.costs]
    i = np.repeat(np.arange(len(base.costs)), len(ft.costs))
    j = np.tile(np.arange(len(ft.costs)), len(base.costs))
    months = np.minimum(np.array([h.months for h in h_a])[i], np.array([h.months for h in h_b])[j])
    blocked_a = np.array([bool(h.unavailable) for h in h_a])
    blocked_b = np.array([bool(h.unavailable) for h in h_b])
    unavailable = blocked_a[i] | blocked_b[j]
    growth = scenario.workload.monthly_growth
    sides = Sides.of(base.costs).take(i), Sides.of(ft.costs).take(j)
    outcome = outcomes(*sides, months, growth)
    outcome.status[unavailable] = Status.UNAVAILABLE.value
    outcome.reason[unavailable] = Reason.MODEL_UNAVAILABLE.value
    outcome.volume[unavailable] = np.nan
    return PairSweep(base.costs, ft.costs, i, j, months, unavailable, outcome, growth)


def pair_table(sweep: PairSweep | None, volume: float) -> pd.DataFrame:
    """The ranking at first-month ``volume``: highest savings first, unavailable pairs last."""
    if sweep is None:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    a, b = sweep.sides
    money = at_volume(a, b, volume, sweep.months, sweep.growth)
    first = bill_parts(b, volume, np.ones(len(sweep.months), dtype=int), 0.0)
    ok = ~sweep.unavailable
    base, ft = sweep.base, sweep.ft
    frame = pd.DataFrame(
        {
            "baseline_model": [base[k].model_key for k in sweep.index_a],
            "challenger_model": [ft[k].model_key for k in sweep.index_b],
            "baseline_label": [base[k].model_label for k in sweep.index_a],
            "challenger_label": [ft[k].model_label for k in sweep.index_b],
            "status": sweep.outcome.status,
            "reason": sweep.outcome.reason,
            "breakeven_requests_per_month": sweep.outcome.volume,
            "horizon_months": sweep.months,
            "baseline_total_usd": np.where(ok, money.baseline_total, np.nan),
            "challenger_total_usd": np.where(ok, money.challenger_total, np.nan),
            "savings_usd": np.where(ok, money.baseline_total - money.challenger_total, np.nan),
            "payback_month": np.where(ok & (money.payback_month > 0), money.payback_month, np.nan),
            "baseline_cost_per_request_usd": a.per_request,
            "challenger_cost_per_request_usd": b.per_request,
            "challenger_one_time_usd": b.one_time,
            "challenger_monthly_fixed_usd": first["fixed"][:, 0] + first["gpu"][:, 0],
        }
    )
    order = np.lexsort((-frame["savings_usd"].fillna(-np.inf).to_numpy(), sweep.unavailable))
    return frame.iloc[order].reset_index(drop=True)[PAIR_COLUMNS]


def catalog_pairs(
    scenario: Scenario,
    catalog: Catalog,
    *,
    today: dt.date | None = None,
    base_dir: Path | None = None,
) -> pd.DataFrame:
    """Every (base model, fine-tunable model) pair ranked at the scenario's volume.

    Sample files named by the scenario resolve against ``base_dir`` (the
    scenario file's folder), as in :func:`costmodel.engine.evaluate.evaluate`.
    """
    sweep = sweep_pairs(scenario, catalog, today=today, base_dir=base_dir)
    return pair_table(sweep, scenario.workload.requests_per_month)


def _templates(scenario: Scenario) -> tuple[Strategy, Strategy]:
    """The main comparison's strategies when they are a prompt and a fine-tune, else the first."""
    base_i, ft_i = scenario.main_pair
    main_base, main_ft = scenario.strategies[base_i], scenario.strategies[ft_i]
    base = main_base if main_base.kind == "prompt" else None
    ft = main_ft if main_ft.kind == "fine-tuned" else None
    base = base or next((s for s in scenario.strategies if s.kind == "prompt"), None)
    ft = ft or next((s for s in scenario.strategies if s.kind == "fine-tuned"), None)
    if base is None or ft is None:
        raise CostModelError(
            "the catalog sweep needs one prompt strategy and one fine-tuned strategy"
        )
    return base, ft
