"""Who is calling and what the call may do: the token's user and the pages' permissions.

Shared by every router of the API so that each endpoint names its permission in one line.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest

from rairtc.web.accounts.roles import Can, allowed
from rairtc.web.api.errors import ApiError
from rairtc.web.cycle.week import FIRST_DAY, LAST_DAY, countable

# The largest primary key the databases store (64-bit); a larger id names no row.
LARGEST_ID = 2**63 - 1


def need(request: HttpRequest, permission: Can) -> None:
    if not allowed(request.auth, permission):
        raise ApiError(403, "forbidden", f"your role may not {permission.value}")


def identified(request: HttpRequest) -> bool:
    return allowed(request.auth, Can.SEE_IDENTIFIERS)


def username(request: HttpRequest) -> str:
    return str(request.auth.get_username())


def in_range(day: date, field: str) -> date:
    """A date the registry can reason about (weeks, windows of months around it)."""
    if not countable(day):
        raise ApiError(
            422,
            "invalid_request",
            f"{field} {day.isoformat()} is outside {FIRST_DAY.isoformat()} to "
            f"{LAST_DAY.isoformat()}: give a date in that range",
            field=field,
        )
    return day


def row_id(value: int, what: str) -> int:
    """An id from the URL that can name a row; anything else is not found."""
    if not 0 < value <= LARGEST_ID:
        raise ApiError(404, "not_found", f"no {what} {value}")
    return value
