"""The early-warning worklist finds the four kinds of patients issue 14 describes, and each
entry can be put on the next agenda."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from rairtc.core.records import Imaging, Mdt, Patient
from rairtc.web.cycle.meeting import next_meeting
from rairtc.web.cycle.models import Admission
from rairtc.web.cycle.warnings import early_warnings
from rairtc.web.registry import store
from tests.web.cases import NONAVID_SCAN, first_course_patient

TODAY = date(2025, 3, 10)  # a Monday


def _with(record: Patient, **update: Any) -> Patient:
    return record.model_copy(update=update)


def kinds(pid: str) -> set[str]:
    return {w.kind for w in early_warnings(TODAY) if w.patient_id == pid}


@pytest.fixture
def on_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rairtc.web.cycle.meeting.today", lambda: TODAY)


def test_newly_refractory_since_the_last_mdt(db: None) -> None:
    """The MDT met before the day-4 scan showed a non-avid node: the verdict has changed."""
    mdt = Mdt(id="m1", date=date(2024, 12, 2), recommendations=("repeat_rai",))
    record = _with(
        first_course_patient(), imaging=(Imaging.model_validate(NONAVID_SCAN),), mdt=(mdt,)
    )
    store.save("clinician", record, today=TODAY)
    [warning] = [w for w in early_warnings(TODAY) if w.kind == "verdict_changed"]
    assert (warning.patient_id, warning.status) == ("WEB-1", "refractory")
    assert warning.criterion == "no_uptake" and warning.day == date(2024, 12, 4)


def test_no_warning_when_the_mdt_already_saw_the_verdict(db: None) -> None:
    mdt = Mdt(id="m1", date=date(2024, 12, 6), recommendations=("fdg_pet_ct",))
    record = _with(
        first_course_patient(), imaging=(Imaging.model_validate(NONAVID_SCAN),), mdt=(mdt,)
    )
    store.save("clinician", record, today=TODAY)
    assert "verdict_changed" not in kinds("WEB-1")


def test_the_next_planned_course_would_reach_600_mci(db: None) -> None:
    store.save("clinician", first_course_patient(), today=TODAY)  # 100 mCi given
    store.save("clinician", first_course_patient("WEB-2"), today=TODAY)
    Admission.objects.create(
        patient_id="WEB-1",
        admission_date=date(2025, 3, 17),
        planned_activity_mci=500,
        stimulation="withdrawal",
        created_by="t",
    )
    Admission.objects.create(
        patient_id="WEB-2",
        admission_date=date(2025, 3, 17),
        planned_activity_mci=499,
        stimulation="withdrawal",
        created_by="t",
    )
    [warning] = [w for w in early_warnings(TODAY) if w.kind == "cumulative"]
    assert (warning.patient_id, warning.mci) == ("WEB-1", 600)


def test_an_open_progression_window_without_imaging(db: None) -> None:
    """Course on 30.11.2024, window 0-16 months: open on 10.03.2025; only the day-4 scan."""
    record = _with(first_course_patient(), imaging=(Imaging.model_validate(NONAVID_SCAN),))
    store.save("clinician", record, today=TODAY)
    assert "window_without_imaging" in kinds("WEB-1")
    us = Imaging.model_validate(
        {"id": "i2", "date": "2025-02-20", "modality": "neck_us", "findings": []}
    )
    store.save("clinician", _with(record, imaging=(*record.imaging, us)), today=TODAY)
    assert "window_without_imaging" not in kinds("WEB-1")


def test_a_closed_window_gives_no_warning(db: None) -> None:
    old = first_course_patient()
    course = old.rai_courses[0].model_copy(update={"date": date(2023, 6, 1)})
    lab = old.labs[0].model_copy(update={"date": date(2023, 6, 1)})
    store.save("clinician", _with(old, rai_courses=(course,), labs=(lab,)), today=TODAY)
    assert "window_without_imaging" not in kinds("WEB-1")


def test_withdrawal_with_tsh_at_or_below_30_leaves_absent_uptake_unconfirmed(db: None) -> None:
    record = first_course_patient()
    course = record.rai_courses[0].model_copy(update={"tsh_miu_l": 30.0})
    scan = Imaging.model_validate(NONAVID_SCAN)
    store.save("clinician", _with(record, rai_courses=(course,), imaging=(scan,)), today=TODAY)
    found = [w for w in early_warnings(TODAY) if w.kind == "unconfirmed_uptake"]
    assert {(w.patient_id, w.day) for w in found} == {("WEB-1", date(2024, 12, 4))}
    assert "no_uptake" in {w.criterion for w in found}  # one entry per unconfirmed criterion
    adequate = _with(record, imaging=(scan,))  # TSH 64
    store.save("clinician", adequate, today=TODAY)
    assert "unconfirmed_uptake" not in kinds("WEB-1")


def test_the_next_meeting_is_this_weeks_friday_or_the_next() -> None:
    assert next_meeting(date(2025, 3, 10)) == date(2025, 3, 14)
    assert next_meeting(date(2025, 3, 14)) == date(2025, 3, 14)
    assert next_meeting(date(2025, 3, 15)) == date(2025, 3, 21)


def test_an_entry_goes_on_the_next_agenda(on_today: None, client_as: Callable[..., Any]) -> None:
    record = _with(first_course_patient(), imaging=(Imaging.model_validate(NONAVID_SCAN),))
    store.save("clinician", record, today=TODAY)
    client = client_as("clinician")
    page = client.get("/warnings/").content.decode()
    assert 'data-kind="window_without_imaging" data-patient="WEB-1"' in page
    assert "Put on the next agenda" in page
    response = client.post(
        "/mdt/2025-03-14/add/",
        {"patient": "WEB-1", "reason": "window", "next": "/warnings/"},
    )
    assert response["Location"] == "/warnings/"
    page = client.get("/warnings/").content.decode()
    assert "Put on the next agenda" not in page
    assert 'id="case-WEB-1"' in client.get("/mdt/2025-03-14/").content.decode()


def test_an_outside_next_address_is_not_followed(
    on_today: None, client_as: Callable[..., Any]
) -> None:
    store.save("clinician", first_course_patient(), today=TODAY)
    response = client_as("clinician").post(
        "/mdt/2025-03-14/add/", {"patient": "WEB-1", "next": "https://example.org/"}
    )
    assert response["Location"] == "/mdt/2025-03-14/"


def test_the_worklist_is_in_kazakh(on_today: None, client_as: Callable[..., Any]) -> None:
    record = _with(first_course_patient(), imaging=(Imaging.model_validate(NONAVID_SCAN),))
    store.save("clinician", record, today=TODAY)
    client = client_as("clinician")
    client.post("/language/", {"language": "kk"})
    page = client.get("/warnings/").content.decode()
    assert "Ерте ескертулер" in page and "прогрессия терезесі ашық" in page
