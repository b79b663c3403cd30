"""Writes: audited in the same transaction, append-only trail, cache and summary follow."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from rairtc.core.records import Imaging
from rairtc.web.audit.models import AppendOnly, AuditEvent
from rairtc.web.registry import models as m
from rairtc.web.registry import store
from rairtc.web.registry.verdicts import reclassify, verdict
from tests.web.cases import NONAVID_SCAN, first_course_patient

pytestmark = pytest.mark.django_db
TODAY = date(2025, 1, 1)


def with_scan() -> object:
    return first_course_patient().model_copy(
        update={"imaging": (Imaging.model_validate(NONAVID_SCAN),)}
    )


def test_a_new_patient_is_stored_and_every_object_is_audited_as_created() -> None:
    changes = store.save("clinician", first_course_patient(), today=TODAY)
    assert {(c.object_type, c.object_id) for c in changes} == {
        ("patient", "WEB-1"),
        ("surgeries", "s1"),
        ("rai_courses", "c1"),
        ("labs", "l1"),
    }
    events = AuditEvent.objects.filter(patient_id="WEB-1")
    assert events.count() == 4
    assert {e.action for e in events} == {"create"}
    assert store.load("WEB-1") == first_course_patient()


def test_an_edit_records_the_values_before_and_after() -> None:
    store.save("clinician", first_course_patient(), today=TODAY)
    course = first_course_patient().rai_courses[0].model_copy(update={"activity_mci": 150})
    store.save(
        "manager", first_course_patient().model_copy(update={"rai_courses": (course,)}), today=TODAY
    )
    event = AuditEvent.objects.get(action="update")
    assert (event.username, event.object_type, event.object_id) == ("manager", "rai_courses", "c1")
    assert event.before["activity_mci"] == 100 and event.after["activity_mci"] == 150


def test_saving_the_same_record_again_writes_nothing() -> None:
    store.save("clinician", first_course_patient(), today=TODAY)
    revision = m.Patient.objects.get(id="WEB-1").revision
    assert store.save("clinician", first_course_patient(), today=TODAY) == []
    assert m.Patient.objects.get(id="WEB-1").revision == revision
    assert AuditEvent.objects.count() == 4


def test_a_write_and_its_audit_rows_roll_back_together() -> None:
    class Failure(Exception):
        pass

    with pytest.raises(Failure), transaction.atomic():
        store.save("clinician", first_course_patient(), today=TODAY)
        assert AuditEvent.objects.count() == 4
        raise Failure
    assert not m.Patient.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_audit_row_that_cannot_be_written_undoes_the_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(store, "audit", broken)
    with pytest.raises(RuntimeError):
        store.save("clinician", first_course_patient(), today=TODAY)
    assert not m.Patient.objects.exists()


def test_audit_rows_can_be_neither_changed_nor_deleted() -> None:
    store.save("clinician", first_course_patient(), today=TODAY)
    event = AuditEvent.objects.first()
    assert event is not None
    event.username = "someone else"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.update(username="x")


def test_deleting_a_patient_is_audited_with_its_last_values() -> None:
    store.save("clinician", first_course_patient(), today=TODAY)
    assert store.delete("manager", "WEB-1")
    deleted = AuditEvent.objects.filter(action="delete")
    assert deleted.count() == 4
    assert deleted.get(object_type="patient").before["full_name"] == "Omarova Saule Maratkyzy"
    assert not m.Patient.objects.exists()


def test_a_write_invalidates_the_cached_verdict_and_refreshes_the_summary() -> None:
    store.save("clinician", first_course_patient(), today=TODAY)
    row = m.Patient.objects.get(id="WEB-1")
    assert verdict(first_course_patient(), row.revision, TODAY).status == "insufficient_data"
    assert m.ClassificationSummary.objects.get(patient_id="WEB-1").status == "insufficient_data"
    store.save("clinician", with_scan(), today=TODAY)  # type: ignore[arg-type]
    row = m.Patient.objects.get(id="WEB-1")
    record = store.load("WEB-1")
    assert record is not None
    assert verdict(record, row.revision, TODAY).status == "refractory"
    summary = m.ClassificationSummary.objects.get(patient_id="WEB-1")
    assert (summary.status, summary.first_course_year) == ("refractory", 2024)
    assert summary.onset_date == date(2024, 12, 4)


def test_reclassify_recomputes_every_summary_as_of_the_given_day() -> None:
    store.save("clinician", with_scan(), today=TODAY)  # type: ignore[arg-type]
    assert reclassify(today=date(2024, 12, 1)) == 1
    summary = m.ClassificationSummary.objects.get(patient_id="WEB-1")
    assert (summary.status, summary.as_of) == ("insufficient_data", date(2024, 12, 1))
    assert summary.pseudonym.startswith("P-") and "WEB-1" not in summary.pseudonym


def test_the_tests_run_on_the_database_they_were_given() -> None:
    import os

    from django.db import connection

    url = os.environ["RAIRTC_DATABASE_URL"]
    assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")
