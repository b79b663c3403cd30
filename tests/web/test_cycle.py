"""The weekly cycle: a course is planned at admission, given on day 1, scanned on day 4 and
discussed on Friday; the week view says where each patient stands and what is missing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from rairtc.core.rules.classify import classify
from rairtc.web.cycle.models import Admission
from rairtc.web.cycle.week import meeting_of, week_of
from rairtc.web.registry import store
from tests.web.cases import first_course_patient

MONDAY = date(2025, 3, 3)
PLAN = {
    "admission_date": "2025-03-03",
    "planned_activity_mci": "150",
    "stimulation": "withdrawal",
    "tsh_miu_l": "45",
}


@pytest.fixture
def on(monkeypatch: pytest.MonkeyPatch) -> Callable[[date], None]:
    """Sets the day the pages think it is."""

    def set_day(day: date) -> None:
        monkeypatch.setattr("rairtc.web.cycle.views.today", lambda: day)

    return set_day


@pytest.fixture
def admitted(db: None, client_as: Callable[..., Any], on: Callable[[date], None]) -> Any:
    store.save("clinician", first_course_patient(), today=date(2025, 1, 1))
    on(MONDAY)
    client = client_as("clinician")
    response = client.post("/patients/WEB-1/admissions/new/", PLAN)
    assert response.status_code == 302 and response["Location"] == "/week/?date=2025-03-03"
    return client


def test_the_cycle_is_the_week_and_the_mdt_is_its_friday() -> None:
    assert week_of(date(2025, 3, 5)) == (MONDAY, date(2025, 3, 9))
    assert meeting_of(date(2025, 3, 9)) == date(2025, 3, 7)
    assert meeting_of(MONDAY) == date(2025, 3, 7)


def test_a_planned_course_is_no_course_for_the_rules(admitted: Any) -> None:
    record = store.load("WEB-1")
    assert record is not None and len(record.rai_courses) == 1
    assert classify(record, date(2025, 3, 10)).cumulative_activity_mci == 100
    admission = Admission.objects.get()
    assert admission.course_id is None and admission.stimulation == "withdrawal"
    text = admitted.get("/week/?date=2025-03-05").content.decode()
    assert "WEB-1" in text and "Omarova Saule Maratkyzy" in text
    assert "I-131 not given yet" in text


def test_giving_the_course_records_the_activity_given(
    admitted: Any, on: Callable[[date], None]
) -> None:
    from rairtc.web.audit.models import AuditEvent

    on(date(2025, 3, 4))
    admission = Admission.objects.get()
    response = admitted.post(
        f"/admissions/{admission.pk}/give/", {"date": "2025-03-04", "activity_mci": "148.5"}
    )
    assert response.status_code == 302
    record = store.load("WEB-1")
    assert record is not None and len(record.rai_courses) == 2
    course = record.rai_courses[-1]
    assert (course.date, float(course.activity_mci or 0)) == (date(2025, 3, 4), 148.5)
    assert (course.stimulation, course.tsh_miu_l) == ("withdrawal", 45.0)
    admission.refresh_from_db()
    assert admission.course_id == str(course.id)
    assert classify(record, date(2025, 3, 10)).cumulative_activity_mci == 248.5
    kinds = set(AuditEvent.objects.values_list("object_type", flat=True))
    assert {"admission", "rai_courses"} <= kinds


def test_the_week_names_a_missing_day_4_scan_until_it_is_recorded(
    admitted: Any, on: Callable[[date], None]
) -> None:
    on(date(2025, 3, 4))
    admission = Admission.objects.get()
    admitted.post(
        f"/admissions/{admission.pk}/give/", {"date": "2025-03-04", "activity_mci": "150"}
    )
    on(date(2025, 3, 8))
    text = admitted.get("/week/?date=2025-03-03").content.decode()
    assert "no post-therapy scan recorded 4 days after I-131" in text
    assert "no MDT decision recorded" in text  # Friday the 7th has passed
    record = store.load("WEB-1")
    assert record is not None
    scan = {"date": "2025-03-07", "modality": "post_therapy_wbs", "findings": []}
    data = {**store.patient_to_json(record)}
    data["imaging"] = [*data["imaging"], scan]
    store.save(
        "clinician", type(record).model_validate(store.with_ids(data)), today=date(2025, 3, 8)
    )
    text = admitted.get("/week/?date=2025-03-03").content.decode()
    assert "no post-therapy scan recorded" not in text


def test_a_course_the_core_refuses_is_not_given(admitted: Any, on: Callable[[date], None]) -> None:
    on(date(2025, 3, 4))
    admission = Admission.objects.get()
    response = admitted.post(
        f"/admissions/{admission.pk}/give/", {"date": "2024-11-30", "activity_mci": "150"}
    )
    assert response.status_code == 200 and 'class="error' in response.content.decode()
    record = store.load("WEB-1")
    assert record is not None and len(record.rai_courses) == 1
    admission.refresh_from_db()
    assert admission.course_id is None


def test_researchers_cannot_plan_nor_give(admitted: Any, client_as: Callable[..., Any]) -> None:
    researcher = client_as("researcher")
    admission = Admission.objects.get()
    assert researcher.post("/patients/WEB-1/admissions/new/", PLAN).status_code == 403
    assert researcher.get(f"/admissions/{admission.pk}/give/").status_code == 403
    assert Admission.objects.count() == 1


@pytest.mark.parametrize(("lang", "word"), [("ru", "Неделя"), ("kk", "Апта")])
def test_the_week_is_translated(admitted: Any, lang: str, word: str) -> None:
    admitted.post("/language/", {"language": lang})
    text = admitted.get("/week/?date=2025-03-03").content.decode()
    assert word in text and "I-131 not given yet" not in text
