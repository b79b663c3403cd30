"""Criterion 2, ``no_uptake`` (absence or progressive loss of uptake), ``rules.md`` §3.2.

(a) *Never avid*: a post-therapy study of the first I-131 course shows a non-avid disease
finding and no avid finding at all (remnant included, unless ``c1_ignore_thyroid_bed_uptake``).
(b) *Loss*: a site key avid on a disease finding of one course's post-therapy study has a
non-avid disease finding on a post-therapy study of any later course. Met on the date of the
study that shows it; for loss only the later, non-avid study is checked for confirmation.
When the first course has no post-therapy study, (a) cannot be evaluated.
"""

from __future__ import annotations

from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.confirmation import check_study
from rairtc.core.rules.evidence import Evidence, finding_params
from rairtc.core.rules.occurrence import CriterionResult, Occurrence
from rairtc.core.rules.terms import (
    Criterion,
    is_avid,
    is_disease,
    is_nonavid,
    is_remnant,
    same_site,
)
from rairtc.core.rules.timeline import Timeline, finding_key

PARAMETERS = (
    "c1_ignore_thyroid_bed_uptake",
    "post_therapy_max_days",
    "scan_day_min",
    "scan_day_max",
    "tsh_threshold_miu_l",
)
FLAGS = ("tsh_inadequate", "tsh_unknown", "scan_day_out_of_range")
REASONS: tuple[str, ...] = ("first_course_without_post_therapy_study", "no_i131_course")
EVIDENCE = ("evidence.never_avid", "evidence.nonavid_finding", "evidence.uptake_lost")


def _never_avid(timeline: Timeline, params: RuleParameters) -> list[Occurrence]:
    first = timeline.first_course
    assert first is not None
    found = []
    for study in first.post_therapy:
        avid = [
            f
            for f in study.findings
            if is_avid(f) and not (params.c1_ignore_thyroid_bed_uptake and is_remnant(f))
        ]
        nonavid = [f for f in study.findings if is_disease(f) and is_nonavid(f)]
        if avid or not nonavid:
            continue
        check = check_study(first, study, params)
        evidence = [
            Evidence(
                "evidence.never_avid",
                {
                    "study": study.modality.value,
                    "date": study.date.isoformat(),
                    "course_date": first.date.isoformat(),
                    "nonavid": len(nonavid),
                },
            )
        ]
        evidence += [
            Evidence("evidence.nonavid_finding", finding_params(study, f))
            for f in sorted(nonavid, key=finding_key)
        ]
        found.append(
            Occurrence(
                Criterion.NO_UPTAKE, study.date, check.confirmed, check.flags, tuple(evidence)
            )
        )
    return found


def _loss(timeline: Timeline, params: RuleParameters) -> list[Occurrence]:
    found = []
    studies = timeline.post_therapy_studies
    for earlier_course, earlier in studies:
        avid = [f for f in earlier.findings if is_disease(f) and is_avid(f)]
        if not avid:
            continue
        for later_course, later in studies:
            if later_course.number <= earlier_course.number:
                continue
            lost = sorted(
                (
                    b
                    for b in later.findings
                    if is_disease(b) and is_nonavid(b) and any(same_site(a, b) for a in avid)
                ),
                key=finding_key,
            )
            if not lost:
                continue
            check = check_study(later_course, later, params)
            evidence = tuple(
                Evidence(
                    "evidence.uptake_lost",
                    {
                        **finding_params(later, b),
                        "course": later_course.number,
                        "earlier_study": earlier.modality.value,
                        "earlier_date": earlier.date.isoformat(),
                        "earlier_course": earlier_course.number,
                    },
                )
                for b in lost
            )
            found.append(
                Occurrence(Criterion.NO_UPTAKE, later.date, check.confirmed, check.flags, evidence)
            )
    return found


def evaluate(timeline: Timeline, params: RuleParameters) -> CriterionResult:
    first = timeline.first_course
    occurrences = _loss(timeline, params)
    reason = None
    if first is None:
        reason = "no_i131_course"
    elif not first.post_therapy:
        reason = "first_course_without_post_therapy_study"
    else:
        occurrences += _never_avid(timeline, params)
    if occurrences:
        return CriterionResult(Criterion.NO_UPTAKE, tuple(occurrences))
    return CriterionResult(Criterion.NO_UPTAKE, (), reason)
