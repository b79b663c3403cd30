"""A manager deactivates an account that should no longer open the registry (someone who left
the department) and reactivates it: the account can then neither sign in, nor keep its open
session, nor use its API tokens. Nothing is deleted; every change is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model

from rairtc.web.audit.models import AuditEvent
from tests.web.conftest import PASSWORD

ROLES = (None, "clinician", "manager", "researcher")


def _active(username: str) -> bool:
    return bool(get_user_model().objects.get(username=username).is_active)


@pytest.mark.parametrize(
    ("role", "status", "deactivated"),
    [
        (None, 302, False),  # to the login page
        ("clinician", 403, False),
        ("researcher", 403, False),
        ("manager", 302, True),  # back to the accounts page
    ],
)
def test_only_a_manager_deactivates_an_account(
    role: str | None, status: int, deactivated: bool, client_as: Callable[..., Any]
) -> None:
    response = client_as(role).post("/accounts/researcher/deactivate/")
    assert response.status_code == status
    if role is None:
        assert response["Location"].startswith("/login/")
    assert _active("researcher") is not deactivated


@pytest.mark.parametrize("role", ROLES)
def test_only_a_manager_reactivates_an_account(
    role: str | None, client_as: Callable[..., Any]
) -> None:
    get_user_model().objects.filter(username="researcher").update(is_active=False)
    client_as(role).post("/accounts/researcher/reactivate/")
    assert _active("researcher") is (role == "manager")


def test_a_deactivated_account_cannot_sign_in_nor_keep_its_session(
    client_as: Callable[..., Any],
) -> None:
    from django.test import Client

    clinician = client_as("clinician")
    assert clinician.get("/patients/").status_code == 200
    client_as("manager").post("/accounts/clinician/deactivate/")
    assert authenticate(username="clinician", password=PASSWORD) is None
    page = Client().post("/login/", {"username": "clinician", "password": PASSWORD})
    assert page.status_code == 200 and "_auth_user_id" not in page.client.session
    signed_in = clinician.get("/patients/")
    assert signed_in.status_code == 302 and signed_in["Location"].startswith("/login/")


def test_a_deactivated_accounts_tokens_are_refused_until_it_is_reactivated(
    client_as: Callable[..., Any],
) -> None:
    from django.test import Client

    from rairtc.web.accounts.tokens import create_token

    script = Client(headers={"authorization": f"Bearer {create_token('clinician', by='test')}"})
    assert script.get("/api/patients/").status_code == 200
    manager = client_as("manager")
    manager.post("/accounts/clinician/deactivate/")
    assert script.get("/api/patients/").status_code == 401
    manager.post("/accounts/clinician/reactivate/")
    assert script.get("/api/patients/").status_code == 200
    assert authenticate(username="clinician", password=PASSWORD) is not None


def test_deactivation_and_reactivation_are_audited(client_as: Callable[..., Any]) -> None:
    manager = client_as("manager")
    manager.post("/accounts/researcher/deactivate/")
    manager.post("/accounts/researcher/deactivate/")  # already so: nothing changes
    manager.post("/accounts/researcher/reactivate/")
    events = AuditEvent.objects.filter(object_type="account", object_id="researcher").order_by("pk")
    assert [(e.username, e.action, e.before, e.after) for e in events] == [
        ("manager", "update", {"active": True}, {"active": False}),
        ("manager", "update", {"active": False}, {"active": True}),
    ]


def test_a_manager_cannot_deactivate_their_own_account(client_as: Callable[..., Any]) -> None:
    manager = client_as("manager")
    page = manager.post("/accounts/manager/deactivate/", follow=True)
    assert "You cannot deactivate your own account." in page.content.decode()
    assert _active("manager")
    assert not AuditEvent.objects.filter(object_type="account").exists()
    assert 'action="/accounts/manager/deactivate/"' not in page.content.decode()


def test_an_unknown_account_is_not_found(client_as: Callable[..., Any]) -> None:
    assert client_as("manager").post("/accounts/nobody/deactivate/").status_code == 404


def test_the_accounts_page_shows_who_is_deactivated(client_as: Callable[..., Any]) -> None:
    import re

    manager = client_as("manager")
    manager.post("/accounts/researcher/deactivate/")
    page = manager.get("/accounts/").content.decode()
    row = re.search(r'<tr data-account="researcher">(.*?)</tr>', page, re.S)
    assert row is not None
    assert "deactivated" in row.group(1) and "/accounts/researcher/reactivate/" in row.group(1)
    tokens = manager.get("/accounts/tokens/").content.decode()
    assert '<option value="researcher">' not in tokens  # no new token for it


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ("Отключить", "отключена", "Включить снова")),
        ("kk", ("Өшіру", "өшірілген", "Қайта қосу")),
    ],
)
def test_the_accounts_page_is_translated(
    lang: str, words: tuple[str, ...], client_as: Callable[..., Any]
) -> None:
    manager = client_as("manager")
    manager.post("/language/", {"language": lang})
    manager.post("/accounts/researcher/deactivate/")
    text = manager.get("/accounts/").content.decode()
    for word in words:
        assert word in text, word
    assert "Deactivate" not in text and "Reactivate" not in text
