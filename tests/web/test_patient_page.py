"""The patient page's timeline rows and history are written in Python
(``registry/timeline.py``): the page is what the template wrote, byte for byte, for every role
and language, escaping included, and the history is the audit trail's own order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rairtc.web.registry import store
from tests.web.cases import NONAVID_SCAN, first_course_patient
from tests.web.pages import reference_page, without_tokens

FINDINGS = [
    NONAVID_SCAN["findings"][0],
    {"id": "f2", "site": "lung", "kind": "distant_metastasis", "rai_uptake": True, "new": True},
    {"id": "f3", "site": "bone", "kind": "indeterminate", "fdg_uptake": True},
]


def _patient() -> Any:
    """Every kind of timeline row: a scan with three findings, an FDG study without, labs, a
    course from a centre and an MDT note whose free text needs escaping."""
    from rairtc.core.records import Patient

    data = first_course_patient("WEB-1").model_dump(mode="json")
    data["rai_courses"][0]["centre"] = 'Almaty <b>"&"</b>'
    data["imaging"] = [
        {**NONAVID_SCAN, "findings": FINDINGS},
        {"id": "i2", "date": "2025-02-01", "modality": "fdg_pet_ct", "findings": []},
    ]
    data["mdt"] = [
        {"id": "m1", "date": "2025-01-10", "recommendations": ["repeat_rai"], "note": "<i>"}
    ]
    return Patient.model_validate(data)


def _reference_context(response: Any) -> dict[str, Any]:
    """The view's context, with the history read by the ORM (the audit trail's order)."""
    from rairtc.web.audit.models import AuditEvent
    from rairtc.web.labels import label

    names = ("pid", "header", "as_of", "as_of_error", "today", "events", "hidden", "chart")
    context = {name: response.context[name] for name in names}
    context |= {n: response.context[n] for n in ("verdict", "kinds", "identified")}
    events = AuditEvent.objects.filter(patient_id="WEB-1")[:50] if context["identified"] else []
    context["history"] = [{"event": e, "action": label("action", e.action)} for e in events]
    return context


@pytest.mark.parametrize("role", ["clinician", "manager", "researcher"])
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("as_of", ["", "?as_of=2024-12-01"])
def test_the_patient_page_is_the_templates_page_byte_for_byte(
    client_as: Callable[..., Any], role: str, language: str, as_of: str
) -> None:
    from rairtc.web.registry import models as m

    store.save("clinician", first_course_patient("WEB-1"))
    store.save("manager", _patient())  # an update: two audit events
    pid = "WEB-1"
    if role == "researcher":
        pid = m.ClassificationSummary.objects.get(patient_id="WEB-1").pseudonym
    response = client_as(role).get(f"/patients/{pid}/{as_of}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    from django.utils import translation

    with translation.override(language):
        expected = reference_page(response, "patient_page.html", _reference_context(response))
    if not as_of:
        assert "&lt;b&gt;" in page or role == "researcher"
        assert "FDG" in page and "I-131 +" in page
    assert without_tokens(page) == without_tokens(expected)


def test_a_patient_without_dated_records_says_so(client_as: Callable[..., Any]) -> None:
    store.save("clinician", first_course_patient("WEB-1"))
    response = client_as("manager").get("/patients/WEB-1/?as_of=2000-01-01")
    page = response.content.decode()
    assert "No dated record." in page
    from django.utils import translation

    with translation.override("en"):
        expected = reference_page(response, "patient_page.html", _reference_context(response))
    assert without_tokens(page) == without_tokens(expected)


def test_the_history_is_the_last_fifty_changes_newest_first(
    client_as: Callable[..., Any],
) -> None:
    from rairtc.web.audit.models import AuditEvent
    from rairtc.web.registry.timeline import history

    patient = first_course_patient("WEB-1")
    for n in range(26):  # each save after the first is an update of one patient row
        store.save("clinician", patient.model_copy(update={"mrn": f"MRN-{n}"}))
    expected = [
        {f: getattr(e, f) for f in ("at", "username", "action", "object_type", "object_id")}
        for e in AuditEvent.objects.filter(patient_id="WEB-1")[:50]
    ]
    assert history("WEB-1") == expected and len(expected) >= 26
