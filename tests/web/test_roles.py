"""Every URL × every role, anonymous included: the role decides, on every view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from rairtc.core.records import Imaging, Mdt
from rairtc.web.registry import store
from rairtc.web.registry.verdicts import pseudonym
from tests.web.cases import NONAVID_SCAN, first_course_patient

# status codes for: anonymous, clinician, manager, researcher (302 = to the login page)
READ = (302, 200, 200, 200)
EDIT = (302, 200, 200, 403)
MANAGE = (302, 403, 200, 403)
DELETE_GET = (302, 403, 405, 403)  # deletions are POST only, and for managers only
IDENTIFIED = (302, 200, 200, 404)  # researchers cannot reach a patient by registry id
PSEUDONYMOUS = (302, 404, 404, 200)  # ... only by pseudonym

URLS: list[tuple[str, tuple[int, int, int, int]]] = [
    ("/healthz", (200, 200, 200, 200)),
    ("/login/", (200, 200, 200, 200)),
    ("/logout/", (405, 405, 405, 405)),
    ("/", (302, 302, 302, 302)),
    ("/patients/", READ),
    ("/patients/?q=WEB&status=refractory&sort=-onset&page=2", READ),
    ("/patients/WEB-1/", IDENTIFIED),
    ("/patients/WEB-1/?as_of=2024-12-01", IDENTIFIED),
    ("/patients/{pseudonym}/", PSEUDONYMOUS),
    ("/patients/new/", EDIT),
    ("/patients/WEB-1/edit/", EDIT),
    ("/patients/WEB-1/surgeries/new/", EDIT),
    ("/patients/WEB-1/surgeries/s1/", EDIT),
    ("/patients/WEB-1/rai_courses/new/", EDIT),
    ("/patients/WEB-1/rai_courses/c1/", EDIT),
    ("/patients/WEB-1/imaging/new/", EDIT),
    ("/patients/WEB-1/imaging/i1/", EDIT),
    ("/patients/WEB-1/imaging/i1/findings/new/", EDIT),
    ("/patients/WEB-1/imaging/i1/findings/f1/", EDIT),
    ("/patients/WEB-1/labs/new/", EDIT),
    ("/patients/WEB-1/labs/l1/", EDIT),
    ("/patients/WEB-1/mdt/new/", EDIT),
    ("/patients/WEB-1/mdt/m1/", EDIT),
    ("/patients/WEB-1/rai_courses/c1/delete/", DELETE_GET),
    ("/patients/WEB-1/delete/", DELETE_GET),
    ("/patients/WEB-1/admissions/new/", EDIT),
    ("/week/", (302, 200, 200, 403)),
    ("/week/?date=2024-12-02", (302, 200, 200, 403)),
    ("/week/?date=not-a-date", (302, 200, 200, 403)),
    ("/mdt/2024-12-06/", (302, 200, 200, 403)),
    ("/mdt/2024-12-06/agenda.pdf", (302, 200, 200, 403)),
    ("/mdt/not-a-date/", (302, 404, 404, 403)),
    ("/mdt/2024-12-06/add/", (302, 405, 405, 403)),
    ("/mdt/2024-12-06/WEB-1/decide/", (302, 405, 405, 403)),
    ("/warnings/", (302, 200, 200, 403)),
    ("/dashboard/", READ),
    ("/dashboard/?from=2020&to=2025", READ),
    ("/dashboard/?from=x", READ),
    ("/study/", (302, 403, 200, 200)),
    ("/study/1/results.json", (302, 403, 404, 404)),
    ("/import/", MANAGE),
    ("/audit/", MANAGE),
    ("/audit/export.csv", MANAGE),
    ("/accounts/", MANAGE),
    ("/accounts/tokens/", MANAGE),
    ("/accounts/tokens/1/revoke/", DELETE_GET),
    ("/accounts/researcher/deactivate/", DELETE_GET),  # POST only, for managers
    ("/accounts/researcher/reactivate/", DELETE_GET),
]
ROLES = (None, "clinician", "manager", "researcher")


@pytest.fixture
def registry(db: None) -> str:
    record = first_course_patient().model_copy(
        update={
            "imaging": (Imaging.model_validate(NONAVID_SCAN),),
            "mdt": (
                Mdt(
                    id="m1",
                    date=date(2024, 12, 10),
                    recommendations=("fdg_pet_ct",),
                    note="private note",
                ),
            ),
        }
    )
    store.save("clinician", record, today=date(2025, 1, 1))
    return pseudonym("WEB-1")


@pytest.mark.parametrize(("url", "expected"), URLS, ids=[u for u, _ in URLS])
def test_every_url_answers_each_role_as_its_permissions_say(
    url: str, expected: tuple[int, int, int, int], registry: str, client_as: Callable[..., object]
) -> None:
    for role, status in zip(ROLES, expected, strict=True):
        response = client_as(role).get(url.format(pseudonym=registry))  # type: ignore[attr-defined]
        assert response.status_code == status, f"{url} as {role}"
        if status == 302 and role is None and url not in ("/",):
            assert response["Location"].startswith("/login/")


def test_a_researcher_cannot_post_a_record(registry: str, client_as: Callable[..., object]) -> None:
    client = client_as("researcher")
    response = client.post("/patients/WEB-1/labs/new/", {"date": "2024-12-20"})  # type: ignore[attr-defined]
    assert response.status_code == 403


def test_a_clinician_cannot_delete(registry: str, client_as: Callable[..., object]) -> None:
    response = client_as("clinician").post("/patients/WEB-1/delete/")  # type: ignore[attr-defined]
    assert response.status_code == 403
    assert store.load("WEB-1") is not None


def test_a_manager_deletes_a_record_and_the_deletion_is_audited(
    registry: str, client_as: Callable[..., object]
) -> None:
    from rairtc.web.audit.models import AuditEvent

    response = client_as("manager").post("/patients/WEB-1/labs/l1/delete/")  # type: ignore[attr-defined]
    assert response.status_code == 302
    record = store.load("WEB-1")
    assert record is not None and record.labs == ()
    assert AuditEvent.objects.filter(action="delete", object_id="l1", username="manager").exists()


IDENTIFIERS = (
    "WEB-1",
    "Omarova",
    "Saule",
    "780412400017",
    "MRN-555001",
    "1978-04-12",
    "12.04.1978",
    "private note",
)


@pytest.mark.parametrize(
    "url", ["/patients/", "/patients/{pseudonym}/", "/patients/?q={pseudonym}"]
)
def test_a_researcher_sees_no_identifier_and_no_free_text(
    url: str, registry: str, client_as: Callable[..., object]
) -> None:
    response = client_as("researcher").get(url.format(pseudonym=registry))  # type: ignore[attr-defined]
    text = response.content.decode()
    assert response.status_code == 200 and registry in text
    for identifier in IDENTIFIERS:
        assert identifier not in text, identifier
    assert "1978" in text  # the birth year stays


def test_a_clinician_sees_the_identifiers(registry: str, client_as: Callable[..., object]) -> None:
    text = client_as("clinician").get("/patients/WEB-1/").content.decode()  # type: ignore[attr-defined]
    for identifier in ("Omarova Saule Maratkyzy", "780412400017", "MRN-555001", "private note"):
        assert identifier in text


def test_a_manager_creates_an_account_and_the_creation_is_audited(
    registry: str, client_as: Callable[..., object]
) -> None:
    from django.contrib.auth import authenticate

    from rairtc.web.audit.models import AuditEvent

    response = client_as("manager").post(  # type: ignore[attr-defined]
        "/accounts/", {"username": "dana", "role": "researcher", "password": "long-enough-pw"}
    )
    assert response.status_code == 302
    user = authenticate(username="dana", password="long-enough-pw")
    assert user is not None and user.profile.role == "researcher"
    event = AuditEvent.objects.get(object_type="account", object_id="dana")
    assert (event.username, event.action, event.after) == (
        "manager",
        "create",
        {"role": "researcher"},
    )
    assert "long-enough-pw" not in str(event.after)


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("WEB-1", True),  # the registry id
        ("WEB", True),  # the start of the id
        ("MRN-555001", True),
        ("780412400017", True),  # the IIN
        ("omarova", True),  # the start of the name, any case
        ("Omarova Saule", True),
        ("Saule", False),  # the given name alone is not the start of the full name
        ("MRN-5550", False),  # an MRN matches whole
    ],
)
def test_clinicians_search_by_id_mrn_iin_or_name(
    q: str, found: bool, registry: str, client_as: Callable[..., object]
) -> None:
    response = client_as("clinician").get("/patients/", {"q": q})  # type: ignore[attr-defined]
    assert ('href="/patients/WEB-1/"' in response.content.decode()) is found


def test_a_researcher_cannot_find_a_patient_by_an_identifier(
    registry: str, client_as: Callable[..., object]
) -> None:
    for q in ("WEB-1", "MRN-555001", "780412400017", "Omarova"):
        text = client_as("researcher").get("/patients/", {"q": q}).content.decode()  # type: ignore[attr-defined]
        assert registry not in text
