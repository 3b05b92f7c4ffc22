"""Evaluate a whole scenario: every strategy priced, every pair compared.

This is the one entry point the dashboard, the CLI and the CSV export share,
so they cannot disagree about a figure. Each pair is compared over its own
horizon (cut only by its two models' lifecycles) through
:func:`costmodel.engine.comparison.compare`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from costmodel.engine.comparison import Comparison, compare
from costmodel.engine.lifecycle import Horizon, horizon_for
from costmodel.engine.notes import Note, NoteCode
from costmodel.engine.strategy_costs import StrategyCosts, resolve_strategy
from costmodel.engine.training import TrainingEstimate
from costmodel.engine.training_plan import with_training_file
from costmodel.prices.catalog import Catalog
from costmodel.prices.overrides import with_overrides
from costmodel.scenario import Scenario
from costmodel.tokens.figures import RequestTokens, read_samples, token_figures
from costmodel.tokens.stats import TokenStats
from costmodel.tokens.tokenizers import tokenizer_for


@dataclass(frozen=True)
class ScenarioResult:
    """Everything the views show for one scenario."""

    scenario: Scenario
    catalog: Catalog
    tokens: dict[str, RequestTokens]
    strategies: tuple[StrategyCosts, ...]
    comparisons: tuple[Comparison, ...]
    start: dt.date
    # What each strategy's inputs were read from (sample and training files).
    input_notes: tuple[tuple[str, Note], ...] = ()
    # The sample files counted, by strategy name (read once: the simulation resamples them).
    samples: Mapping[str, TokenStats] = field(default_factory=dict)

    @property
    def volume(self) -> float:
        return self.scenario.workload.requests_per_month

    @property
    def growth(self) -> float:
        return self.scenario.workload.monthly_growth

    @property
    def primary(self) -> Comparison:
        """The main comparison, as the scenario defines it (:attr:`Scenario.main_pair`)."""
        base, challenger = self.scenario.main_pair
        return self.comparison(self.strategies[base].name, self.strategies[challenger].name)

    @property
    def horizon(self) -> Horizon:
        """The main comparison's horizon, which the charts follow."""
        return self.primary.horizon

    def comparison(self, baseline: str, challenger: str) -> Comparison:
        """The comparison of two strategies by name, in either order."""
        for c in self.comparisons:
            if (c.a.name, c.b.name) == (baseline, challenger):
                return c
        a, b = self._by_name(baseline), self._by_name(challenger)
        horizon = horizon_for([a, b], self.scenario.horizon_months, self.start)
        return compare(a, b, horizon, self.volume, self.growth)

    def _by_name(self, name: str) -> StrategyCosts:
        return next(s for s in self.strategies if s.name == name)


def evaluate(
    scenario: Scenario,
    catalog: Catalog,
    *,
    base_dir: Path | None = None,
    today: dt.date | None = None,
    checked: Mapping[str, TrainingEstimate] | None = None,
) -> ScenarioResult:
    """Price every strategy of ``scenario`` and compare every pair of them.

    Files the scenario names are read from ``base_dir``, except training
    files when ``checked`` holds the ones already checked (then nothing is
    read: :func:`costmodel.engine.training_plan.with_training_file`).
    """
    catalog = with_overrides(catalog, scenario.price_overrides)
    start = scenario.start_date or today or dt.date.today()
    counted = _count_samples(scenario, catalog, base_dir)
    tokens = {s.name: token_figures(s, counted[s.name]) for s in scenario.strategies}
    planned = [with_training_file(s, catalog, base_dir, checked) for s in scenario.strategies]
    costs = tuple(
        resolve_strategy(p.strategy, catalog, tokens[p.strategy.name], start) for p in planned
    )
    file_notes = tuple((p.strategy.name, n) for p in planned for n in p.notes)
    workload = scenario.workload
    comparisons = tuple(
        compare(
            a,
            b,
            horizon_for([a, b], scenario.horizon_months, start),
            workload.requests_per_month,
            workload.monthly_growth,
        )
        for a, b in combinations(costs, 2)
    )
    return ScenarioResult(
        scenario,
        catalog,
        tokens,
        costs,
        comparisons,
        start,
        _token_notes(scenario, catalog, tokens)
        + file_notes
        + _date_notes(scenario, catalog, start),
        {name: stats for name, stats in counted.items() if stats is not None},
    )


def _count_samples(
    scenario: Scenario, catalog: Catalog, base_dir: Path | None
) -> dict[str, TokenStats | None]:
    """Each strategy's sample file counted, once per file and model (strategies may share one)."""
    seen: dict[tuple[str, str], TokenStats | None] = {}
    counted: dict[str, TokenStats | None] = {}
    for s in scenario.strategies:
        if s.tokens.samples is None:
            counted[s.name] = None
            continue
        key = (s.tokens.samples, catalog.resolve(s.model).model_id)
        if key not in seen:
            seen[key] = read_samples(s, catalog, base_dir)
        counted[s.name] = seen[key]
    return counted


# Beyond a year either way, a price read on one date says little about another.
PRICE_DATE_SPAN = dt.timedelta(days=365)


def _date_notes(
    scenario: Scenario, catalog: Catalog, start: dt.date
) -> tuple[tuple[str, Note], ...]:
    """A note for each strategy whose prices were read more than a year from the start date.

    Prices are a snapshot (``as_of``); a horizon that starts years after it (a
    typo such as 2062 for 2026) or long before it applies today's prices to a
    market that did not exist then, so every output says so.
    """
    notes = []
    for s in scenario.strategies:
        as_of = catalog.resolve(s.model).entry.as_of
        if abs(start - as_of) <= PRICE_DATE_SPAN:
            continue
        values: dict[str, str | int] = {
            "as_of": as_of.isoformat(),
            "start": start.isoformat(),
            "days": abs((start - as_of).days),
            "direction": "later" if start > as_of else "earlier",
        }
        notes.append((s.name, Note(NoteCode.PRICES_FAR_FROM_START, values)))
    return tuple(notes)


def _token_notes(
    scenario: Scenario, catalog: Catalog, tokens: dict[str, RequestTokens]
) -> tuple[tuple[str, Note], ...]:
    """Where each strategy's token figures were counted, and when not with its own tokenizer."""
    notes = []
    for s in scenario.strategies:
        counted = tokens[s.name].counted
        if counted is None:
            continue
        values: dict[str, str | int] = {
            "file": counted.file,
            "records": counted.records,
            "encoding": counted.encoding,
        }
        notes.append((s.name, Note(NoteCode.TOKENS_COUNTED, values)))
        choice = tokenizer_for(catalog.resolve(s.model).model_id)
        if choice.approximate:
            notes.append((s.name, Note(NoteCode.APPROXIMATE_TOKENS, {"reason": choice.reason})))
        elif choice.encoding != counted.encoding:
            encodings = {"encoding": counted.encoding, "model_encoding": choice.encoding}
            notes.append((s.name, Note(NoteCode.OTHER_ENCODING, encodings)))
    return tuple(notes)
