"""The dates a page or the API can be asked about.

Week arithmetic and ages need a few weeks of calendar either side of a date, so a date in the
first or last weeks Python can represent (``0001-01-01``, ``9999-12-31``) would overflow into a
server error. Pages and the API refuse or replace a date outside these bounds.
"""

from __future__ import annotations

from datetime import date

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)


def countable(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY
