"""Who can buy a catalog model on a given day, and for how long.

A model is used in one of two ways, and each has its own dates:

* ``prompt``: calling the model as sold. It needs the base model to answer
  (``retires``) and, for a new customer, to still be sold to new customers
  (``inference_ends_new_customers``).
* ``fine-tune``: training a copy and calling it. It needs the fine-tuned
  model to answer (``ft_retires``, else ``retires``), training to be open
  (``training_ends``) and, for a new customer, open to newcomers
  (``training_ends_new_customers``).

:func:`availability` answers with one code per day; :func:`buyable_over`
asks whether a customer starting from nothing can buy the model on ``start``
and keep it, unchanged, through ``end``. Wording lives in the report layer.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from costmodel.prices.schema import Lifecycle, ModelEntry

Use = Literal["prompt", "fine-tune"]
Availability = Literal[
    "available",  # a new customer can buy it
    "existing-customers",  # only customers who already use it (see Lifecycle.existing_customers)
    "training-closed",  # fine-tuned models still answer, but nobody can train a new one
    "retired",  # the model no longer answers
    "not-released",  # announced for a later date
]
AVAILABILITY_CODES: tuple[Availability, ...] = (
    "available",
    "existing-customers",
    "training-closed",
    "retired",
    "not-released",
)


def default_use(entry: ModelEntry) -> Use:
    """What an entry is for when the caller does not say: fine-tuning if it sells it."""
    return "fine-tune" if entry.fine_tuning is not None else "prompt"


def _inference_end(life: Lifecycle, use: Use) -> dt.date | None:
    return (life.ft_retires or life.retires) if use == "fine-tune" else life.retires


def closing_dates(life: Lifecycle, use: Use) -> dict[Availability, dt.date]:
    """Each date from which the model is less available, keyed by what it becomes.

    >>> life = Lifecycle(training_ends=dt.date(2027, 1, 6), retires=dt.date(2027, 1, 14),
    ...                  training_ends_new_customers=dt.date(2026, 5, 7))
    >>> sorted(closing_dates(life, "fine-tune").values())
    [datetime.date(2026, 5, 7), datetime.date(2027, 1, 6), datetime.date(2027, 1, 14)]
    """
    if use == "fine-tune":
        dates = {
            "existing-customers": life.training_ends_new_customers,
            "training-closed": life.training_ends,
            "retired": _inference_end(life, use),
        }
    else:
        dates = {"existing-customers": life.inference_ends_new_customers, "retired": life.retires}
    return {code: date for code, date in dates.items() if date is not None}  # type: ignore[misc]


def availability(life: Lifecycle, on: dt.date, use: Use) -> Availability:
    """The state of the model on ``on``; the most severe date reached wins.

    >>> life = Lifecycle(training_ends=dt.date(2027, 1, 6), retires=dt.date(2027, 1, 14),
    ...                  training_ends_new_customers=dt.date(2026, 5, 7))
    >>> [availability(life, dt.date(*d), "fine-tune")
    ...  for d in ((2026, 5, 6), (2026, 12, 1), (2027, 1, 6), (2027, 1, 14))]
    ['available', 'existing-customers', 'training-closed', 'retired']
    >>> availability(life, dt.date(2026, 12, 1), "prompt")
    'available'
    """
    if life.released is not None and life.released > on:
        return "not-released"
    reached = {code for code, date in closing_dates(life, use).items() if date <= on}
    for code in ("retired", "training-closed", "existing-customers"):
        if code in reached:
            return code
    return "available"


def buyable_over(life: Lifecycle, start: dt.date, end: dt.date, use: Use) -> bool:
    """Can a customer with no history buy it on ``start`` and keep it through ``end``?

    True only when it is available on ``start`` and no closing date (for new
    customers, for training or for the model itself) falls on or before
    ``end``: a retraining in the plan, or a colleague starting later, would
    otherwise hit a closed door. ``end == start`` asks about ``start`` only.

    >>> life = Lifecycle(retires=dt.date(2027, 5, 19))
    >>> buyable_over(life, dt.date(2026, 12, 1), dt.date(2027, 5, 18), "prompt")
    True
    >>> buyable_over(life, dt.date(2026, 12, 1), dt.date(2027, 5, 19), "prompt")
    False
    """
    if availability(life, start, use) != "available":
        return False
    return all(date > end for date in closing_dates(life, use).values())


def next_change(life: Lifecycle, on: dt.date, use: Use) -> tuple[dt.date, Availability] | None:
    """The first date after ``on`` on which the model becomes less available.

    >>> next_change(Lifecycle(retires=dt.date(2027, 1, 14)), dt.date(2026, 12, 1), "prompt")
    (datetime.date(2027, 1, 14), 'retired')
    """
    ahead = sorted((date, code) for code, date in closing_dates(life, use).items() if date > on)
    return ahead[0] if ahead else None
