"""Whole calendar months between dates, the unit of every horizon and price schedule.

Months are counted from the start date: a model retiring on 14 January leaves
one full month to a horizon starting on 1 December, and a price change on
1 January applies from the second month of that horizon.
"""

from __future__ import annotations

import calendar
import datetime as dt


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (never negative).

    >>> months_between(dt.date(2026, 12, 1), dt.date(2027, 1, 14))
    1
    >>> months_between(dt.date(2026, 1, 31), dt.date(2026, 2, 28))
    0
    >>> months_between(dt.date(2026, 12, 1), dt.date(2026, 11, 1))
    0
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(0, months)


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clipped to the month's last day.

    >>> add_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
