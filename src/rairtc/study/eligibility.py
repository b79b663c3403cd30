"""The study frame and its eligibility flow (``rules.md`` §10, the published protocol).

Index admission: the patient's first I-131 course in the period (the first course at all
when no period is given), up to ``as_of``. Exclusions are applied in a fixed order and each
excluded patient is counted once, under the first code that applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rairtc.core.codes import Histology
from rairtc.core.dates import completed_years
from rairtc.core.parameters import RuleParameters
from rairtc.core.records import Patient, RaiCourse
from rairtc.core.rules.classify import is_evaluable_histology

EXCLUSIONS = (
    "no_course_in_period",
    "histology_missing",
    "histology_not_differentiated",
    "birth_date_missing",
    "age_outside_18_80",
)
AGE_RANGE = (18, 80)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Eligible:
    patient: Patient
    index_course: RaiCourse


@dataclass
class Flow:
    records: int
    eligible: list[Eligible] = field(default_factory=list)
    excluded: dict[str, list[str]] = field(
        default_factory=lambda: {code: [] for code in EXCLUSIONS}
    )

    def counts(self) -> dict[str, int]:
        return {code: len(ids) for code, ids in self.excluded.items()}


def not_differentiated(histology: Histology, params: RuleParameters) -> bool:
    """The protocol's exclusion is the rules' own test of an evaluable histology."""
    return not is_evaluable_histology(histology, params)


def index_course(patient: Patient, period: Period | None, as_of: date) -> RaiCourse | None:
    courses = sorted((c for c in patient.rai_courses if c.date <= as_of), key=lambda c: c.date)
    if period is not None:
        courses = [c for c in courses if c.date in period]
    return courses[0] if courses else None


def eligibility(
    patients: Sequence[Patient], *, period: Period | None, as_of: date, params: RuleParameters
) -> Flow:
    flow = Flow(records=len(patients))
    for patient in patients:
        course = index_course(patient, period, as_of)
        code = None
        if course is None:
            code = "no_course_in_period"
        elif patient.histology is None:
            code = "histology_missing"
        elif not_differentiated(patient.histology, params):
            code = "histology_not_differentiated"
        elif patient.birth_date is None:
            code = "birth_date_missing"
        elif not AGE_RANGE[0] <= completed_years(patient.birth_date, course.date) <= AGE_RANGE[1]:
            code = "age_outside_18_80"
        if code is None and course is not None:
            flow.eligible.append(Eligible(patient, course))
        else:
            flow.excluded[code or "no_course_in_period"].append(patient.id)
    return flow
