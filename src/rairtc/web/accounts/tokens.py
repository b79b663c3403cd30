"""Bearer tokens of the JSON API: created for a user (by a manager or ``rairtc token create``),
checked on every API call, revocable; every creation and revocation audited."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from rairtc.web.accounts.models import ApiToken
from rairtc.web.audit.trail import record

PREFIX = "rt_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(username: str, *, by: str) -> str:
    """A new token for an existing, active account with a role; the token itself is returned
    once."""
    user = get_user_model().objects.filter(username=username, profile__isnull=False).first()
    if user is None:
        raise LookupError(f"no account {username!r} with a role: create it first (createuser)")
    if not user.is_active:
        raise LookupError(
            f"account {username!r} is deactivated: a manager reactivates it on /accounts/ first"
        )
    token = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user, digest=digest(token), prefix=token[: len(PREFIX) + 6], created_by=by
        )
        record(by, "create", "api_token", str(row.pk), after={"user": username})
    return token


def revoke_token(token_id: int, *, by: str) -> bool:
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().filter(pk=token_id, revoked=None).first()
        if row is None:
            return False
        row.revoked = timezone.now()
        row.save(update_fields=["revoked"])
        record(by, "delete", "api_token", str(row.pk), before={"user": row.user.get_username()})
    return True


def user_of(token: str) -> Any:
    """The active user a token stands for, or None (unknown, revoked, inactive, no role)."""
    row = (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(digest=digest(token), revoked=None)
        .first()
    )
    if row is None or not row.user.is_active or getattr(row.user, "profile", None) is None:
        return None
    return row.user
