"""Is fine-tuning a sound decision for *this* team, beyond the break-even number?

The cost model answers "which option is cheaper"; these checks answer "should
we trust that answer and act on it". Each check applies one rule of thumb to
the user's own inputs and returns a level, a code and the figures behind it
(worded by :func:`costmodel.report.wording.check_text`):

* training data — providers require at least 10 examples, gains usually show
  from 50–100, and several hundred good examples are what most tasks need;
* requirement changes — every change to the task means a new training run,
  while a prompt is edited for free;
* volume — how far the expected traffic sits above or below the break-even;
* lifecycle — a model retiring, or training closing, inside the horizon;
* prices — unverified, stale or promotional figures behind the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from costmodel.engine.comparison import Comparison, Status
from costmodel.engine.evaluate import ScenarioResult
from costmodel.engine.training import MIN_EXAMPLES, RECOMMENDED_EXAMPLES
from costmodel.prices.catalog import Catalog

Level = Literal["ok", "info", "warn", "stop"]

FIRST_GAINS_EXAMPLES = 50
SEVERAL_HUNDRED_EXAMPLES = 300
PRICE_ISSUE_KINDS = (
    "unverified",
    "stale",
    "promo",
    "odd",
    "disputed",
    "retired",
    "training-closed",
)


class Topic(StrEnum):
    VOLUME = "volume"
    TRAINING_DATA = "training_data"
    REQUIREMENT_CHANGES = "requirement_changes"
    LIFECYCLE = "lifecycle"
    PRICES = "prices"


@dataclass(frozen=True)
class Check:
    """One rule applied to the inputs: topic, how serious, which finding, its figures."""

    topic: Topic
    level: Level
    code: str
    values: Mapping[str, object] = field(default_factory=dict)


def training_data(examples: int | None) -> Check:
    """Rate the size of the training set against what fine-tuning needs.

    >>> training_data(8).level, training_data(60).level, training_data(600).level
    ('stop', 'info', 'ok')
    """
    topic = Topic.TRAINING_DATA
    if examples is None:
        return Check(topic, "info", "no_fine_tune")
    values = {
        "examples": examples,
        "minimum": MIN_EXAMPLES,
        "first_gains": FIRST_GAINS_EXAMPLES,
        "recommended": RECOMMENDED_EXAMPLES,
    }
    if examples < MIN_EXAMPLES:
        return Check(topic, "stop", "below_minimum", values)
    if examples < FIRST_GAINS_EXAMPLES:
        return Check(topic, "warn", "below_first_gains", values)
    if examples < SEVERAL_HUNDRED_EXAMPLES:
        return Check(topic, "info", "first_gains", values)
    return Check(topic, "ok", "several_hundred", values)


def requirement_changes(c: Comparison) -> Check:
    """Weigh retraining (each change of the task) against the monthly saving.

    Retraining every *r* months at *R* each costs *R / r* a month on average;
    when that exceeds the monthly saving, changing requirements eat the gain.
    """
    topic = Topic.REQUIREMENT_CHANGES
    b = c.b
    if b.kind != "fine-tuned":
        return Check(topic, "info", "no_fine_tune")
    every = b.retrain_every_months
    if not every:
        return Check(topic, "info", "no_retraining", {"retrain_usd": b.retrain_usd})
    values = {
        "every": every,
        "retrain_usd": b.retrain_usd,
        "times": b.retrains_within(c.horizon.months),
        "months": c.horizon.months,
        "per_month_usd": b.retrain_usd / every,
        "saving_usd": c.payback.monthly_savings_usd,
    }
    if b.retrain_usd / every > c.payback.monthly_savings_usd:
        return Check(topic, "warn", "retraining_exceeds_saving", values)
    return Check(topic, "ok", "retraining_covered", values)


def volume_against_breakeven(c: Comparison) -> Check:
    """Say how far the expected volume sits from the break-even volume.

    >>> import datetime as dt
    >>> from costmodel.engine.comparison import BreakEven, Payback, Reason
    >>> from costmodel.engine.lifecycle import Horizon
    >>> from costmodel.engine.strategy_costs import StrategyCosts
    >>> be = BreakEven(Status.BREAKS_EVEN, Reason.SAVES_PER_REQUEST, 100_000.0)
    >>> h = Horizon(12, 12, dt.date(2026, 12, 1))
    >>> c = Comparison(StrategyCosts("a"), StrategyCosts("b"), h, 250_000, be,
    ...                Payback(3, 0.0, 0.0, 0.0))
    >>> check = volume_against_breakeven(c)
    >>> check.level, check.code, check.values["ratio"]
    ('ok', 'above_breakeven', 2.5)
    """
    topic = Topic.VOLUME
    be, volume = c.breakeven, c.volume
    threshold = be.requests_per_month or 0.0
    values = {"volume": volume, "threshold": threshold, "challenger": c.b.name}
    if be.status in (Status.NEVER, Status.UNAVAILABLE):
        return Check(topic, "stop", "never", values)
    if be.status == Status.EQUAL:
        return Check(topic, "info", "equal", values)
    if be.status == Status.ALWAYS:
        return Check(topic, "ok", "always", values)
    if be.status == Status.CHEAPER_BELOW:
        return Check(topic, "ok" if volume < threshold else "warn", "cheaper_below", values)
    if volume >= threshold:
        return Check(topic, "ok", "above_breakeven", {**values, "ratio": volume / threshold})
    if volume <= 0:
        return Check(topic, "warn", "no_traffic", values)
    return Check(topic, "warn", "below_breakeven", {**values, "ratio": volume / threshold})


def lifecycle(c: Comparison) -> Check:
    """Flag retirements and closed training for the two compared models.

    Models a new customer cannot buy, or keep, over the horizon
    (:attr:`Horizon.closed`) warn rather than stop: an existing customer may
    still run them.
    """
    h = c.horizon
    values = {"months": h.months, "horizon": h}
    if h.unavailable:
        return Check(Topic.LIFECYCLE, "stop", "unavailable", values)
    if h.cut or h.closed:
        return Check(Topic.LIFECYCLE, "warn", "cut", values)
    return Check(Topic.LIFECYCLE, "ok", "open", values)


def prices(catalog: Catalog, keys: Iterable[str], today: dt.date) -> Check:
    """List the doubtful price figures behind the compared models."""
    wanted = set(keys)
    found = [
        (catalog[i.key].label, i.message)
        for i in catalog.issues(today)
        if i.key in wanted and i.kind in PRICE_ISSUE_KINDS
    ]
    if found:
        return Check(Topic.PRICES, "warn", "doubtful", {"issues": found})
    return Check(Topic.PRICES, "ok", "sourced")


def readiness(result: ScenarioResult, today: dt.date) -> list[Check]:
    """Every check for the main comparison of ``result``."""
    c = result.primary
    plan = c.b.training
    return [
        volume_against_breakeven(c),
        training_data(plan.examples if plan else None),
        requirement_changes(c),
        lifecycle(c),
        prices(result.catalog, (c.a.model_key, c.b.model_key), today),
    ]
