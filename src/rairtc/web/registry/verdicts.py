"""The verdict: computed by the core on demand, cached per patient, revision and as-of date.

The cache key holds the patient's ``revision``, so a write makes every cached date of that
patient unreachable at once. The summary row (list filters) is the verdict as of the day it was
computed; :func:`reclassify` recomputes every row (``rairtc reclassify``). Pseudonyms are the
report's keyed pseudonyms with a key kept in the database.
"""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db import transaction

from rairtc.core.records import Patient as Record
from rairtc.core.rules.classify import Classification, classify
from rairtc.report.pseudonyms import keyed_pseudonym, new_key
from rairtc.web.registry import models as m
from rairtc.web.registry.reading import load_many
from rairtc.web.registry.revision import bump

CACHE_SECONDS = 3600


def pseudonym_key() -> bytes:
    row = m.RegistryKey.objects.first()
    if row is None:
        with transaction.atomic():
            row = m.RegistryKey.objects.select_for_update().first() or m.RegistryKey.objects.create(
                key=new_key()
            )
    return bytes(row.key)


def pseudonym(patient_id: str) -> str:
    return keyed_pseudonym(patient_id, pseudonym_key())


def verdict(record: Record, revision: int, as_of: date) -> Classification:
    key = f"rairtc:verdict:{record.id}:{revision}:{as_of.isoformat()}"
    found = cache.get(key)
    if isinstance(found, Classification):
        return found
    result = classify(record, as_of)
    cache.set(key, result, CACHE_SECONDS)
    return result


def summary_row(record: Record, as_of: date, key: bytes) -> m.ClassificationSummary:
    result = classify(record, as_of)
    first = min((c.date for c in record.rai_courses if c.date <= as_of), default=None)
    return m.ClassificationSummary(
        patient_id=record.id,
        pseudonym=keyed_pseudonym(record.id, key),
        as_of=as_of,
        status=result.status,
        primary_criterion=None
        if result.primary_criterion is None
        else result.primary_criterion.value,
        onset_date=result.onset_date,
        stage=result.stage.stage,
        ata_response=result.response.category,
        first_course_year=None if first is None else first.year,
    )


def refresh_summary(record: Record, *, today: date | None = None) -> None:
    row = summary_row(record, today or date.today(), pseudonym_key())
    m.ClassificationSummary.objects.update_or_create(
        patient_id=record.id,
        defaults={
            f.name: getattr(row, f.name)
            for f in m.ClassificationSummary._meta.concrete_fields
            if f.name != "patient"
        },
    )


def reclassify(*, today: date | None = None, batch: int = 500) -> int:
    """Recompute every summary row as of ``today``; returns the number of patients."""
    as_of, key = today or date.today(), pseudonym_key()
    ids = list(m.Patient.objects.values_list("id", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        rows = [summary_row(found.record, as_of, key) for found in load_many(chunk).values()]
        with transaction.atomic():
            m.ClassificationSummary.objects.filter(patient_id__in=chunk).delete()
            m.ClassificationSummary.objects.bulk_create(rows)
            bump()
    return len(ids)
