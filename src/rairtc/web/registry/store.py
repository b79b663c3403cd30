"""Reading and writing whole patients, each write audited in its own transaction.

A write replaces the patient's rows from the new core record (the record is the unit the
core validates and classifies), bumps ``revision`` (which invalidates every cached verdict of
the patient), appends one audit event per object that changed (the patient's own fields, or
one sub-record, with its values before and after) and refreshes the summary row, all in one
transaction: the change and its trail commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from rairtc.core.records import LIST_FIELDS
from rairtc.core.records import Patient as Record
from rairtc.io.json_files import patient_to_json
from rairtc.web.audit.models import Action
from rairtc.web.audit.trail import record as audit
from rairtc.web.registry import models as m
from rairtc.web.registry.convert import to_rows
from rairtc.web.registry.revision import bump

# Prefixes of the ids the web app gives to sub-records that arrive without one.
ID_PREFIXES = {"surgeries": "s", "rai_courses": "c", "imaging": "i", "labs": "l", "mdt": "m"}


def _next_id(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    taken.add(f"{prefix}{n}")
    return f"{prefix}{n}"


def with_ids(data: dict[str, Any]) -> dict[str, Any]:
    """The patient JSON with an id on every sub-record (unique within the patient), keeping
    the ids it has; deterministic, so importing the same file twice gives the same ids."""
    out = dict(data)
    for kind, prefix in ID_PREFIXES.items():
        if not isinstance(out.get(kind) or [], list):
            continue  # not a list: left for the core's validator to name
        items = [dict(i) if isinstance(i, dict) else i for i in out.get(kind) or []]
        records = [item for item in items if isinstance(item, dict)]
        taken = {str(item["id"]) for item in records if item.get("id") is not None}
        for item in records:
            if item.get("id") is None:
                item["id"] = _next_id(prefix, taken)
            if kind == "imaging":
                if not isinstance(item.get("findings") or [], list):
                    continue
                findings = [
                    dict(f) if isinstance(f, dict) else f for f in item.get("findings") or []
                ]
                shaped = [f for f in findings if isinstance(f, dict)]
                inner = {str(f["id"]) for f in shaped if f.get("id") is not None}
                for finding in shaped:
                    if finding.get("id") is None:
                        finding["id"] = _next_id("f", inner)
                item["findings"] = findings
        out[kind] = items
    return out


def load(patient_id: str) -> Record | None:
    from rairtc.web.registry.reading import load as read

    found = read(patient_id)
    return None if found is None else found.record


@dataclass(frozen=True)
class Change:
    action: str
    object_type: str
    object_id: str
    before: Any
    after: Any


def _objects(record: Record | None) -> dict[tuple[str, str], Any]:
    """Every auditable object of a patient: its own fields, then each sub-record by id."""
    if record is None:
        return {}
    data = patient_to_json(record)
    objects: dict[tuple[str, str], Any] = {
        ("patient", record.id): {k: v for k, v in data.items() if k not in LIST_FIELDS}
    }
    for kind in LIST_FIELDS:
        for item in data.get(kind, []):
            if kind == "imaging":
                for finding in item.get("findings", []):
                    objects[("findings", f"{item['id']}/{finding['id']}")] = finding
                item = {k: v for k, v in item.items() if k != "findings"}
            objects[(kind, str(item["id"]))] = item
    return objects


def changes(before: Record | None, after: Record | None) -> Iterator[Change]:
    old, new = _objects(before), _objects(after)
    for key in [*old, *(k for k in new if k not in old)]:
        if key not in new:
            yield Change(Action.DELETE, key[0], key[1], old[key], None)
        elif key not in old:
            yield Change(Action.CREATE, key[0], key[1], None, new[key])
        elif old[key] != new[key]:
            yield Change(Action.UPDATE, key[0], key[1], old[key], new[key])


def _write_rows(record: Record, revision: int) -> None:
    rows = to_rows(record)
    rows.patient.revision = revision
    rows.patient.save()
    if rows.identifiers is not None:
        rows.identifiers.save()
    for model, items in (
        (m.Surgery, rows.surgeries),
        (m.RaiCourse, rows.courses),
        (m.Imaging, rows.imaging),
        (m.Lab, rows.labs),
        (m.Mdt, rows.mdt),
    ):
        model.objects.bulk_create(items)
    for finding in rows.findings:
        finding.imaging_id = finding.imaging.pk
    m.Finding.objects.bulk_create(rows.findings)
    for recommendation in rows.recommendations:
        recommendation.mdt_id = recommendation.mdt.pk
    m.MdtRecommendation.objects.bulk_create(rows.recommendations)


def _clear(patient_id: str) -> None:
    m.Identifiers.objects.filter(patient_id=patient_id).delete()
    for model in (m.Surgery, m.RaiCourse, m.Imaging, m.Lab, m.Mdt):
        model.objects.filter(patient_id=patient_id).delete()


def save(username: str, after: Record, *, today: date | None = None) -> list[Change]:
    """Create or replace one patient; returns the audited changes (empty: nothing written)."""
    from rairtc.web.registry.verdicts import refresh_summary

    with transaction.atomic():
        current = m.Patient.objects.select_for_update().filter(id=after.id).first()
        before = load(after.id) if current is not None else None
        found = list(changes(before, after))
        if not found:
            return []
        if current is not None:
            _clear(after.id)
        _write_rows(after, 0 if current is None else current.revision + 1)
        for change in found:
            audit(
                username,
                change.action,
                change.object_type,
                change.object_id,
                patient_id=after.id,
                before=change.before,
                after=change.after,
            )
        refresh_summary(after, today=today)
        bump()
        return found


def delete(username: str, patient_id: str) -> bool:
    with transaction.atomic():
        before = load(patient_id)
        if before is None:
            return False
        for change in changes(before, None):
            audit(
                username,
                change.action,
                change.object_type,
                change.object_id,
                patient_id=patient_id,
                before=change.before,
            )
        m.Patient.objects.filter(id=patient_id).delete()
        bump()
        return True
