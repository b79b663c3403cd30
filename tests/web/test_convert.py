"""The two converters keep every field of every record (Hypothesis round trip)."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from rairtc.core.records import Patient
from rairtc.web.registry import store
from rairtc.web.registry.convert import patients_with_records, to_record, to_rows
from tests.strategies import patients
from tests.web.cases import first_course_patient


class Rollback(Exception):
    pass


def stored_and_read_back(record: Patient) -> Patient:
    """Write the rows, read them back, then roll the example back."""
    found: list[Patient] = []
    with pytest.raises(Rollback), transaction.atomic():
        store._write_rows(record, 0)
        found.append(to_record(patients_with_records().get(id=record.id)))
        raise Rollback
    return found[0]


@pytest.mark.django_db
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(patients())
def test_any_record_survives_the_database_field_by_field(record: Patient) -> None:
    assert stored_and_read_back(record) == record


@pytest.mark.django_db
def test_activities_are_stored_as_the_decimal_entered() -> None:
    record = first_course_patient().model_copy(
        update={
            "rai_courses": (
                first_course_patient().rai_courses[0].model_copy(update={"activity_mci": 101.35}),
            )
        }
    )
    rows = to_rows(record)
    assert str(rows.courses[0].activity_mci) == "101.35"
    assert stored_and_read_back(record).rai_courses[0].activity_mci == 101.35


def test_identifiers_are_a_separate_row_and_absent_when_none_is_known() -> None:
    record = first_course_patient()
    assert to_rows(record).identifiers is not None
    bare = record.model_copy(update={"full_name": None, "national_id": None, "mrn": None})
    assert to_rows(bare).identifiers is None


def test_sub_records_without_an_id_get_one_that_is_stable() -> None:
    data = {"id": "X", "rai_courses": [{"date": "2024-01-01"}, {"id": "c1", "date": "2024-02-01"}]}
    once = store.with_ids(data)
    assert [c["id"] for c in once["rai_courses"]] == ["c2", "c1"]
    assert store.with_ids(once) == once
