"""One patient's records ordered by date and cut at ``as_of``, with post-therapy studies
linked to their I-131 course and exact cumulative activity per course (``rules.md`` §1).

Ties between records on the same date are broken by their content, never by input order, so
that the order in which a registry lists records cannot change a result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rairtc.core.codes import POST_THERAPY_MODALITIES, RAI_MODALITIES, Modality
from rairtc.core.parameters import RuleParameters
from rairtc.core.records import Finding, Imaging, Lab, Mdt, Patient, RaiCourse, Surgery

_MODALITY_ORDER = {m: i for i, m in enumerate(Modality)}


def finding_key(finding: Finding) -> tuple[object, ...]:
    """A canonical order of findings (site, side, kind, then the rest) for stable output."""
    return (
        list(type(finding.site)).index(finding.site),
        "" if finding.side is None else finding.side.value,
        finding.kind.value,
        repr(finding.model_dump()),
    )


def _study_key(study: Imaging) -> tuple[object, ...]:
    return (study.date, _MODALITY_ORDER[study.modality], study.id or "",
            [finding_key(f) for f in study.findings], repr(study.progression))


@dataclass(frozen=True)
class Course:
    """An I-131 course with its rank, exact cumulative activity and post-therapy studies."""

    number: int  # 1 for the first course on record
    record: RaiCourse
    cumulative_mbq: Decimal
    post_therapy: tuple[Imaging, ...]

    @property
    def date(self) -> date:
        return self.record.date


@dataclass(frozen=True)
class Timeline:
    patient: Patient
    as_of: date
    courses: tuple[Course, ...]
    imaging: tuple[Imaging, ...]
    surgeries: tuple[Surgery, ...]
    labs: tuple[Lab, ...]
    mdt: tuple[Mdt, ...]
    ignored_post_therapy: tuple[Imaging, ...]  # post-therapy studies with no course 0-N days before

    @property
    def first_course(self) -> Course | None:
        return self.courses[0] if self.courses else None

    def course_of(self, study: Imaging) -> Course | None:
        for course in self.courses:
            if study in course.post_therapy:
                return course
        return None

    @property
    def post_therapy_studies(self) -> list[tuple[Course, Imaging]]:
        """Every linked post-therapy study with its course, by date."""
        pairs = [(c, s) for c in self.courses for s in c.post_therapy]
        return sorted(pairs, key=lambda pair: _study_key(pair[1]))

    @property
    def rai_studies(self) -> list[Imaging]:
        """Diagnostic scans and linked post-therapy studies (unlinked ones are ignored)."""
        return [s for s in self.imaging if s.modality in RAI_MODALITIES and s not in self.ignored_post_therapy]

    @property
    def rule_imaging(self) -> list[Imaging]:
        """All imaging the criteria may use: every study but ignored post-therapy studies."""
        return [s for s in self.imaging if s not in self.ignored_post_therapy]


def build_timeline(patient: Patient, as_of: date, params: RuleParameters) -> Timeline:
    """The patient's records up to and including ``as_of``, ordered and linked."""
    raw_courses = sorted((c for c in patient.rai_courses if c.date <= as_of), key=lambda c: c.date)
    imaging = tuple(sorted((s for s in patient.imaging if s.date <= as_of), key=_study_key))
    links: dict[int, list[Imaging]] = {i: [] for i in range(len(raw_courses))}
    ignored: list[Imaging] = []
    for study in imaging:
        if study.modality not in POST_THERAPY_MODALITIES:
            continue
        owner = None
        for i, course in enumerate(raw_courses):
            if 0 <= (study.date - course.date).days <= params.post_therapy_max_days:
                owner = i  # courses are by date, so the last match is the latest course
        if owner is None:
            ignored.append(study)
        else:
            links[owner].append(study)
    courses: list[Course] = []
    total = Decimal(0)
    for i, course in enumerate(raw_courses):
        total += course.activity_mbq
        courses.append(Course(i + 1, course, total, tuple(links[i])))
    return Timeline(
        patient=patient,
        as_of=as_of,
        courses=tuple(courses),
        imaging=imaging,
        surgeries=tuple(sorted((s for s in patient.surgeries if s.date <= as_of),
                               key=lambda s: (s.date, s.procedure.value))),
        labs=tuple(sorted((lab for lab in patient.labs if lab.date <= as_of),
                          key=lambda lab: (lab.date, lab.test.value, bool(lab.stimulated),
                                           lab.value, lab.unit))),
        mdt=tuple(sorted((m for m in patient.mdt if m.date <= as_of), key=lambda m: m.date)),
        ignored_post_therapy=tuple(ignored),
    )
