"""Is fine-tuning a sound decision for *this* team, beyond the break-even number?

The cost model answers "which option is cheaper"; these checks answer "should
we trust that answer and act on it". Each check applies one rule of thumb of
the decision framework to the user's own inputs and returns a plain sentence:

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from costmodel.engine.evaluate import Comparison, ScenarioResult
from costmodel.engine.lifecycle import Horizon, add_months
from costmodel.engine.training import MIN_EXAMPLES, RECOMMENDED_EXAMPLES
from costmodel.prices.availability import Use
from costmodel.prices.catalog import Catalog
from costmodel.report.numbers import count, money

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


@dataclass(frozen=True)
class Check:
    """One rule applied to the inputs: a topic, how serious, and what to do."""

    topic: str
    level: Level
    message: str


def training_data(examples: int | None) -> Check:
    """Rate the size of the training set against what fine-tuning needs.

    >>> training_data(8).level, training_data(60).level, training_data(600).level
    ('stop', 'info', 'ok')
    """
    topic = "Training data"
    if examples is None:
        return Check(topic, "info", "No fine-tuned option in this comparison.")
    have = f"{count(examples)} training examples"
    if examples < MIN_EXAMPLES:
        return Check(
            topic, "stop", f"{have}: providers refuse jobs with fewer than {MIN_EXAMPLES}."
        )
    if examples < FIRST_GAINS_EXAMPLES:
        return Check(
            topic,
            "warn",
            f"{have}: enough to start a job, but gains usually appear only from "
            f"{FIRST_GAINS_EXAMPLES}–{RECOMMENDED_EXAMPLES} examples.",
        )
    if examples < SEVERAL_HUNDRED_EXAMPLES:
        return Check(
            topic,
            "info",
            f"{have}: expect first gains; most tasks need several hundred good examples "
            "to match a long prompt reliably.",
        )
    return Check(topic, "ok", f"{have}: in the several-hundred range most tasks need.")


def requirement_changes(c: Comparison, horizon_months: int) -> Check:
    """Weigh retraining (each change of the task) against the monthly saving.

    Retraining every *r* months at *R* each costs *R / r* a month on average;
    when that exceeds the monthly saving, changing requirements eat the gain.
    """
    topic = "Requirement changes"
    b = c.b
    if b.kind != "fine-tuned":
        return Check(topic, "info", "No fine-tuned option: a change is a prompt edit.")
    per_retrain = money(b.retrain_usd)
    every = b.retrain_every_months
    if not every:
        return Check(
            topic,
            "info",
            f"No retraining planned. Each change to labels, rules or format needs a new "
            f"training run of about {per_retrain}; with prompting it is a prompt edit.",
        )
    times = b.retrains_within(horizon_months)
    per_month = b.retrain_usd / every
    saving = c.payback.monthly_savings_usd
    text = (
        f"Retraining every {every} month{'s' if every != 1 else ''} costs {per_retrain} "
        f"each, {times} time{'s' if times != 1 else ''} in {horizon_months} months "
        f"({money(times * b.retrain_usd)})"
    )
    if per_month > saving:
        return Check(
            topic,
            "warn",
            f"{text}: about {money(per_month)} a month, more than the {money(saving)} "
            "monthly saving. If requirements change this often, keep prompting.",
        )
    return Check(
        topic,
        "ok",
        f"{text}, about {money(per_month)} a month: covered by the {money(saving)} monthly saving.",
    )


def volume_against_breakeven(c: Comparison, volume: float) -> Check:
    """Say how far the expected volume sits from the break-even volume.

    >>> from costmodel.engine.comparison import BreakEven, Payback
    >>> from costmodel.engine.strategy_costs import StrategyCosts
    >>> be = BreakEven("a", "b", "breaks_even", 100_000.0, "", 12)
    >>> c = Comparison(StrategyCosts("x"), StrategyCosts("x"), be, Payback(3, 0.0, 0.0, ""))
    >>> volume_against_breakeven(c, 250_000).message
    '250,000 requests a month is 2.5× the break-even of 100,000.'
    """
    topic = "Volume"
    be = c.breakeven
    at = f"{count(volume)} requests a month"
    if be.status in ("never", "unavailable"):
        return Check(topic, "stop", f"{c.b.name} never pays off here: {be.reason}.")
    if be.status == "equal":
        return Check(topic, "info", "Both options cost the same at every volume.")
    if be.status == "always":
        return Check(topic, "ok", f"{c.b.name} is cheaper at any volume: {be.reason}.")
    threshold = be.requests_per_month or 0.0
    if be.status == "cheaper_below":
        level: Level = "ok" if volume < threshold else "warn"
        return Check(
            topic,
            level,
            f"{c.b.name} is cheaper only below {count(threshold)} requests a month; "
            f"you expect {at}.",
        )
    if threshold <= 0 or volume >= threshold:
        ratio = _times(volume / threshold) if threshold > 0 else "above"
        return Check(topic, "ok", f"{at} is {ratio} the break-even of {count(threshold)}.")
    if volume <= 0:
        return Check(
            topic, "warn", f"No traffic yet: the break-even is {count(threshold)} requests a month."
        )
    return Check(
        topic,
        "warn",
        f"{at} is {volume / threshold:.0%} of the break-even of {count(threshold)}: "
        f"traffic must grow {_times(threshold / volume)} before fine-tuning pays.",
    )


def _times(ratio: float) -> str:
    """A multiple, readable at any size.

    >>> _times(2.5), _times(37.2), _times(1234.0)
    ('2.5×', '37×', '1,234×')
    """
    return f"{ratio:.2g}×" if ratio < 10 else f"{ratio:,.0f}×"


def lifecycle(horizon: Horizon, closed: Sequence[str] = ()) -> Check:
    """Flag retirements and closed training inside the horizon.

    ``closed`` lists models a new customer cannot buy, or keep, over the
    horizon (see :func:`closed_to_new_customers`): an existing customer may
    still run them, so they warn rather than stop.
    """
    topic = "Model lifecycle"
    if horizon.unavailable:
        return Check(topic, "stop", " ".join(f"{why}." for why in horizon.unavailable.values()))
    if horizon.cut or closed:
        return Check(topic, "warn", "; ".join([*horizon.notes, *closed]) + ".")
    return Check(
        topic,
        "ok",
        f"No model retires and training stays open for the {horizon.months}-month horizon.",
    )


_STATES = {
    "existing-customers": "is open to existing customers only",
    "training-closed": "accepts no new training",
    "retired": "is retired",
    "not-released": "is not released yet",
}


def closed_to_new_customers(result: ScenarioResult) -> list[str]:
    """Each compared model a new customer cannot buy at the start, or keep to the end.

    >>> from costmodel import demo_scenario, evaluate, load_catalog
    >>> closed_to_new_customers(evaluate(demo_scenario(), load_catalog()))
    []
    """
    horizon = result.horizon
    end = add_months(horizon.start, horizon.months)
    found = []
    for s in result.strategies:
        model = result.catalog[s.model_key]
        use: Use = "fine-tune" if s.kind == "fine-tuned" else "prompt"
        if model.buyable_over(horizon.start, end, use):
            continue
        state = model.availability(horizon.start, use)
        if state != "available":
            found.append(f"{model.label} {_STATES[state]} on {horizon.start:%Y-%m-%d}")
            continue
        change = model.next_change(horizon.start, use)
        if change is not None:
            found.append(
                f"{model.label} {_STATES[change[1]]} from {change[0]:%Y-%m-%d}, "
                "inside the horizon, for a new customer"
            )
    return found


def prices(catalog: Catalog, keys: Iterable[str], today: dt.date) -> Check:
    """List the doubtful price figures behind the compared models."""
    topic = "Prices"
    wanted = set(keys)
    found = [
        f"{catalog[i.key].label}: {i.message}"
        for i in catalog.issues(today)
        if i.key in wanted and i.kind in PRICE_ISSUE_KINDS
    ]
    if found:
        return Check(topic, "warn", "; ".join(found) + ". Check them or override them.")
    return Check(topic, "ok", "Every price in use has a source and a recent date.")


def readiness(result: ScenarioResult, today: dt.date) -> list[Check]:
    """Every check for the primary comparison of ``result``."""
    c = result.primary
    plan = c.b.training
    return [
        volume_against_breakeven(c, result.volume),
        training_data(plan.examples if plan else None),
        requirement_changes(c, result.horizon.months),
        lifecycle(result.horizon, closed_to_new_customers(result)),
        prices(result.catalog, (c.a.model_key, c.b.model_key), today),
    ]
