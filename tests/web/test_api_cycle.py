"""The cycle and the tokens through the API: a coordinator's script plans a course, changes
and cancels plans, prepares Friday's agenda; a manager's script hands out and revokes tokens.
Every write is audited as the token's user, as on the pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from rairtc.web.audit.models import AuditEvent
from rairtc.web.cycle.models import Admission, AgendaItem
from rairtc.web.registry import store
from tests.web.cases import first_course_patient

PLAN = {
    "patient_id": "WEB-1",
    "admission_date": "2025-03-03",
    "planned_activity_mci": "150.5",
    "stimulation": "withdrawal",
    "tsh_miu_l": 45,
}


@pytest.fixture
def api(personas: dict[str, str]) -> Callable[[str], Any]:
    """A client of the role's script, with a fresh token; methods send JSON bodies."""
    from django.test import Client

    from rairtc.web.accounts.tokens import create_token

    store.save("clinician", first_course_patient(), today=date(2025, 1, 1))
    store.save("clinician", first_course_patient("WEB-7"), today=date(2025, 1, 1))

    def make(role: str) -> Any:
        client = Client(headers={"authorization": f"Bearer {create_token(role, by='test')}"})

        def call(method: str, url: str, body: Any = None) -> Any:
            if body is None:
                return getattr(client, method)(url)
            return getattr(client, method)(
                url, data=json.dumps(body), content_type="application/json"
            )

        return call

    return make


def test_a_planned_course_is_listed_in_its_week_with_what_is_missing(api: Any) -> None:
    clinician = api("clinician")
    created = clinician("post", "/api/admissions/", PLAN)
    assert created.status_code == 201
    body = created.json()
    assert body["planned_activity_mci"] == "150.5" and body["meeting"] == "2025-03-07"
    week = clinician("get", "/api/admissions/?date=2025-03-06").json()
    assert [a["id"] for a in week] == [body["id"]]
    assert week[0]["step"] == "admitted"
    assert week[0]["missing"] == [{"code": "not_given", "days": 0}]
    assert clinician("get", "/api/admissions/?date=2025-03-10").json() == []
    assert [a["id"] for a in clinician("get", "/api/admissions/?patient=WEB-1").json()] == [
        body["id"]
    ]
    event = AuditEvent.objects.get(object_type="admission", action="create")
    assert (event.username, event.patient_id, event.after["planned_activity_mci"]) == (
        "clinician",
        "WEB-1",
        150.5,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"stimulation": "thyroxine"}, "stimulation"),  # not a stimulation code
        ({"planned_activity_mci": "-5"}, "planned_activity_mci"),
        ({"admission_date": "03.03.2025"}, "admission_date"),  # ISO dates only
        ({"admission_date": "1850-03-03"}, "admission_date"),  # no cycle to count from
    ],
)
def test_a_plan_that_is_not_one_is_refused(api: Any, change: dict[str, Any], field: str) -> None:
    response = api("clinician")("post", "/api/admissions/", {**PLAN, **change})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith(field)
    assert Admission.objects.count() == 0


def test_a_plan_for_a_patient_not_in_the_registry_is_not_found(api: Any) -> None:
    response = api("clinician")("post", "/api/admissions/", {**PLAN, "patient_id": "NOBODY"})
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"


def test_a_plan_is_changed_and_cancelled_with_its_audit_trail(api: Any) -> None:
    clinician = api("clinician")
    pk = clinician("post", "/api/admissions/", PLAN).json()["id"]
    later = {k: v for k, v in PLAN.items() if k != "patient_id"}
    later.update(admission_date="2025-03-10", stimulation="rhtsh", tsh_miu_l=None)
    changed = clinician("put", f"/api/admissions/{pk}/", later)
    assert changed.status_code == 200 and changed.json()["meeting"] == "2025-03-14"
    update = AuditEvent.objects.get(object_type="admission", action="update")
    assert update.before["stimulation"] == "withdrawal" and update.after["stimulation"] == "rhtsh"
    assert "tsh_miu_l" not in update.after
    assert clinician("delete", f"/api/admissions/{pk}/").status_code == 204
    assert not Admission.objects.exists()
    deleted = AuditEvent.objects.get(object_type="admission", action="delete")
    assert deleted.before["admission_date"] == "2025-03-10" and deleted.username == "clinician"
    assert clinician("delete", f"/api/admissions/{pk}/").status_code == 404


def test_a_given_course_is_no_longer_a_plan(api: Any, client_as: Callable[..., Any]) -> None:
    pk = api("clinician")("post", "/api/admissions/", PLAN).json()["id"]
    given = client_as("clinician").post(
        f"/admissions/{pk}/give/", {"date": "2025-03-04", "activity_mci": "150"}
    )
    assert given.status_code == 302
    manager = api("manager")
    plan = {k: v for k, v in PLAN.items() if k != "patient_id"}
    for method, body in (("put", plan), ("delete", None)):
        response = manager(method, f"/api/admissions/{pk}/", body)
        assert response.status_code == 409, method
        assert response.json()["errors"][0]["code"] == "conflict"
    assert Admission.objects.get().course_id is not None
    row = manager("get", "/api/admissions/?patient=WEB-1").json()[0]
    assert row["step"] == "on_agenda" and row["done"]["given"] == "2025-03-04"


def test_ids_that_name_no_row_are_not_found(api: Any) -> None:
    manager = api("manager")
    for url in ("/api/admissions/0/", "/api/admissions/99999999999999999999/", "/api/tokens/0/"):
        assert manager("delete", url).status_code == 404, url


def test_friday_agenda_is_prepared_by_hand_and_shows_in_the_week(api: Any) -> None:
    clinician = api("clinician")
    pk = clinician("post", "/api/admissions/", PLAN).json()["id"]
    assert clinician("get", "/api/mdt/2025-03-07/agenda/").json() == []
    added = clinician(
        "post", "/api/mdt/2025-03-07/agenda/", {"patient_id": "WEB-1", "reason": "Tg"}
    )
    assert added.status_code == 201
    agenda = clinician("get", "/api/mdt/2025-03-07/agenda/").json()
    assert agenda == [{"patient_id": "WEB-1", "sources": ["manual"], "reason": "Tg"}]
    week = clinician("get", "/api/admissions/?date=2025-03-03").json()
    assert week[0]["id"] == pk and week[0]["done"]["on_agenda"] == "2025-03-07"
    again = clinician("post", "/api/mdt/2025-03-07/agenda/", {"patient_id": "WEB-1"})
    assert again.status_code == 409
    event = AuditEvent.objects.get(object_type="agenda_item", action="create")
    assert event.object_id == "2025-03-07/WEB-1" and event.after["reason"] == "Tg"


def test_a_case_added_by_hand_is_removed_and_the_removal_audited(api: Any) -> None:
    clinician = api("clinician")
    clinician("post", "/api/mdt/2025-03-07/agenda/", {"patient_id": "WEB-7", "reason": "PET"})
    assert clinician("delete", "/api/mdt/2025-03-07/agenda/WEB-7/").status_code == 204
    assert clinician("get", "/api/mdt/2025-03-07/agenda/").json() == []
    event = AuditEvent.objects.get(object_type="agenda_item", action="delete")
    assert (event.username, event.before) == (
        "clinician",
        {"meeting": "2025-03-07", "reason": "PET"},
    )
    assert clinician("delete", "/api/mdt/2025-03-07/agenda/WEB-7/").status_code == 404


def test_a_case_of_the_cycle_cannot_be_removed_by_hand(
    api: Any, client_as: Callable[..., Any]
) -> None:
    clinician = api("clinician")
    pk = clinician("post", "/api/admissions/", PLAN).json()["id"]
    client_as("clinician").post(
        f"/admissions/{pk}/give/", {"date": "2025-03-04", "activity_mci": "150"}
    )
    assert clinician("get", "/api/mdt/2025-03-07/agenda/").json()[0]["sources"] == ["cycle"]
    response = clinician("delete", "/api/mdt/2025-03-07/agenda/WEB-1/")
    assert response.status_code == 409
    assert not AgendaItem.objects.exists()


def test_unknown_patients_and_bad_meeting_dates_are_refused(api: Any) -> None:
    clinician = api("clinician")
    unknown = clinician("post", "/api/mdt/2025-03-07/agenda/", {"patient_id": "NOBODY"})
    assert unknown.status_code == 404
    for day in ("07.03.2025", "9999-12-31", "0001-01-01"):
        response = clinician("get", f"/api/mdt/{day}/agenda/")
        assert response.status_code == 422, day
        assert response.json()["errors"][0]["code"] == "invalid_request"


def test_a_manager_hands_out_a_token_shown_once_and_revokes_it(api: Any) -> None:
    from django.test import Client

    manager = api("manager")
    created = manager("post", "/api/tokens/", {"username": "researcher"})
    assert created.status_code == 201
    token = created.json()["token"]
    script = Client(headers={"authorization": f"Bearer {token}"})
    assert script.get("/api/patients/").status_code == 200
    listed = manager("get", "/api/tokens/").json()
    assert token not in json.dumps(listed)
    mine = next(t for t in listed if t["id"] == created.json()["id"])
    assert token.startswith(mine["prefix"]) and mine["username"] == "researcher"
    assert mine["created_by"] == "manager" and mine["revoked"] is None
    assert manager("delete", f"/api/tokens/{mine['id']}/").status_code == 204
    assert script.get("/api/patients/").status_code == 401
    assert manager("delete", f"/api/tokens/{mine['id']}/").status_code == 404
    revoked = next(t for t in manager("get", "/api/tokens/").json() if t["id"] == mine["id"])
    assert revoked["revoked"] is not None
    actions = AuditEvent.objects.filter(object_type="api_token", username="manager")
    assert sorted(actions.values_list("action", flat=True)) == ["create", "delete"]


def test_no_token_for_an_unknown_or_deactivated_account(api: Any) -> None:
    from django.contrib.auth import get_user_model

    manager = api("manager")
    assert manager("post", "/api/tokens/", {"username": "nobody"}).status_code == 404
    get_user_model().objects.filter(username="researcher").update(is_active=False)
    refused = manager("post", "/api/tokens/", {"username": "researcher"})
    assert refused.status_code == 404 and "deactivated" in refused.json()["errors"][0]["message"]


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31"])
def test_a_classification_date_outside_the_calendar_is_a_request_error(
    api: Any, as_of: str
) -> None:
    response = api("clinician")("get", f"/api/patients/WEB-1/classification?as_of={as_of}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "as_of"


def test_leaving_a_record_out_of_a_replacement_is_a_deletion_for_managers(api: Any) -> None:
    from rairtc.io.json_files import patient_to_json

    record = store.load("WEB-1")
    assert record is not None
    without_lab = {**patient_to_json(record), "labs": []}
    refused = api("clinician")("put", "/api/patients/WEB-1/", without_lab)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["removed"] == ["labs/l1"]
    kept = store.load("WEB-1")
    assert kept is not None and len(kept.labs) == 1
    assert api("manager")("put", "/api/patients/WEB-1/", without_lab).status_code == 200
    gone = store.load("WEB-1")
    assert gone is not None and gone.labs == ()
    assert AuditEvent.objects.filter(
        username="manager", action="delete", object_type="labs", object_id="l1"
    ).exists()


def test_one_record_is_replaced_keeping_its_id_and_the_findings_of_a_study(api: Any) -> None:
    from tests.web.cases import NONAVID_SCAN

    clinician = api("clinician")
    assert clinician("post", "/api/patients/WEB-1/imaging/", NONAVID_SCAN).status_code == 201
    lab = {"date": "2024-11-30", "test": "tg", "value": 12.5, "unit": "ng/mL", "id": "other"}
    changed = clinician("put", "/api/patients/WEB-1/labs/l1/", lab)
    assert changed.status_code == 200
    assert [(x["id"], x["value"]) for x in changed.json()["patient"]["labs"]] == [("l1", 12.5)]
    study = {k: v for k, v in NONAVID_SCAN.items() if k not in ("id", "findings")}
    kept = clinician("put", "/api/patients/WEB-1/imaging/i1/", {**study, "date": "2024-12-05"})
    assert kept.status_code == 200
    assert kept.json()["patient"]["imaging"][0]["findings"][0]["id"] == "f1"
    emptied = clinician("put", "/api/patients/WEB-1/imaging/i1/", {**study, "findings": []})
    assert emptied.status_code == 403  # removing a finding is a deletion
    assert clinician("put", "/api/patients/WEB-1/labs/nope/", lab).status_code == 404


def test_a_record_the_core_refuses_is_not_saved(api: Any) -> None:
    response = api("clinician")("put", "/api/patients/WEB-1/labs/l1/", {"date": "2030-01-01"})
    assert response.status_code == 422 and response.json()["errors"][0]["code"]
    record = store.load("WEB-1")
    assert record is not None and str(record.labs[0].date) == "2024-11-30"


def test_a_manager_deletes_one_record_and_the_deletion_is_audited(api: Any) -> None:
    assert api("clinician")("delete", "/api/patients/WEB-1/labs/l1/").status_code == 403
    assert api("manager")("delete", "/api/patients/WEB-1/labs/l1/").status_code == 204
    record = store.load("WEB-1")
    assert record is not None and record.labs == ()
    assert AuditEvent.objects.filter(action="delete", object_id="l1", username="manager").exists()


def test_a_script_gives_the_planned_course_as_the_page_does(api: Any) -> None:
    clinician = api("clinician")
    pk = clinician("post", "/api/admissions/", PLAN).json()["id"]
    given = clinician(
        "post", f"/api/admissions/{pk}/give", {"date": "2025-03-04", "activity_mci": "148.5"}
    )
    assert given.status_code == 200, given.content
    body = given.json()
    course = body["patient"]["rai_courses"][-1]
    assert body["admission"]["course_id"] == course["id"]
    assert (course["date"], course["stimulation"], course["tsh_miu_l"]) == (
        "2025-03-04",
        "withdrawal",
        45.0,
    )
    assert float(course["activity_mci"]) == 148.5
    assert AuditEvent.objects.filter(
        object_type="admission", action="update", username="clinician"
    ).exists()
    assert AuditEvent.objects.filter(object_type="rai_courses", action="create").exists()
    again = clinician(
        "post", f"/api/admissions/{pk}/give", {"date": "2025-03-05", "activity_mci": "150"}
    )
    assert again.status_code == 409
    record = store.load("WEB-1")
    assert record is not None and len(record.rai_courses) == 2


def test_a_course_the_core_refuses_is_not_given_through_the_api(api: Any) -> None:
    clinician = api("clinician")
    pk = clinician("post", "/api/admissions/", PLAN).json()["id"]
    # the first course of WEB-1 is on 2024-11-30: a second course that day is refused
    refused = clinician(
        "post", f"/api/admissions/{pk}/give", {"date": "2024-11-30", "activity_mci": "150"}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"]
    assert Admission.objects.get().course_id is None
    record = store.load("WEB-1")
    assert record is not None and len(record.rai_courses) == 1


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ("Нет пациента NOBODY.", "Ваша роль не позволяет")),
        ("kk", ("NOBODY пациенті жоқ.", "рөліңіз")),
    ],
)
def test_the_apis_own_errors_are_in_the_users_language(
    api: Any, lang: str, words: tuple[str, str]
) -> None:
    from rairtc.web.accounts.models import Profile

    Profile.objects.filter(user__username="clinician").update(language=lang)
    clinician = api("clinician")
    unknown = clinician("get", "/api/patients/NOBODY/").json()["errors"][0]
    assert (unknown["code"], unknown["message"]) == ("not_found", words[0])
    forbidden = clinician("get", "/api/tokens/").json()["errors"][0]
    assert forbidden["code"] == "forbidden" and words[1] in forbidden["message"]
