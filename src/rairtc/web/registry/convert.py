"""The two converters: core record -> rows, and rows -> core record.

``to_rows`` returns unsaved model instances (the patient, its identifiers and every
sub-record, with their positions); ``to_record`` rebuilds the core :class:`Patient` from a
patient row whose related rows were prefetched (:func:`patients_with_records`). A record
survives the trip field by field (a Hypothesis test holds it to that); activities are stored
as the decimal that was entered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from rairtc.core import records as core
from rairtc.core.records import FINDING_FIELDS
from rairtc.web.registry import models as m

PATIENT_FIELDS = (
    "sex",
    "birth_date",
    "diagnosis_date",
    "histology",
    "variant",
    "t",
    "n",
    "m",
    "extrathyroidal_extension",
    "vascular_invasion_foci",
    "capsular_invasion",
    "stage_recorded",
    "region",
    "lymph_nodes_positive",
    "largest_node_mm",
    "margins",
    "smoker",
    "last_follow_up",
    "deceased_date",
)
IDENTIFIER_FIELDS = ("full_name", "national_id", "mrn")
SURGERY_FIELDS = ("date", "procedure")
COURSE_FIELDS = ("date", "stimulation", "tsh_miu_l", "centre")
IMAGING_FIELDS = ("date", "modality", "progression")
LAB_FIELDS = (
    "date",
    "test",
    "value",
    "unit",
    "stimulated",
    "below_limit",
    "assay_upper_normal",
)


def _plain(value: Any) -> Any:
    """Enum members as their code, everything else as is."""
    return getattr(value, "value", value)


def _values(record: core.Record, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(record, name)) for name in names}


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value))


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _id(record: Any) -> str:
    if record.id is None:
        raise ValueError("stored sub-records carry an id; use store.with_ids first")
    return str(record.id)


@dataclass
class Rows:
    """The unsaved rows of one patient, children pointing at their (unsaved) parents."""

    patient: m.Patient
    identifiers: m.Identifiers | None
    surgeries: list[m.Surgery] = field(default_factory=list)
    courses: list[m.RaiCourse] = field(default_factory=list)
    imaging: list[m.Imaging] = field(default_factory=list)
    findings: list[m.Finding] = field(default_factory=list)
    labs: list[m.Lab] = field(default_factory=list)
    mdt: list[m.Mdt] = field(default_factory=list)
    recommendations: list[m.MdtRecommendation] = field(default_factory=list)


def to_rows(record: core.Patient) -> Rows:
    patient = m.Patient(id=record.id, **_values(record, PATIENT_FIELDS))
    molecular = record.molecular or core.Molecular()
    for key in m.MOLECULAR_FIELDS:
        setattr(patient, f"molecular_{key}", getattr(molecular, key))
    identifiers = None
    if any(getattr(record, name) is not None for name in IDENTIFIER_FIELDS):
        identifiers = m.Identifiers(patient=patient, **_values(record, IDENTIFIER_FIELDS))
        identifiers.name_folded = (record.full_name or "").casefold()
    rows = Rows(patient, identifiers)
    for i, surgery in enumerate(record.surgeries):
        rows.surgeries.append(
            m.Surgery(
                patient=patient,
                position=i,
                record_id=_id(surgery),
                **_values(surgery, SURGERY_FIELDS),
            )
        )
    for i, course in enumerate(record.rai_courses):
        rows.courses.append(
            m.RaiCourse(
                patient=patient,
                position=i,
                record_id=_id(course),
                activity_mci=_decimal(course.activity_mci),
                activity_gbq=_decimal(course.activity_gbq),
                **_values(course, COURSE_FIELDS),
            )
        )
    for i, study in enumerate(record.imaging):
        row = m.Imaging(
            patient=patient, position=i, record_id=_id(study), **_values(study, IMAGING_FIELDS)
        )
        rows.imaging.append(row)
        for j, finding in enumerate(study.findings):
            rows.findings.append(
                m.Finding(
                    imaging=row,
                    position=j,
                    record_id=_id(finding),
                    **_values(finding, FINDING_FIELDS),
                )
            )
    for i, lab in enumerate(record.labs):
        rows.labs.append(
            m.Lab(patient=patient, position=i, record_id=_id(lab), **_values(lab, LAB_FIELDS))
        )
    for i, meeting in enumerate(record.mdt):
        row = m.Mdt(
            patient=patient,
            position=i,
            record_id=_id(meeting),
            date=meeting.date,
            note=meeting.note,
        )
        rows.mdt.append(row)
        for j, recommendation in enumerate(meeting.recommendations):
            rows.recommendations.append(
                m.MdtRecommendation(mdt=row, position=j, code=recommendation.value)
            )
    return rows


def patients_with_records() -> QuerySet[m.Patient]:
    """Patients with every related row prefetched, ready for :func:`to_record`."""
    return m.Patient.objects.select_related("identifiers").prefetch_related(
        "surgeries", "rai_courses", "imaging__findings", "labs", "mdt__recommendations"
    )


def _fields(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


@dataclass
class Stored:
    """One patient's stored values, as plain mappings (attribute name -> value): what both
    readers (prefetched model rows, :mod:`rairtc.web.registry.reading`) hand to
    :func:`record_from`, the one converter from rows to a core record. Findings and
    recommendations are keyed by the primary key of their imaging study or MDT row."""

    patient: dict[str, Any]
    identifiers: dict[str, Any] | None
    surgeries: list[dict[str, Any]] = field(default_factory=list)
    courses: list[dict[str, Any]] = field(default_factory=list)
    imaging: list[dict[str, Any]] = field(default_factory=list)
    findings: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    labs: list[dict[str, Any]] = field(default_factory=list)
    mdt: list[dict[str, Any]] = field(default_factory=list)
    recommendations: dict[int, list[str]] = field(default_factory=dict)


def record_from(stored: Stored) -> core.Patient:
    p, identifiers = stored.patient, stored.identifiers
    data: dict[str, Any] = {
        "id": p["id"],
        **{name: p[name] for name in PATIENT_FIELDS},
        **{name: None if identifiers is None else identifiers[name] for name in IDENTIFIER_FIELDS},
        "molecular": {key: p[f"molecular_{key}"] for key in m.MOLECULAR_FIELDS},
        "surgeries": [
            {"id": s["record_id"], **{k: s[k] for k in SURGERY_FIELDS}} for s in stored.surgeries
        ],
        "rai_courses": [
            {
                "id": c["record_id"],
                "activity_mci": _float(c["activity_mci"]),
                "activity_gbq": _float(c["activity_gbq"]),
                **{k: c[k] for k in COURSE_FIELDS},
            }
            for c in stored.courses
        ],
        "imaging": [
            {
                "id": i["record_id"],
                **{k: i[k] for k in IMAGING_FIELDS},
                "findings": [
                    {"id": f["record_id"], **{k: f[k] for k in FINDING_FIELDS}}
                    for f in stored.findings.get(i["id"], [])
                ],
            }
            for i in stored.imaging
        ],
        "labs": [{"id": x["record_id"], **{k: x[k] for k in LAB_FIELDS}} for x in stored.labs],
        "mdt": [
            {
                "id": x["record_id"],
                "date": x["date"],
                "note": x["note"],
                "recommendations": stored.recommendations.get(x["id"], []),
            }
            for x in stored.mdt
        ],
    }
    return core.Patient.model_validate(data)


SUB_FIELDS = ("id", "record_id")


def to_record(row: m.Patient) -> core.Patient:
    """The core record of a patient row whose related rows were prefetched."""
    try:
        identifiers: m.Identifiers | None = row.identifiers
    except m.Identifiers.DoesNotExist:
        identifiers = None
    imaging = list(row.imaging.all())
    mdt = list(row.mdt.all())
    return record_from(
        Stored(
            patient={
                "id": row.id,
                **_fields(row, PATIENT_FIELDS),
                **{f"molecular_{k}": getattr(row, f"molecular_{k}") for k in m.MOLECULAR_FIELDS},
            },
            identifiers=None if identifiers is None else _fields(identifiers, IDENTIFIER_FIELDS),
            surgeries=[_fields(s, SUB_FIELDS + SURGERY_FIELDS) for s in row.surgeries.all()],
            courses=[
                _fields(c, (*SUB_FIELDS, *COURSE_FIELDS, "activity_mci", "activity_gbq"))
                for c in row.rai_courses.all()
            ],
            imaging=[_fields(i, SUB_FIELDS + IMAGING_FIELDS) for i in imaging],
            findings={
                i.id: [_fields(f, ("record_id", *FINDING_FIELDS)) for f in i.findings.all()]
                for i in imaging
            },
            labs=[_fields(x, SUB_FIELDS + LAB_FIELDS) for x in row.labs.all()],
            mdt=[_fields(x, (*SUB_FIELDS, "date", "note")) for x in mdt],
            recommendations={x.id: [r.code for r in x.recommendations.all()] for x in mdt},
        )
    )
