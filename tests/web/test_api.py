"""The JSON API: every endpoint × every role against an explicit allow-list (a new endpoint
without an entry fails), the pages' pseudonymisation for researchers, writes validated by the
core with its message codes, tokens that can be revoked."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from rairtc.core.records import Imaging, Mdt
from rairtc.io.json_files import patient_to_json
from rairtc.web.registry import store
from rairtc.web.registry.verdicts import pseudonym
from tests.web.cases import NONAVID_SCAN, first_course_patient

ROLES = (None, "clinician", "manager", "researcher")
# status codes for: no token, clinician, manager, researcher
READ = (401, 200, 200, 200)
IDENTIFIED = (401, 200, 200, 404)  # researchers cannot reach a patient by registry id
PSEUDONYMOUS = (401, 404, 404, 200)  # ... only by pseudonym
EDIT = (401, 201, 201, 403)
REPLACE = (401, 200, 200, 403)
MANAGE = (401, 403, 200, 403)
DELETE = (401, 403, 204, 403)
CLINICAL = (401, 200, 200, 403)  # the week, the agenda: clinical work with names
CANCEL = (401, 204, 204, 403)  # a plan or an addition by hand, undone by those who make them
MANAGE_NEW = (401, 403, 201, 403)

NEW_LAB = {"date": "2024-12-20", "test": "tg", "value": 30.0, "unit": "ng/mL"}


def _new_patient(role: str | None) -> dict[str, Any]:
    data = patient_to_json(first_course_patient(f"NEW-{role}"))
    return data


def _replacement(role: str | None) -> dict[str, Any]:
    """WEB-1 as stored, one field changed: every record kept (leaving one out deletes it)."""
    record = store.load("WEB-1")
    assert record is not None
    return {**patient_to_json(record), "smoker": True}


def _imported(role: str | None) -> list[dict[str, Any]]:
    return [patient_to_json(first_course_patient(f"IMP-{role}"))]


# (method, schema path) -> the calls made and what each role gets.
Call = tuple[str, Any, tuple[int, int, int, int]]
ALLOWED: dict[tuple[str, str], list[Call]] = {
    ("GET", "/api/patients/"): [("/api/patients/?status=refractory&limit=5", None, READ)],
    ("POST", "/api/patients/"): [("/api/patients/", _new_patient, EDIT)],
    ("GET", "/api/patients/{pid}/"): [
        ("/api/patients/WEB-1/", None, IDENTIFIED),
        ("/api/patients/{pseudonym}/", None, PSEUDONYMOUS),
    ],
    ("PUT", "/api/patients/{pid}/"): [("/api/patients/WEB-1/", _replacement, REPLACE)],
    ("DELETE", "/api/patients/{pid}/"): [("/api/patients/WEB-2/", None, DELETE)],
    ("GET", "/api/patients/{pid}/classification"): [
        ("/api/patients/WEB-1/classification?as_of=2024-12-10", None, IDENTIFIED),
        ("/api/patients/{pseudonym}/classification", None, PSEUDONYMOUS),
    ],
    ("GET", "/api/patients/{pid}/{kind}/"): [
        (f"/api/patients/WEB-1/{kind}/", None, IDENTIFIED)
        for kind in ("surgeries", "rai_courses", "imaging", "labs", "mdt")
    ]
    + [("/api/patients/{pseudonym}/mdt/", None, PSEUDONYMOUS)],
    ("POST", "/api/patients/{pid}/{kind}/"): [
        ("/api/patients/WEB-1/labs/", lambda role: NEW_LAB, EDIT),
        (
            "/api/patients/WEB-1/mdt/",
            lambda role: {"date": "2024-12-13", "recommendations": ["repeat_rai"]},
            EDIT,
        ),
    ],
    ("PUT", "/api/patients/{pid}/{kind}/{rid}/"): [
        ("/api/patients/WEB-1/labs/l1/", lambda role: {**NEW_LAB, "value": 31.5}, REPLACE),
        ("/api/patients/{pseudonym}/labs/l1/", lambda role: NEW_LAB, (401, 404, 404, 403)),
    ],
    ("DELETE", "/api/patients/{pid}/{kind}/{rid}/"): [
        ("/api/patients/WEB-2/labs/l1/", None, DELETE)
    ],
    ("POST", "/api/import"): [("/api/import", _imported, MANAGE)],
    ("GET", "/api/admissions/"): [
        ("/api/admissions/?date=2025-03-05", None, CLINICAL),
        ("/api/admissions/?patient=WEB-2", None, CLINICAL),
    ],
    ("POST", "/api/admissions/"): [("/api/admissions/", lambda role: {**PLAN}, EDIT)],
    ("PUT", "/api/admissions/{admission_id}/"): [
        ("/api/admissions/{admission}/", lambda role: {**PLAN, "tsh_miu_l": 52}, REPLACE)
    ],
    ("POST", "/api/admissions/{admission_id}/give"): [
        (
            "/api/admissions/{admission}/give",
            # each role gives its own admission, a day apart (one course a day)
            lambda role: {"date": f"2025-03-0{3 + ROLES.index(role)}", "activity_mci": "150"},
            REPLACE,
        )
    ],
    ("DELETE", "/api/admissions/{admission_id}/"): [("/api/admissions/{admission}/", None, CANCEL)],
    ("GET", "/api/mdt/{day}/agenda/"): [("/api/mdt/2025-01-10/agenda/", None, CLINICAL)],
    ("POST", "/api/mdt/{day}/agenda/"): [
        ("/api/mdt/{free_meeting}/agenda/", lambda role: {"patient_id": "WEB-1"}, EDIT)
    ],
    ("DELETE", "/api/mdt/{day}/agenda/{pid}/"): [
        ("/api/mdt/{added_meeting}/agenda/WEB-2/", None, CANCEL)
    ],
    ("GET", "/api/tokens/"): [("/api/tokens/", None, MANAGE)],
    ("POST", "/api/tokens/"): [
        ("/api/tokens/", lambda role: {"username": "clinician"}, MANAGE_NEW)
    ],
    ("DELETE", "/api/tokens/{token_id}/"): [("/api/tokens/{token}/", None, DELETE)],
}
PLAN = {
    "patient_id": "WEB-2",
    "admission_date": "2025-03-03",
    "planned_activity_mci": "150",
    "stimulation": "withdrawal",
}


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
    store.save("clinician", first_course_patient("WEB-2"), today=date(2025, 1, 1))
    return pseudonym("WEB-1")


@pytest.fixture
def targets(registry: str, personas: dict[str, str]) -> Callable[[str | None], dict[str, Any]]:
    """What each role's call acts on, so that one role's write leaves the next role's target
    in place: an admission, a manual agenda addition, a token each, and free meetings."""
    from rairtc.web.accounts.models import ApiToken
    from rairtc.web.accounts.tokens import create_token, digest
    from rairtc.web.cycle.models import Admission, AgendaItem

    fields: dict[str | None, dict[str, Any]] = {}
    for week, role in enumerate(ROLES):
        admission = Admission.objects.create(
            patient_id="WEB-2",
            admission_date=date(2025, 3, 3),
            planned_activity_mci=100,
            stimulation="rhtsh",
            created_by="clinician",
        )
        added = date(2025, 1, 3 + 7 * week)
        AgendaItem.objects.create(meeting=added, patient_id="WEB-2", added_by="clinician")
        token = ApiToken.objects.get(digest=digest(create_token("researcher", by="manager")))
        fields[role] = {
            "pseudonym": registry,
            "admission": admission.pk,
            "added_meeting": added.isoformat(),
            "free_meeting": date(2025, 2, 7 + 7 * week).isoformat(),
            "token": token.pk,
        }
    return fields.__getitem__


@pytest.fixture
def api_as(personas: dict[str, str]) -> Callable[[str | None], Any]:
    """A test client sending a fresh token of the role (``None``: no token)."""
    from django.test import Client

    from rairtc.web.accounts.tokens import create_token

    def make(role: str | None) -> Client:
        if role is None:
            return Client()
        token = create_token(role, by="test")
        return Client(headers={"authorization": f"Bearer {token}"})

    return make


def _call(client: Any, method: str, url: str, body: Any) -> Any:
    if body is None:
        return getattr(client, method.lower())(url)
    return getattr(client, method.lower())(
        url, data=json.dumps(body), content_type="application/json"
    )


def test_every_endpoint_has_an_entry_in_the_allow_list() -> None:
    from rairtc.web.api.views import api

    schema = api.get_openapi_schema()
    endpoints = {
        (method.upper(), path) for path, methods in schema["paths"].items() for method in methods
    }
    assert endpoints == set(ALLOWED)


@pytest.mark.parametrize("endpoint", list(ALLOWED), ids=[f"{m} {p}" for m, p in ALLOWED])
def test_every_endpoint_answers_each_role_as_its_permissions_say(
    endpoint: tuple[str, str], targets: Callable[..., dict[str, Any]], api_as: Callable[..., Any]
) -> None:
    method = endpoint[0]
    for url, make_body, expected in ALLOWED[endpoint]:
        for role, status in zip(ROLES, expected, strict=True):
            body = None if make_body is None else make_body(role)
            response = _call(api_as(role), method, url.format(**targets(role)), body)
            assert response.status_code == status, f"{method} {url} as {role}: {response.content}"
            if status >= 400:
                assert response.json()["errors"][0]["code"], response.content


IDENTIFIERS = ("WEB-1", "Omarova", "780412400017", "MRN-555001", "1978-04-12", "private note")


@pytest.mark.parametrize(
    "url",
    [
        "/api/patients/",
        "/api/patients/{pseudonym}/",
        "/api/patients/{pseudonym}/classification?as_of=2024-12-10",
        "/api/patients/{pseudonym}/mdt/",
        "/api/patients/{pseudonym}/rai_courses/",
    ],
)
def test_a_researcher_reads_pseudonymised_data(
    url: str, registry: str, api_as: Callable[..., Any]
) -> None:
    response = api_as("researcher").get(url.format(pseudonym=registry))
    text = response.content.decode()
    assert response.status_code == 200
    for identifier in IDENTIFIERS:
        assert identifier not in text, identifier


def test_a_researcher_gets_the_birth_year_and_the_pseudonym(
    registry: str, api_as: Callable[..., Any]
) -> None:
    data = api_as("researcher").get(f"/api/patients/{registry}/").json()
    assert data["id"] == registry and data["birth_year"] == 1978
    assert "birth_date" not in data and "full_name" not in data
    assert data["mdt"] == [{"id": "m1", "date": "2024-12-10", "recommendations": ["fdg_pet_ct"]}]


def test_the_classification_is_the_cli_object_as_of_the_date(
    registry: str, api_as: Callable[..., Any]
) -> None:
    from rairtc.core.rules.classify import classify

    record = store.load("WEB-1")
    assert record is not None
    data = api_as("clinician").get("/api/patients/WEB-1/classification?as_of=2024-12-10").json()
    assert data == json.loads(json.dumps(classify(record, date(2024, 12, 10)).as_dict()))
    assert data["status"] == "refractory" and data["primary_criterion"] == "no_uptake"
    assert data["criteria"][0]["evidence"]


def test_an_as_of_that_is_no_date_is_a_json_error(
    registry: str, api_as: Callable[..., Any]
) -> None:
    response = api_as("clinician").get("/api/patients/WEB-1/classification?as_of=10.12.2024")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "invalid_request"


def test_an_invalid_record_is_refused_with_the_cores_codes(
    registry: str, api_as: Callable[..., Any]
) -> None:
    lab = {**NEW_LAB, "date": "2030-01-01"}
    response = _call(api_as("clinician"), "POST", "/api/patients/WEB-1/labs/", lab)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["code"] == "validation.date_in_future"
    assert error["record"].startswith("$.labs") and error["field"] == "date"
    record = store.load("WEB-1")
    assert record is not None and len(record.labs) == 1


def test_errors_are_in_the_users_language(registry: str, api_as: Callable[..., Any]) -> None:
    lab = {**NEW_LAB, "date": "2030-01-01"}
    client = api_as("clinician")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    error = _call(client, "POST", "/api/patients/WEB-1/labs/", lab).json()["errors"][0]
    assert error["code"] == "validation.date_in_future"
    assert any("а" <= ch <= "я" for ch in error["message"].lower()), error["message"]


def test_an_api_write_is_audited_as_the_tokens_user(
    registry: str, api_as: Callable[..., Any]
) -> None:
    from rairtc.web.audit.models import AuditEvent

    response = _call(api_as("clinician"), "POST", "/api/patients/WEB-1/labs/", NEW_LAB)
    assert response.status_code == 201
    assert AuditEvent.objects.filter(
        username="clinician", action="create", object_type="labs", patient_id="WEB-1"
    ).exists()


def test_a_revoked_or_unknown_token_is_refused(registry: str, personas: dict[str, str]) -> None:
    from django.test import Client

    from rairtc.web.accounts.models import ApiToken
    from rairtc.web.accounts.tokens import create_token, revoke_token

    token = create_token("clinician", by="manager")
    client = Client(headers={"authorization": f"Bearer {token}"})
    assert client.get("/api/patients/").status_code == 200
    assert revoke_token(ApiToken.objects.get().pk, by="manager")
    response = client.get("/api/patients/")
    assert response.status_code == 401 and response.json()["errors"][0]["code"] == "unauthorized"
    wrong = Client(headers={"authorization": "Bearer rt_not-a-token"})
    assert wrong.get("/api/patients/").status_code == 401


def test_only_the_digest_of_a_token_is_stored(personas: dict[str, str]) -> None:
    from rairtc.web.accounts.models import ApiToken
    from rairtc.web.accounts.tokens import create_token

    token = create_token("researcher", by="manager")
    row = ApiToken.objects.get()
    assert token not in (row.digest, row.prefix) and token.startswith(row.prefix)


def test_a_session_cookie_does_not_open_the_api(
    registry: str, client_as: Callable[..., Any]
) -> None:
    assert client_as("manager").get("/api/patients/").status_code == 401


def test_the_docs_page_serves_swagger_from_the_package(db: None) -> None:
    from django.test import Client

    client = Client()
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/patients/{pid}/classification" in schema["paths"]


def test_a_manager_creates_a_token_in_the_app_and_revokes_it(
    registry: str, client_as: Callable[..., Any]
) -> None:
    import re

    from django.test import Client

    from rairtc.web.accounts.models import ApiToken
    from rairtc.web.audit.models import AuditEvent

    manager = client_as("manager")
    page = manager.post("/accounts/tokens/", {"username": "researcher"}, follow=True)
    found = re.search(r"rt_[A-Za-z0-9_-]{40,}", page.content.decode())
    assert found is not None
    script = Client(headers={"authorization": f"Bearer {found.group()}"})
    assert script.get(f"/api/patients/{registry}/").status_code == 200
    row = ApiToken.objects.get()
    assert found.group() not in manager.get("/accounts/tokens/").content.decode()
    manager.post(f"/accounts/tokens/{row.pk}/revoke/")
    assert script.get(f"/api/patients/{registry}/").status_code == 401
    actions = AuditEvent.objects.filter(object_type="api_token").values_list("action", flat=True)
    assert sorted(actions) == ["create", "delete"]


def test_the_token_page_is_translated(personas: dict[str, str], client_as: Any) -> None:
    client = client_as("manager")
    client.post("/language/", {"language": "kk"})
    text = client.get("/accounts/tokens/").content.decode()
    assert "API токендері" in text and "Токен құру" in text


@pytest.mark.xfail(
    strict=True,
    reason="issue 14: the API keeps the pages' role rules, and on the pages only a manager "
    "deletes records; a clinician's PUT that leaves stored records out (this body, the allow-list "
    "walk's until session 3) is now refused with 403 instead of deleting them",
)
def test_a_clinicians_put_of_a_patient_without_some_records_replaces_it(
    targets: Callable[..., dict[str, Any]], api_as: Callable[..., Any]
) -> None:
    targets("clinician")
    body = patient_to_json(first_course_patient("WEB-1", smoker=True))
    response = _call(api_as("clinician"), "PUT", "/api/patients/WEB-1/", body)
    assert response.status_code == 200, response.content
