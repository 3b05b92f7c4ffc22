"""Cut a comparison's horizon where a model's lifecycle ends it.

A strategy cannot run past its model's retirement, and a plan that retrains
cannot run past the date a provider stops accepting new training jobs.
Months are whole calendar months from the start date: a model retiring on
14 January leaves one full month to a horizon starting on 1 December.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from costmodel.engine.months import add_months, months_between
from costmodel.engine.strategy_costs import StrategyCosts
from costmodel.prices.availability import Availability, availability, buyable_over, next_change

__all__ = ["Closure", "Horizon", "add_months", "horizon_for", "months_between"]


class CutCode(StrEnum):
    """What a model's lifecycle does to a comparison."""

    RETIRES = "retires"  # inference ends inside the horizon
    TRAINING_CLOSES = "training_closes"  # a retraining falls after new jobs stop
    RETIRED = "retired"  # inference ended before the start date
    TRAINING_CLOSED = "training_closed"  # no new fine-tuning jobs since before the start
    NOT_RELEASED = "not_released"  # released after the start date


@dataclass(frozen=True)
class Cut:
    """One lifecycle event: which model, when, and the months left (or the blocked month).

    ``months`` is the horizon the event leaves; for ``training_closes``
    ``due_month`` is the 1-based month of the retraining that cannot run.
    """

    code: CutCode
    strategy: str
    model_label: str
    date: dt.date
    months: int = 0
    due_month: int = 0


@dataclass(frozen=True)
class Closure:
    """A compared model a new customer cannot buy at the start, or keep to the end.

    ``state`` is the catalog's availability code; ``later`` marks a change
    that falls inside the horizon rather than on its first day. An existing
    customer may still run the model, so a closure warns instead of blocking.
    """

    model_label: str
    state: Availability
    date: dt.date
    later: bool = False


@dataclass(frozen=True)
class Horizon:
    """The months a comparison really covers, and the lifecycle events that shortened it.

    ``cuts`` lists every event inside the requested horizon in the order met;
    ``cut_by`` is the one that sets ``months``. ``unavailable`` lists models
    that cannot be used at all on the start date; ``closed`` lists models a
    new customer cannot buy on the start date or keep for ``months``.
    """

    months: int
    requested_months: int
    start: dt.date
    cuts: tuple[Cut, ...] = ()
    unavailable: tuple[Cut, ...] = ()
    closed: tuple[Closure, ...] = ()

    @property
    def cut(self) -> bool:
        return self.months < self.requested_months

    @property
    def new_customer_closures(self) -> tuple[Closure, ...]:
        """The closures no cut or unavailable event already tells (same model, same day).

        A model retiring inside the horizon is both a cut and a closure; it is
        told once, as the cut.
        """
        told = {(c.model_label, c.date) for c in self.cuts + self.unavailable}
        return tuple(c for c in self.closed if (c.model_label, c.date) not in told)

    @property
    def cut_by(self) -> Cut | None:
        """The event that ended the horizon (the shortest one), if any."""
        if not self.cut:
            return None
        return min(self.cuts, key=lambda c: c.months)


def horizon_for(strategies: Sequence[StrategyCosts], requested: int, start: dt.date) -> Horizon:
    """The horizon ``strategies`` share from ``start``: cut by their own models only.

    A comparison passes just its two strategies, so an unrelated model's
    retirement never shortens it.
    """
    months = requested
    cuts: list[Cut] = []
    unavailable: list[Cut] = []
    for s in strategies:
        if s.released is not None and start < s.released:
            unavailable.append(Cut(CutCode.NOT_RELEASED, s.name, s.model_label, s.released))
        if s.retires is not None and s.retires <= start:
            unavailable.append(Cut(CutCode.RETIRED, s.name, s.model_label, s.retires))
        elif s.retires is not None:
            left = months_between(start, s.retires)
            if left < requested:
                cuts.append(Cut(CutCode.RETIRES, s.name, s.model_label, s.retires, left))
                months = min(months, left)
        if s.training_ends is None or s.kind != "fine-tuned":
            continue
        if s.training_ends <= start:
            if not any(u.strategy == s.name for u in unavailable):
                unavailable.append(
                    Cut(CutCode.TRAINING_CLOSED, s.name, s.model_label, s.training_ends)
                )
            continue
        blocked = _first_blocked_retrain(s, start)
        if blocked is not None and blocked < requested:
            cuts.append(
                Cut(
                    CutCode.TRAINING_CLOSES,
                    s.name,
                    s.model_label,
                    s.training_ends,
                    blocked,
                    blocked + 1,
                )
            )
            months = min(months, blocked)
    last_day = max(start, add_months(start, months) - dt.timedelta(days=1))
    closed = tuple(c for s in strategies if (c := _closure(s, start, last_day)) is not None)
    return Horizon(months, requested, start, tuple(cuts), tuple(unavailable), closed)


def _closure(s: StrategyCosts, start: dt.date, end: dt.date) -> Closure | None:
    """Why a new customer could not buy ``s``'s model on ``start`` and keep it through ``end``.

    Judged as the strategy uses the model (fine-tuning it, or prompting it),
    with the catalog's own rule (:func:`costmodel.prices.availability.buyable_over`).
    """
    life = s.lifecycle
    if life is None or buyable_over(life, start, end, s.use):
        return None
    state = availability(life, start, s.use)
    if state != "available":
        return Closure(s.model_label, state, start)
    change = next_change(life, start, s.use)
    return None if change is None else Closure(s.model_label, change[1], change[0], later=True)


def _first_blocked_retrain(s: StrategyCosts, start: dt.date) -> int | None:
    """Month index of the first retraining due on or after training closes."""
    if not s.retrain_every_months or s.training_ends is None:
        return None
    due = s.retrain_every_months
    while add_months(start, due) < s.training_ends:
        due += s.retrain_every_months
    return due
