"""One patient's records ordered by date and cut at ``as_of``, with post-therapy studies
linked to their I-131 course and exact cumulative activity per course (``rules.md`` §1).

Ties between records on the same date are broken by their content, never by input order, so
that the order in which a registry lists records cannot change a result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rairtc.core.codes import POST_THERAPY_MODALITIES, RAI_MODALITIES, Modality, Site
from rairtc.core.parameters import RuleParameters
from rairtc.core.records import Finding, Imaging, Lab, Mdt, Patient, RaiCourse, Surgery

_MODALITY_ORDER = {m: i for i, m in enumerate(Modality)}
_SITE_ORDER = {s: i for i, s in enumerate(Site)}


def _text(value: object) -> str:
    return "" if value is None else str(value)


def finding_key(finding: Finding) -> tuple[object, ...]:
    """A canonical order of findings (site, side, kind, then the rest) for stable output."""
    return (
        _SITE_ORDER[finding.site],
        _text(finding.side),
        finding.kind.value,
        _text(finding.nodal_level),
        _text(finding.rai_uptake),
        _text(finding.fdg_uptake),
        _text(finding.new),
        _text(finding.size_mm),
        _text(finding.id),
    )


def _study_key(study: Imaging) -> tuple[object, ...]:
    return (
        study.date,
        _MODALITY_ORDER[study.modality],
        study.id or "",
        sorted(finding_key(f) for f in study.findings),
        _text(study.progression),
    )


def _lab_key(lab: Lab) -> tuple[object, ...]:
    """Labs by date, test and kind, then the higher value last (a measured value after a
    below-limit one of the same number), then the remaining fields: a total order."""
    return (
        lab.date,
        lab.test.value,
        bool(lab.stimulated),
        lab.value,
        not lab.below_limit,
        lab.unit,
        _text(lab.assay_upper_normal),
        _text(lab.id),
    )


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
    post_therapy_studies: tuple[
        tuple[Course, Imaging], ...
    ]  # linked studies with their course, by date
    rule_imaging: tuple[Imaging, ...]  # every study the criteria may use (ignored ones left out)
    rai_studies: tuple[Imaging, ...]  # diagnostic scans and linked post-therapy studies

    @property
    def first_course(self) -> Course | None:
        return self.courses[0] if self.courses else None

    def course_of(self, study: Imaging) -> Course | None:
        for course, linked in self.post_therapy_studies:
            if linked is study:
                return course
        return None


def timeline_parameters(params: RuleParameters) -> tuple[object, ...]:
    """Every parameter :func:`build_timeline` reads. Timelines built under parameters with
    equal values are equal, so an analysis under several parameter sets (the study's
    sensitivity presets) orders and links a patient's records once per distinct value."""
    return (params.post_therapy_max_days,)


def build_timeline(patient: Patient, as_of: date, params: RuleParameters) -> Timeline:
    """The patient's records up to and including ``as_of``, ordered and linked."""
    raw_courses = sorted((c for c in patient.rai_courses if c.date <= as_of), key=lambda c: c.date)
    imaging = tuple(
        s
        for _, s in sorted(
            ((_study_key(s), s) for s in patient.imaging if s.date <= as_of),
            key=lambda pair: pair[0],
        )
    )
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
    ignored_ids = {id(s) for s in ignored}
    rule_imaging = tuple(s for s in imaging if id(s) not in ignored_ids)
    position = {id(s): i for i, s in enumerate(imaging)}
    linked = sorted(
        ((c, s) for c in courses for s in c.post_therapy), key=lambda pair: position[id(pair[1])]
    )
    return Timeline(
        patient=patient,
        as_of=as_of,
        courses=tuple(courses),
        imaging=imaging,
        surgeries=tuple(
            sorted(
                (s for s in patient.surgeries if s.date <= as_of),
                key=lambda s: (s.date, s.procedure.value),
            )
        ),
        labs=tuple(
            sorted(
                (lab for lab in patient.labs if lab.date <= as_of),
                key=_lab_key,
            )
        ),
        mdt=tuple(sorted((m for m in patient.mdt if m.date <= as_of), key=lambda m: m.date)),
        ignored_post_therapy=tuple(ignored),
        post_therapy_studies=tuple(linked),
        rule_imaging=rule_imaging,
        rai_studies=tuple(s for s in rule_imaging if s.modality in RAI_MODALITIES),
    )
