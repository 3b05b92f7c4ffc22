"""Evaluate a whole scenario: every strategy priced, every pair compared.

This is the one entry point the dashboard, the CLI and the CSV export share,
so they cannot disagree about a figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from costmodel.engine.comparison import BreakEven, Payback, breakeven, payback
from costmodel.engine.lifecycle import Horizon, horizon_for
from costmodel.engine.request_cost import RequestTokens
from costmodel.engine.strategy_costs import StrategyCosts, resolve_strategy
from costmodel.prices.catalog import Catalog
from costmodel.prices.overrides import with_overrides
from costmodel.report.numbers import count, money
from costmodel.scenario import Scenario
from costmodel.tokens.figures import tokens_for
from costmodel.tokens.tokenizers import tokenizer_for


@dataclass(frozen=True)
class Comparison:
    """Baseline ``a`` against challenger ``b``: break-even and payback."""

    a: StrategyCosts
    b: StrategyCosts
    breakeven: BreakEven
    payback: Payback

    @property
    def pays_off_at_volume(self) -> bool:
        return self.payback.month is not None


@dataclass(frozen=True)
class ScenarioResult:
    """Everything the views show for one scenario."""

    scenario: Scenario
    catalog: Catalog
    tokens: dict[str, RequestTokens]
    strategies: tuple[StrategyCosts, ...]
    horizon: Horizon
    comparisons: tuple[Comparison, ...]
    token_notes: tuple[str, ...] = ()

    @property
    def volume(self) -> float:
        return self.scenario.workload.requests_per_month

    @property
    def growth(self) -> float:
        return self.scenario.workload.monthly_growth

    @property
    def primary(self) -> Comparison:
        """The baseline against the first fine-tuned strategy (else the second one)."""
        first = self.strategies[0].name
        target = next(
            (s.name for s in self.strategies[1:] if s.kind == "fine-tuned"),
            self.strategies[1].name,
        )
        return next(c for c in self.comparisons if c.a.name == first and c.b.name == target)

    @property
    def verdict(self) -> str:
        """The main comparison in one sentence, plus why the horizon is short if it is."""
        sentence = verdict(self.primary, self.volume, self.horizon.months)
        if self.horizon.cut and self.horizon.notes:
            sentence += f" Note: {self.horizon.notes[0]}."
        return sentence


def evaluate(
    scenario: Scenario,
    catalog: Catalog,
    *,
    base_dir: Path | None = None,
    today: dt.date | None = None,
) -> ScenarioResult:
    """Price every strategy of ``scenario`` and compare every pair of them."""
    catalog = with_overrides(catalog, scenario.price_overrides)
    start = scenario.start_date or today or dt.date.today()
    tokens = {s.name: tokens_for(s, catalog, base_dir) for s in scenario.strategies}
    costs = tuple(resolve_strategy(s, catalog, tokens[s.name], start) for s in scenario.strategies)
    horizon = horizon_for(costs, scenario.horizon_months, start)
    workload = scenario.workload
    comparisons = tuple(
        _compare(a, b, horizon, workload.requests_per_month, workload.monthly_growth)
        for a, b in combinations(costs, 2)
    )
    return ScenarioResult(
        scenario, catalog, tokens, costs, horizon, comparisons, _token_notes(scenario, catalog)
    )


def _token_notes(scenario: Scenario, catalog: Catalog) -> tuple[str, ...]:
    """Say which counted sample files were counted with a stand-in tokenizer."""
    notes = []
    for s in scenario.strategies:
        if s.tokens.samples is None:
            continue
        choice = tokenizer_for(catalog.resolve(s.model).model_id)
        if choice.approximate:
            notes.append(f"{s.name}: token counts are approximate ({choice.reason})")
    return tuple(notes)


def _compare(
    a: StrategyCosts, b: StrategyCosts, horizon: Horizon, volume: float, growth: float
) -> Comparison:
    blocked = horizon.unavailable.get(b.name) or horizon.unavailable.get(a.name)
    if blocked:
        be = BreakEven(a.name, b.name, "unavailable", None, blocked, horizon.months)
        return Comparison(a, b, be, Payback(None, 0.0, 0.0, blocked))
    return Comparison(
        a,
        b,
        breakeven(a, b, horizon.months, growth),
        payback(a, b, volume, horizon.months, growth),
    )


def verdict(c: Comparison, volume: float, months: int) -> str:
    """One sentence a product manager can act on."""
    be, pb, name = c.breakeven, c.payback, c.b.name
    if be.status == "unavailable":
        return f"{c.a.name} and {name} cannot be compared: {be.reason}."
    if be.status == "never":
        return f"Keep {c.a.name}: {name} never breaks even ({be.reason})."
    if be.status == "equal":
        return f"{c.a.name} and {name} cost the same at every volume."
    at = f"at {count(volume)} requests a month"
    if pb.month is not None:
        saves = money(pb.cumulative_savings_usd)
        threshold = (
            "at any volume"
            if be.status == "always"
            else f"from {count(be.requests_per_month)} requests a month"
        )
        return (
            f"Switch to {name}: it pays off {threshold}; {at} it pays back in month "
            f"{pb.month} and saves {saves} over {months} month{'s' if months != 1 else ''}."
        )
    if be.status == "cheaper_below":
        return (
            f"Keep {c.a.name} above {count(be.requests_per_month)} requests a month; "
            f"{at} {name} does not pay back ({pb.reason})."
        )
    return (
        f"Keep {c.a.name}: {name} only pays off from {count(be.requests_per_month)} "
        f"requests a month; {at} it {pb.reason}."
    )
