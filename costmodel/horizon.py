"""Cut a comparison's horizon where a model's lifecycle ends it.

A strategy cannot run past its model's retirement, and a plan that retrains
cannot run past the date a provider stops accepting new training jobs.
Months are counted as whole average months (365.2425 / 12 days) from the
start date, rounded down: a model retiring 45 days in leaves one full month.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from costmodel.strategy_costs import StrategyCosts

DAYS_PER_MONTH = 365.2425 / 12


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole average months from ``start`` to ``end`` (never negative).

    >>> months_between(dt.date(2026, 12, 1), dt.date(2027, 1, 14))
    1
    >>> months_between(dt.date(2026, 12, 1), dt.date(2026, 11, 1))
    0
    """
    return max(0, int((end - start).days // DAYS_PER_MONTH))


@dataclass(frozen=True)
class Horizon:
    """The months a comparison really covers, and why it is shorter than asked."""

    months: int
    requested_months: int
    start: dt.date
    notes: tuple[str, ...] = ()
    unavailable: dict[str, str] = field(default_factory=dict)

    @property
    def cut(self) -> bool:
        return self.months < self.requested_months


def horizon_for(strategies: Sequence[StrategyCosts], requested: int, start: dt.date) -> Horizon:
    """The horizon shared by ``strategies`` starting on ``start``."""
    months = requested
    notes: list[str] = []
    unavailable: dict[str, str] = {}
    for s in strategies:
        if s.retires is not None:
            left = months_between(start, s.retires)
            if left < months:
                months = left
                notes.append(
                    f"{s.model_label} retires on {s.retires:%Y-%m-%d}: "
                    f"horizon cut to {left} month{'s' if left != 1 else ''}"
                )
        if s.training_ends is None or s.kind != "fine-tuned":
            continue
        if s.training_ends <= start:
            unavailable[s.name] = (
                f"{s.model_label} accepts no new fine-tuning jobs since {s.training_ends:%Y-%m-%d}"
            )
            continue
        blocked = _first_blocked_retrain(s, start)
        if blocked is not None and blocked < months:
            months = blocked
            notes.append(
                f"{s.model_label} accepts no training jobs after {s.training_ends:%Y-%m-%d}, "
                f"so the retraining due in month {blocked + 1} cannot run: "
                f"horizon cut to {blocked} month{'s' if blocked != 1 else ''}"
            )
    return Horizon(months, requested, start, tuple(notes), unavailable)


def _first_blocked_retrain(s: StrategyCosts, start: dt.date) -> int | None:
    """Months until the first retraining that falls on or after training closes.

    Retrainings happen at the start of months r, 2r, …; one at month k·r
    (k·r average months after ``start``) is blocked when that day is not
    before ``training_ends``.
    """
    if not s.retrain_every_months or s.training_ends is None:
        return None
    open_months = (s.training_ends - start).days / DAYS_PER_MONTH
    r = s.retrain_every_months
    return r * max(1, math.ceil(open_months / r))
