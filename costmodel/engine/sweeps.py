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
from costmodel.engine.lifecycle import add_months, horizon_for
from costmodel.engine.strategy_costs import StrategyCosts, resolve_strategy
from costmodel.engine.training_plan import with_training_file
from costmodel.errors import CostModelError
from costmodel.prices.availability import Use
from costmodel.prices.catalog import Catalog, CatalogModel
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
class ModelFacts:
    """What a buyer sees of one model in the ranking besides its costs."""

    provider: str
    availability: str
    buyable: bool


def _facts(m: CatalogModel, start: dt.date, last_day: dt.date, use: Use) -> ModelFacts:
    return ModelFacts(
        m.provider_name, m.availability(start, use), m.buyable_over(start, last_day, use)
    )


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
    "baseline_provider",
    "challenger_provider",
    "baseline_availability",
    "challenger_availability",
    "buyable",
]


@dataclass(frozen=True)
class PairSweep:
    """Every (base model, fine-tunable model) pair decided: the volume-independent part.

    ``index_a``/``index_b`` say which base and which fine-tunable model each
    pair row holds; ``months`` is each pair's own horizon. ``base_facts`` and
    ``ft_facts`` hold each model's provider, its availability on the start
    date and whether a new customer can buy it and keep it for the whole
    requested horizon. ``skipped`` names each model that could not be priced
    for this workload (an unpublished price, a prompt beyond its context
    window) with the reason, so a ranking never drops a model silently.
    """

    base: list[StrategyCosts]
    ft: list[StrategyCosts]
    index_a: np.ndarray
    index_b: np.ndarray
    months: np.ndarray
    unavailable: np.ndarray
    outcome: Outcome
    growth: float
    base_facts: list[ModelFacts]
    ft_facts: list[ModelFacts]
    skipped: dict[str, str]

    @property
    def sides(self) -> tuple[Sides, Sides]:
        return Sides.of(self.base).take(self.index_a), Sides.of(self.ft).take(self.index_b)


def sweep_pairs(
    scenario: Scenario,
    catalog: Catalog,
    *,
    today: dt.date | None = None,
    base_dir: Path | None = None,
    all_models: bool = False,
) -> PairSweep | None:
    """Decide every catalog pair for the scenario's workload (None when a side is empty).

    The scenario's main baseline gives the long-prompt settings and its main
    challenger the short-prompt and training settings; only the models change.
    A pair's horizon is cut by its own two models only, exactly as
    :func:`costmodel.engine.lifecycle.horizon_for` cuts a scenario's pair.

    By default only models a new customer can buy on the start date and keep
    for the whole requested horizon take part (prompted, or fine-tuned);
    ``all_models`` adds the others, retired ones included, for the record.
    """
    catalog = with_overrides(catalog, scenario.price_overrides)
    base_t, ft_t = _templates(scenario)
    ft_t = with_training_file(ft_t, catalog, base_dir).strategy
    start = scenario.start_date or today or dt.date.today()
    last_day = add_months(start, scenario.horizon_months) - dt.timedelta(days=1)
    base_models = _models(catalog.base_models(), start, last_day, "prompt", all_models)
    ft_models = _models(catalog.fine_tunable(), start, last_day, "fine-tune", all_models)
    base = _price_every(
        base_t, list(base_models), catalog, tokens_for(base_t, catalog, base_dir), start
    )
    ft = _price_every(ft_t, list(ft_models), catalog, tokens_for(ft_t, catalog, base_dir), start)
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
    return PairSweep(
        base.costs,
        ft.costs,
        i,
        j,
        months,
        unavailable,
        outcome,
        growth,
        [base_models[c.model_key] for c in base.costs],
        [ft_models[c.model_key] for c in ft.costs],
        {**base.skipped, **ft.skipped},
    )


def _models(
    models: list[CatalogModel], start: dt.date, last_day: dt.date, use: Use, every: bool
) -> dict[str, ModelFacts]:
    """The models taking part, by key, with their facts: the buyable ones unless ``every``."""
    facts = {m.key: _facts(m, start, last_day, use) for m in models}
    return {key: f for key, f in facts.items() if every or f.buyable}


def pair_table(sweep: PairSweep | None, volume: float) -> pd.DataFrame:
    """The ranking at first-month ``volume``: highest savings first, unavailable pairs last.

    ``attrs["skipped"]`` of the frame maps each model left out of the ranking
    to the reason it could not be priced.
    """
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
            "baseline_provider": [sweep.base_facts[k].provider for k in sweep.index_a],
            "challenger_provider": [sweep.ft_facts[k].provider for k in sweep.index_b],
            "baseline_availability": [sweep.base_facts[k].availability for k in sweep.index_a],
            "challenger_availability": [sweep.ft_facts[k].availability for k in sweep.index_b],
            "buyable": [
                sweep.base_facts[a].buyable and sweep.ft_facts[b].buyable
                for a, b in zip(sweep.index_a, sweep.index_b, strict=True)
            ],
        }
    )
    order = np.lexsort((-frame["savings_usd"].fillna(-np.inf).to_numpy(), sweep.unavailable))
    ranked = frame.iloc[order].reset_index(drop=True)[PAIR_COLUMNS]
    ranked.attrs["skipped"] = dict(sweep.skipped)
    return ranked


def catalog_pairs(
    scenario: Scenario,
    catalog: Catalog,
    *,
    today: dt.date | None = None,
    base_dir: Path | None = None,
    all_models: bool = False,
) -> pd.DataFrame:
    """Every (base model, fine-tunable model) pair ranked at the scenario's volume.

    Sample files named by the scenario resolve against ``base_dir`` (the
    scenario file's folder), as in :func:`costmodel.engine.evaluate.evaluate`;
    ``all_models`` as in :func:`sweep_pairs`.
    """
    sweep = sweep_pairs(scenario, catalog, today=today, base_dir=base_dir, all_models=all_models)
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
