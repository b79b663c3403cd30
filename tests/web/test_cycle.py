"""The weekly cycle: a course is planned at admission, given on day 1, scanned on day 4 and
discussed on Friday; the week view says where each patient stands and what is missing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from rairtc.core.rules.classify import classify
from rairtc.web.audit.models import AuditEvent
from rairtc.web.cycle.models import Admission
from rairtc.web.cycle.week import meeting_of, week_of
from rairtc.web.registry import store
from tests.web.cases import NONAVID_SCAN, first_course_patient

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


def _scan_on(day: str) -> None:
    """The day-4 post-therapy SPECT/CT: a left level III node without iodine uptake."""
    from rairtc.core.records import Imaging

    record = store.load("WEB-1")
    assert record is not None
    scan = Imaging.model_validate({**NONAVID_SCAN, "id": "i9", "date": day})
    store.save("clinician", record.model_copy(update={"imaging": (*record.imaging, scan)}))


@pytest.fixture
def friday(admitted: Any, on: Callable[[date], None]) -> Any:
    """Planned Monday, given Tuesday, scanned Friday morning, with an MDT in December before."""
    from rairtc.core.records import Mdt

    record = store.load("WEB-1")
    assert record is not None
    earlier = Mdt(id="m1", date=date(2024, 12, 10), recommendations=("repeat_rai",))
    store.save("clinician", record.model_copy(update={"mdt": (earlier,)}))
    on(date(2025, 3, 4))
    admission = Admission.objects.get()
    admitted.post(
        f"/admissions/{admission.pk}/give/", {"date": "2025-03-04", "activity_mci": "150"}
    )
    _scan_on("2025-03-07")
    return admitted


def test_the_cycles_cases_are_on_fridays_agenda_with_what_changed(friday: Any) -> None:
    text = friday.get("/mdt/2025-03-07/").content.decode()
    assert 'id="case-WEB-1"' in text and "from the cycle" in text
    assert "Changed since the last MDT" in text
    assert "rairtc-explain" in text  # the explain summary as of the meeting
    assert "Record the decision" in text


def test_a_patient_added_by_hand_is_on_the_agenda(
    friday: Any, client_as: Callable[..., Any]
) -> None:
    store.save("clinician", first_course_patient("WEB-7"), today=date(2025, 1, 1))
    response = friday.post("/mdt/2025-03-07/add/", {"patient": "WEB-7", "reason": "Tg rising"})
    assert response.status_code == 302
    text = friday.get("/mdt/2025-03-07/").content.decode()
    assert 'id="case-WEB-7"' in text and "added by hand: Tg rising" in text
    assert 'id="case-WEB-7"' not in friday.get("/mdt/2025-03-14/").content.decode()


def test_the_decision_is_a_core_mdt_record_of_the_meeting_day(friday: Any) -> None:
    from rairtc.web.audit.models import AuditEvent

    response = friday.post(
        "/mdt/2025-03-07/WEB-1/decide/",
        {"recommendations": ["fdg_pet_ct", "molecular_testing"], "note": "PET first"},
    )
    assert response.status_code == 302
    record = store.load("WEB-1")
    assert record is not None
    decision = record.mdt[-1]
    assert decision.date == date(2025, 3, 7)
    assert tuple(decision.recommendations) == ("fdg_pet_ct", "molecular_testing")
    assert AuditEvent.objects.filter(object_type="mdt", action="create").exists()
    text = friday.get("/mdt/2025-03-07/").content.decode()
    assert "PET first" in text and "Record the decision" not in text
    week = friday.get("/week/?date=2025-03-03").content.decode()
    assert "no MDT decision recorded" not in week


def test_a_decision_needs_a_recommendation(friday: Any) -> None:
    friday.post("/mdt/2025-03-07/WEB-1/decide/", {"note": "no code"})
    record = store.load("WEB-1")
    assert record is not None and len(record.mdt) == 1


def test_the_agenda_pdf_is_in_russian_one_page_per_case(friday: Any, tmp_path: Any) -> None:
    import subprocess

    store.save("clinician", first_course_patient("WEB-7"), today=date(2025, 1, 1))
    friday.post("/mdt/2025-03-07/add/", {"patient": "WEB-7"})
    friday.post("/language/", {"language": "ru"})
    response = friday.get("/mdt/2025-03-07/agenda.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "agenda.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert "WEB-1" in pages[0] and "WEB-7" not in pages[0]
    assert any("WEB-7" in page for page in pages[1:])
    assert "Повестка МДК 07.03.2025" in text
    assert "Изменилось после прошлого МДК" in text
    assert "Решение" in text


def test_a_write_to_the_patient_refreshes_the_cached_case_summary(friday: Any) -> None:
    import re

    from rairtc.core.records import Mdt

    def change_line() -> str:
        page = friday.get("/mdt/2025-03-07/").content.decode()
        found = re.search(r'<p class="change">(.*?)</p>', page, re.S)
        assert found is not None
        return found.group(1)

    assert "(2024-12-10)" in change_line()
    record = store.load("WEB-1")
    assert record is not None
    extra = Mdt(id="m2", date=date(2025, 3, 6), recommendations=("fdg_pet_ct",))
    store.save("clinician", record.model_copy(update={"mdt": (*record.mdt, extra)}))
    assert "(2025-03-06)" in change_line()  # the last MDT before this one is now the 6th


def _week_row(client: Any, pid: str) -> str:
    import re

    page = client.get("/week/?date=2025-03-03").content.decode()
    found = re.search(rf'<tr data-patient="{pid}">(.*?)</tr>', page, re.S)
    assert found is not None
    return found.group(1)


def test_a_patient_added_to_the_agenda_by_hand_is_on_the_agenda_in_the_week(
    admitted: Any, on: Callable[[date], None]
) -> None:
    # Admitted Monday, I-131 not given yet: the cycle alone puts nobody on the agenda ...
    on(date(2025, 3, 5))
    assert "✓ 2025-03-07" not in _week_row(admitted, "WEB-1")
    # ... but the coordinator adds the case to Friday's MDT by hand.
    admitted.post("/mdt/2025-03-07/add/", {"patient": "WEB-1", "reason": "before I-131"})
    row = _week_row(admitted, "WEB-1")
    assert "✓ 2025-03-07" in row and "I-131 not given yet" in row
    on(date(2025, 3, 10))  # after Friday, with no decision recorded
    assert "no MDT decision recorded" in _week_row(admitted, "WEB-1")


def test_an_agenda_addition_before_the_admission_is_not_this_cycles_agenda() -> None:
    from rairtc.web.cycle.week import standing

    record = first_course_patient()
    earlier = standing(record, MONDAY, None, MONDAY, [date(2025, 2, 28)])
    assert "on_agenda" not in earlier.done and earlier.step == "admitted"
    later = standing(record, MONDAY, None, MONDAY, [date(2025, 3, 14), date(2025, 3, 7)])
    assert later.done["on_agenda"] == date(2025, 3, 7) and later.step == "on_agenda"


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_day_at_the_end_of_the_calendar_shows_this_week(
    admitted: Any, day: str, on: Callable[[date], None]
) -> None:
    on(date(2025, 3, 5))
    response = admitted.get(f"/week/?date={day}")
    assert response.status_code == 200
    assert 'data-patient="WEB-1"' in response.content.decode()  # the week of "today"


def test_an_admission_date_no_cycle_can_be_counted_around_is_refused(
    admitted: Any,
) -> None:
    response = admitted.post(
        "/patients/WEB-1/admissions/new/", {**PLAN, "admission_date": "9999-12-30"}
    )
    assert response.status_code == 200
    assert "Give a date from 1900-01-01 to 2199-12-31." in response.content.decode()
    assert Admission.objects.count() == 1  # the fixture's plan only


# The board takes a patient added by hand off the agenda; a case from the cycle stays.


def _add_web7(client: Any) -> None:
    store.save("clinician", first_course_patient("WEB-7"), today=date(2025, 1, 1))
    client.post("/mdt/2025-03-07/add/", {"patient": "WEB-7", "reason": "Tg rising"})


def test_a_case_added_by_hand_is_removed_from_the_board_and_audited(friday: Any) -> None:
    _add_web7(friday)
    board = friday.get("/mdt/2025-03-07/").content.decode()
    assert 'action="/mdt/2025-03-07/WEB-7/remove/"' in board
    assert 'action="/mdt/2025-03-07/WEB-1/remove/"' not in board  # from the cycle: no button
    response = friday.post("/mdt/2025-03-07/WEB-7/remove/")
    assert response.status_code == 302
    assert 'id="case-WEB-7"' not in friday.get("/mdt/2025-03-07/").content.decode()
    event = AuditEvent.objects.filter(object_type="agenda_item", action="delete").get()
    assert event.object_id == "2025-03-07/WEB-7"


def test_a_case_from_the_cycle_stays_on_the_agenda(friday: Any) -> None:
    friday.post("/mdt/2025-03-07/WEB-1/remove/")
    assert 'id="case-WEB-1"' in friday.get("/mdt/2025-03-07/").content.decode()


def test_researchers_cannot_remove_a_case(friday: Any, client_as: Callable[..., Any]) -> None:
    _add_web7(friday)
    assert client_as("researcher").post("/mdt/2025-03-07/WEB-7/remove/").status_code == 403
    assert 'id="case-WEB-7"' in friday.get("/mdt/2025-03-07/").content.decode()


# The board's cases are written in Python (cycle/board_page.py): the page is what the template
# wrote, byte for byte, escaping included.


@pytest.mark.parametrize("role", ["clinician", "manager"])
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_board_is_the_templates_board_byte_for_byte(
    friday: Any, client_as: Callable[..., Any], role: str, language: str
) -> None:
    from django.utils import translation

    from rairtc.core.records import Mdt
    from rairtc.web.cycle import meeting
    from rairtc.web.cycle.models import AgendaItem
    from tests.web.pages import reference_page, without_tokens

    day = date(2025, 3, 7)
    decided = Mdt(id="d", date=day, recommendations=("fdg_pet_ct",), note='<b>PET</b> & "CT"')
    store.save("clinician", first_course_patient("WEB-7"), today=date(2025, 1, 1))
    store.save("clinician", first_course_patient("WEB-8").model_copy(update={"mdt": (decided,)}))
    for pid, reason in (("WEB-7", 'Tg <rising> & "fast"'), ("WEB-8", ""), ("WEB-1", "also")):
        AgendaItem.objects.create(meeting=day, patient_id=pid, added_by="x", reason=reason)
    response = client_as(role).get("/mdt/2025-03-07/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    with translation.override(language):
        context = {"meeting": day, "cases": meeting._cases(day), "form": meeting._decision_form()}
        expected = reference_page(response, "board.html", context)
    assert 'id="case-WEB-8"' in page and "&lt;b&gt;PET" in page and "&lt;rising&gt;" in page
    assert without_tokens(page) == without_tokens(expected)


def test_an_empty_board_is_the_templates_empty_board(
    db: None, client_as: Callable[..., Any]
) -> None:
    from rairtc.web.cycle import meeting
    from tests.web.pages import reference_page, without_tokens

    day = date(2025, 3, 14)
    response = client_as("clinician").get("/mdt/2025-03-14/")
    context = {"meeting": day, "cases": [], "form": meeting._decision_form()}
    assert "No cases on this agenda." in response.content.decode()
    expected = reference_page(response, "board.html", context)
    assert without_tokens(response.content.decode()) == without_tokens(expected)
