"""The pages' reader (plain SQL, no model instances) gives the very record the ORM converter
gives, field by field, for one patient or several at once."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rairtc.core.records import Patient
from rairtc.web.registry import store
from rairtc.web.registry.convert import patients_with_records, to_record
from rairtc.web.registry.reading import load, load_many
from tests.strategies import patients
from tests.web.cases import NONAVID_SCAN, first_course_patient


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(patients(), min_size=1, max_size=3, unique_by=lambda p: p.id))
def test_the_reader_and_the_orm_converter_agree_on_any_records(records: list[Patient]) -> None:
    with pytest.raises(Rollback), transaction.atomic():
        for record in records:
            store._write_rows(record, 0)
        read = load_many([r.id for r in records])
        for record in records:
            assert read[record.id].record == record
            assert read[record.id].record == to_record(patients_with_records().get(id=record.id))
        raise Rollback


@pytest.mark.django_db
def test_the_revision_comes_with_the_record_and_an_unknown_id_is_none() -> None:
    record = first_course_patient("R-1", imaging=[NONAVID_SCAN])
    store.save("clinician", record)
    store.save("clinician", record.model_copy(update={"region": "Almaty"}))
    found = load("R-1")
    assert found is not None and found.revision == 1 and found.record.region == "Almaty"
    assert found.record.imaging[0].findings == record.imaging[0].findings
    assert load("nobody") is None and load_many([]) == {}


def test_the_revisions_are_the_stored_revisions(db: None) -> None:
    from rairtc.web.registry import models as m
    from rairtc.web.registry import store
    from rairtc.web.registry.reading import revisions_of
    from tests.web.cases import first_course_patient

    store.save("clinician", first_course_patient("WEB-1"))
    store.save("clinician", first_course_patient("WEB-1").model_copy(update={"mrn": "M-2"}))
    store.save("clinician", first_course_patient("WEB-2"))
    stored = dict(m.Patient.objects.values_list("id", "revision"))
    assert revisions_of(["WEB-1", "WEB-2", "WEB-9"]) == stored and revisions_of([]) == {}
