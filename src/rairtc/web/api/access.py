"""Who is calling and what the call may do: the token's user and the pages' permissions.

Shared by every router of the API so that each endpoint names its permission in one line.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _

from rairtc.web.accounts.roles import Can, allowed
from rairtc.web.api.errors import ApiError
from rairtc.web.days import FIRST_DAY, LAST_DAY, countable

# The largest primary key the databases store (64-bit); a larger id names no row.
LARGEST_ID = 2**63 - 1


def need(request: HttpRequest, permission: Can) -> None:
    if not allowed(request.auth, permission):
        message = _("Your role may not do this (it needs the permission %(permission)s).")
        raise ApiError(403, "forbidden", message % {"permission": permission.value})


def identified(request: HttpRequest) -> bool:
    return allowed(request.auth, Can.SEE_IDENTIFIERS)


def username(request: HttpRequest) -> str:
    return str(request.auth.get_username())


def in_range(day: date, field: str) -> date:
    """A date the registry can reason about (weeks, windows of months around it)."""
    if not countable(day):
        message = _(
            "%(field)s %(day)s is outside %(first)s to %(last)s: give a date in that range."
        )
        values = {
            "field": field,
            "day": day.isoformat(),
            "first": FIRST_DAY.isoformat(),
            "last": LAST_DAY.isoformat(),
        }
        raise ApiError(422, "invalid_request", message % values, field=field)
    return day


def fits(value: int) -> bool:
    """An id from the URL that a database key can hold (larger ones name no row)."""
    return 0 < value <= LARGEST_ID
