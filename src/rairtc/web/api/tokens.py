"""API tokens through the API: managers create, list and revoke them (as on
``/accounts/tokens/``). The token itself is in the creation's answer only; lists show its
prefix. Creation and revocation are audited by :mod:`rairtc.web.accounts.tokens`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from rairtc.web.accounts.models import ApiToken
from rairtc.web.accounts.roles import Can
from rairtc.web.accounts.tokens import create_token, digest, revoke_token
from rairtc.web.api.access import fits, need, username
from rairtc.web.api.errors import ApiError

router = Router(tags=["tokens"])


class NewToken(Schema):
    username: str


def _token_json(row: ApiToken) -> dict[str, Any]:
    return {
        "id": row.pk,
        "username": row.user.get_username(),
        "prefix": row.prefix,
        "created": row.created.isoformat(),
        "created_by": row.created_by,
        "revoked": None if row.revoked is None else row.revoked.isoformat(),
    }


@router.get("/tokens/", summary="Every API token (prefix only), revoked ones included")
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    need(request, Can.ACCOUNTS)
    return [_token_json(row) for row in ApiToken.objects.select_related("user")]


@router.post(
    "/tokens/", response={201: dict[str, Any]}, summary="Create a token (shown only in this answer)"
)
def new_token(request: HttpRequest, new: NewToken) -> Status[dict[str, Any]]:
    from django.contrib.auth import get_user_model

    need(request, Can.ACCOUNTS)
    user = get_user_model().objects.filter(username=new.username, profile__isnull=False).first()
    if user is None or not user.is_active:
        message = (
            _("No account %(name)s with a role.")
            if user is None
            else _("Account %(name)s is deactivated: a manager reactivates it on /accounts/ first.")
        )
        raise ApiError(404, "not_found", message % {"name": new.username}, field="username")
    token = create_token(new.username, by=username(request))
    row = ApiToken.objects.select_related("user").get(digest=digest(token))
    return Status(201, {**_token_json(row), "token": token})


@router.delete("/tokens/{token_id}/", response={204: None}, summary="Revoke a token")
def revoke(request: HttpRequest, token_id: int) -> Status[None]:
    need(request, Can.ACCOUNTS)
    if not (fits(token_id) and revoke_token(token_id, by=username(request))):
        message = _("No token %(id)s, or it is revoked already.")
        raise ApiError(404, "not_found", message % {"id": token_id})
    return Status(204, None)
