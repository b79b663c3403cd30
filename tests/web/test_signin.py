"""Every request reads its session and its account afresh, with plain SELECTs
(``accounts/sessions.py``, ``accounts/backends.py``): nothing about a person is cached between
requests, so a logout, a deactivation, a new role or language and a new password take effect on
the very next request, also where another worker process holds the same session. Two test
clients with one session cookie stand for two worker processes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from rairtc.web.accounts.models import Profile


def _signed_out(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_logout_ends_the_session_everywhere(client_as: Callable[..., Any]) -> None:
    clinician = client_as("clinician")
    other = Client()
    other.cookies["sessionid"] = clinician.cookies["sessionid"].value
    assert other.get("/patients/").status_code == 200
    clinician.post("/logout/")
    assert _signed_out(other.get("/patients/"))


def test_a_deactivation_ends_the_open_session_at_once(client_as: Callable[..., Any]) -> None:
    clinician = client_as("clinician")
    assert clinician.get("/patients/").status_code == 200
    get_user_model().objects.filter(username="clinician").update(is_active=False)
    assert _signed_out(clinician.get("/patients/"))


def test_a_new_role_applies_to_the_next_request(client_as: Callable[..., Any]) -> None:
    clinician = client_as("clinician")
    assert clinician.get("/week/").status_code == 200
    Profile.objects.filter(user__username="clinician").update(role="researcher")
    assert clinician.get("/week/").status_code == 403  # no identified pages for researchers
    page = clinician.get("/patients/").content.decode()
    assert "Registry id" not in page and "Pseudonym" in page


def test_a_new_language_applies_to_the_next_request(client_as: Callable[..., Any]) -> None:
    clinician = client_as("clinician")
    assert '<html lang="en">' in clinician.get("/patients/").content.decode()
    Profile.objects.filter(user__username="clinician").update(language="kk")
    assert '<html lang="kk">' in clinician.get("/patients/").content.decode()


def test_a_new_password_ends_the_other_sessions(client_as: Callable[..., Any]) -> None:
    clinician = client_as("clinician")
    user = get_user_model().objects.get(username="clinician")
    user.set_password("another-long-password")
    user.save()
    assert _signed_out(clinician.get("/patients/"))


def test_an_expired_session_is_no_session(client_as: Callable[..., Any]) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    clinician = client_as("clinician")
    key = clinician.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    assert _signed_out(clinician.get("/patients/"))


def test_an_account_without_a_profile_has_no_role(client_as: Callable[..., Any]) -> None:
    clinician = client_as("clinician")
    Profile.objects.filter(user__username="clinician").delete()
    assert clinician.get("/patients/").status_code == 403


@pytest.mark.parametrize("role", ["clinician", "manager", "researcher"])
def test_the_account_read_is_the_orms_account(personas: dict[str, str], role: str) -> None:
    from rairtc.web.accounts.backends import AccountBackend

    fields = [f.attname for f in get_user_model()._meta.concrete_fields]
    orm = get_user_model().objects.select_related("profile").get(username=role)
    read = AccountBackend().get_user(orm.pk)
    assert read is not None
    assert [getattr(read, f) for f in fields] == [getattr(orm, f) for f in fields]
    assert (read.profile.pk, read.profile.role, read.profile.language) == (
        orm.profile.pk,
        orm.profile.role,
        orm.profile.language,
    )
    assert AccountBackend().get_user(orm.pk + 1000) is None


def test_a_signed_in_request_reads_session_and_account_in_two_statements(
    client_as: Callable[..., Any],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clinician = client_as("clinician")
    with CaptureQueriesContext(connection) as done:
        assert clinician.get("/healthz").status_code == 200
    assert len(done.captured_queries) == 2
