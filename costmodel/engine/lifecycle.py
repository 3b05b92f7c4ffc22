"""Cut a comparison's horizon where a model's lifecycle ends it.

A strategy cannot run past its model's retirement, and a plan that retrains
cannot run past the date a provider stops accepting new training jobs.
Months are whole calendar months from the start date: a model retiring on
14 January leaves one full month to a horizon starting on 1 December.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from costmodel.engine.months import add_months, months_between
from costmodel.engine.strategy_costs import StrategyCosts

__all__ = ["Horizon", "add_months", "horizon_for", "months_between"]


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
        if s.released is not None and start < s.released:
            unavailable[s.name] = (
                f"{s.model_label} was released on {s.released:%Y-%m-%d}, "
                f"after the horizon's start ({start:%Y-%m-%d})"
            )
        if s.retires is not None and s.retires <= start:
            unavailable[s.name] = f"{s.model_label} was retired on {s.retires:%Y-%m-%d}"
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
            unavailable.setdefault(
                s.name,
                f"{s.model_label} accepts no new fine-tuning jobs since {s.training_ends:%Y-%m-%d}",
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
    """Month index of the first retraining due on or after training closes."""
    if not s.retrain_every_months or s.training_ends is None:
        return None
    due = s.retrain_every_months
    while add_months(start, due) < s.training_ends:
        due += s.retrain_every_months
    return due
