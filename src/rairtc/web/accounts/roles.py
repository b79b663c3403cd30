"""Roles and what each may do, as data: every view names the permission it needs.

- clinician: identified records, adds and edits records, records MDT decisions;
- manager: everything a clinician does, plus imports, accounts, deletions and the audit;
- researcher: read-only and pseudonymised (keyed pseudonyms, no identifiers, no free text,
  birth year only); runs studies (as managers do).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


class Role(StrEnum):
    CLINICIAN = "clinician"
    MANAGER = "manager"
    RESEARCHER = "researcher"


class Can(StrEnum):
    VIEW = "view"
    SEE_IDENTIFIERS = "see_identifiers"
    EDIT = "edit"
    DELETE = "delete"
    IMPORT = "import"
    AUDIT = "audit"
    ACCOUNTS = "accounts"
    STUDY = "study"


PERMISSIONS: dict[Role, frozenset[Can]] = {
    Role.CLINICIAN: frozenset({Can.VIEW, Can.SEE_IDENTIFIERS, Can.EDIT}),
    Role.MANAGER: frozenset(Can),
    Role.RESEARCHER: frozenset({Can.VIEW, Can.STUDY}),
}


def role_of(user: Any) -> Role | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    return None if profile is None else Role(profile.role)


def allowed(user: Any, permission: Can) -> bool:
    role = role_of(user)
    return role is not None and permission in PERMISSIONS[role]


def requires(
    permission: Can,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Anonymous users go to the login page; a signed-in user without the permission gets 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from django.contrib.auth.views import redirect_to_login
            from django.core.exceptions import PermissionDenied

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def role_context(request: HttpRequest) -> dict[str, Any]:
    """Template flags: ``can.edit``, ``can.see_identifiers``, ... and the role itself."""
    from rairtc.web.labels import label

    role = role_of(request.user)
    granted = PERMISSIONS[role] if role else frozenset()
    return {
        "role": role,
        "role_label": label("role", role),
        "can": {p.value: p in granted for p in Can},
    }
