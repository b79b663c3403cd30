"""Record forms: the core's validation beside the field, warnings saved, the verdict's change
announced after the save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from rairtc.web.registry import store, views
from tests.web.cases import first_course_patient


@pytest.fixture
def clinician(client_as: Callable[..., object], monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setattr(views, "today", lambda: date(2025, 1, 10))
    store.save("clinician", first_course_patient(), today=date(2025, 1, 10))
    return client_as("clinician")


def errors_of(response: object, field: str) -> list[str]:
    form = response.context["form"]  # type: ignore[attr-defined]
    return [str(e) for e in form.errors.get(field, [])]


def test_a_course_above_1000_mci_is_refused_with_the_message_beside_the_activity(
    clinician: object,
) -> None:
    response = clinician.post(  # type: ignore[attr-defined]
        "/patients/WEB-1/rai_courses/new/", {"date": "2024-12-20", "activity_mci": "1200"}
    )
    assert response.status_code == 200
    assert any("1000" in e or "1,000" in e for e in errors_of(response, "activity_mci"))
    record = store.load("WEB-1")
    assert record is not None and len(record.rai_courses) == 1


def test_a_course_without_activity_is_refused(clinician: object) -> None:
    response = clinician.post("/patients/WEB-1/rai_courses/new/", {"date": "2024-12-20"})  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.context["form"].errors  # type: ignore[attr-defined]


def test_a_second_course_on_the_same_day_is_an_error_of_the_date(clinician: object) -> None:
    response = clinician.post(  # type: ignore[attr-defined]
        "/patients/WEB-1/rai_courses/new/", {"date": "2024-11-30", "activity_mci": "50"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors  # type: ignore[attr-defined]


def test_a_withdrawal_tsh_of_20_is_saved_with_its_warning_shown(clinician: object) -> None:
    response = clinician.post(  # type: ignore[attr-defined]
        "/patients/WEB-1/rai_courses/new/",
        {
            "date": "2024-12-30",
            "activity_mci": "150",
            "stimulation": "withdrawal",
            "tsh_miu_l": "20",
        },
        follow=True,
    )
    assert response.status_code == 200
    record = store.load("WEB-1")
    assert record is not None and len(record.rai_courses) == 2
    shown = [str(m) for m in response.context["messages"]]
    assert any("TSH" in text for text in shown), shown


def test_adding_the_day_4_scan_turns_the_verdict_refractory_and_says_so(clinician: object) -> None:
    response = clinician.post(  # type: ignore[attr-defined]
        "/patients/WEB-1/imaging/new/", {"date": "2024-12-04", "modality": "post_therapy_spect_ct"}
    )
    assert response.status_code == 302
    response = clinician.post(  # type: ignore[attr-defined]
        "/patients/WEB-1/imaging/i1/findings/new/",
        {
            "site": "cervical_lymph_node",
            "side": "left",
            "nodal_level": "III",
            "kind": "regional_metastasis",
            "rai_uptake": "false",
        },
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any(text.startswith("now refractory") and "2024-12-04" in text for text in shown), shown
    page = response.content.decode()
    assert 'data-status="refractory"' in page
    assert 'data-criterion="nonavid_lesion"' in page
    assert "does not concentrate I-131" in page


def test_the_patient_form_puts_the_iin_message_beside_the_iin(clinician: object) -> None:
    response = clinician.post(  # type: ignore[attr-defined]
        "/patients/new/",
        {
            "id": "WEB-2",
            "national_id": "12345",
            "sex": "M",
            "birth_date": "1970-01-01",
            "diagnosis_date": "2024-01-01",
            "histology": "papillary",
        },
    )
    assert response.status_code == 200
    assert any("12-digit" in e for e in errors_of(response, "national_id"))


def test_a_new_patient_is_saved_with_dates_typed_as_dd_mm_yyyy(clinician: object) -> None:
    response = clinician.post(  # type: ignore[attr-defined]
        "/patients/new/",
        {
            "id": "WEB-2",
            "sex": "M",
            "birth_date": "01.02.1970",
            "diagnosis_date": "2024-01-01",
            "histology": "follicular",
        },
    )
    assert response.status_code == 302
    record = store.load("WEB-2")
    assert record is not None and record.birth_date == date(1970, 2, 1)


def test_editing_a_lab_keeps_its_id_and_is_audited_as_an_update(clinician: object) -> None:
    from rairtc.web.audit.models import AuditEvent

    response = clinician.post(  # type: ignore[attr-defined]
        "/patients/WEB-1/labs/l1/",
        {"date": "2024-11-30", "test": "tg", "value": "30", "unit": "ng/mL", "stimulated": "true"},
    )
    assert response.status_code == 302
    record = store.load("WEB-1")
    assert record is not None and record.labs[0].id == "l1" and record.labs[0].value == 30
    assert AuditEvent.objects.filter(action="update", object_id="l1").exists()


def test_the_as_of_date_shows_what_was_known_then(clinician: object) -> None:
    clinician.post(
        "/patients/WEB-1/imaging/new/", {"date": "2024-12-04", "modality": "post_therapy_spect_ct"}
    )  # type: ignore[attr-defined]
    clinician.post(  # type: ignore[attr-defined]
        "/patients/WEB-1/imaging/i1/findings/new/",
        {"site": "cervical_lymph_node", "kind": "regional_metastasis", "rai_uptake": "false"},
    )
    before = clinician.get("/patients/WEB-1/?as_of=2024-12-03").content.decode()  # type: ignore[attr-defined]
    assert 'data-status="insufficient_data"' in before
    assert "1 record dated after the as-of date is not shown" in before
    after = clinician.get("/patients/WEB-1/?as_of=2024-12-04").content.decode()  # type: ignore[attr-defined]
    assert 'data-status="refractory"' in after
