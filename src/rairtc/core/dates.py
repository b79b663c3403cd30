"""Calendar arithmetic of ``rules.md``: calendar months clamped to the month's end, ages in
completed years, whole months of follow-up.

Kept apart because every rule with a window depends on exactly these definitions.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the month.

    29 February + 12 months is 28 February.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def completed_years(birth: date, on: date) -> int:
    """Age in completed years on ``on`` (the birthday itself counts as completed)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def whole_months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (floored; 0 when ``end`` < one month).

    The largest n with ``add_months(start, n) <= end``; negative spans give 0.
    """
    if end < start:
        return 0
    n = (end.year - start.year) * 12 + (end.month - start.month)
    while n > 0 and add_months(start, n) > end:
        n -= 1
    return n
