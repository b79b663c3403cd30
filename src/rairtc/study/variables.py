"""Derived variables of Table 1 and the comparisons (``rules.md`` §10), one row per patient.

The index course's post-therapy study fixes "at the index admission": metastases and
recurrence count what was known on or before that study (the latest one linked to the index
course; the course date itself when it has none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rairtc.core.codes import NODAL_METASTASES, FindingKind, MCategory, Procedure
from rairtc.core.dates import completed_years
from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.classify import Classification, latest_record_date
from rairtc.core.rules.terms import Criterion
from rairtc.core.rules.timeline import Timeline, build_timeline
from rairtc.core.units import MBQ_PER_MCI
from rairtc.study.eligibility import Eligible

SPREADING_KINDS = (FindingKind.REGIONAL_METASTASIS, FindingKind.DISTANT_METASTASIS)


@dataclass(frozen=True)
class StudyRow:
    patient_id: str
    status: str
    onset_date: date | None
    age: int
    sex: str
    histology: str
    stage: str | None
    metastases: str
    recurrence: str
    course_number: int
    cumulative_activity_mci: float
    first_course: date
    end_of_follow_up: date
    primary_criterion: str | None = None
    index_date: date | None = None  # the index admission; None in rows built by hand = first course

    @property
    def group(self) -> str:
        return self.status


@dataclass(frozen=True)
class Outcome:
    """What a row takes from a patient's classification, by either engine."""

    status: str
    primary_criterion: Criterion | None
    onset_date: date | None
    stage_group: str | None

    @classmethod
    def of(cls, classification: Classification) -> Outcome:
        return cls(
            classification.status,
            classification.primary_criterion,
            classification.onset_date,
            classification.stage.group,  # the classification's stage: one computation
        )


def derive(eligible: Eligible, classification: Classification, params: RuleParameters) -> StudyRow:
    return derive_row(eligible, Outcome.of(classification), classification.as_of, params)


def derive_row(
    eligible: Eligible,
    outcome: Outcome,
    as_of: date,
    params: RuleParameters,
    timeline: Timeline | None = None,
) -> StudyRow:
    """The row; ``timeline`` is the patient's as of ``as_of`` when already built (by the
    classification under ``params``: records are ordered and linked once)."""
    patient, index = eligible.patient, eligible.index_course
    if timeline is None:
        timeline = build_timeline(patient, as_of, params)
    course = next(c for c in timeline.courses if c.record == index)
    linked = [s.date for s in course.post_therapy]
    reference = max(linked) if linked else index.date
    imaging = [s for s in timeline.imaging if s.date <= reference]
    metastases = (
        patient.n in NODAL_METASTASES
        or patient.m is MCategory.M1
        or any(f.kind in SPREADING_KINDS for s in imaging for f in s.findings)
    )
    recurrence = any(
        s.procedure is Procedure.RECURRENCE_EXCISION and s.date <= reference
        for s in patient.surgeries
    ) or any(f.kind is FindingKind.LOCAL_RECURRENCE for s in imaging for f in s.findings)
    first = timeline.courses[0].date
    return StudyRow(
        patient_id=patient.id,
        status=outcome.status,
        primary_criterion=None
        if outcome.primary_criterion is None
        else outcome.primary_criterion.value,
        onset_date=outcome.onset_date,
        age=completed_years(patient.birth_date, index.date),
        sex="female" if patient.sex.value == "F" else "male",
        histology=patient.histology.value,
        stage=outcome.stage_group,
        metastases="yes" if metastases else "no",
        recurrence="yes" if recurrence else "no",
        course_number=course.number,
        cumulative_activity_mci=float(course.cumulative_mbq / MBQ_PER_MCI),
        first_course=first,
        end_of_follow_up=latest_record_date(timeline) or index.date,
        index_date=index.date,
    )
