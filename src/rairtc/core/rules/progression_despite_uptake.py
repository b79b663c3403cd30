"""Criterion 4, ``progression_despite_uptake``, ``rules.md`` §3.4.

A course whose post-therapy study shows an avid disease finding, followed by structural
progression (the reader's flag or a new disease finding) on an imaging study dated after that
post-therapy study and within ``progression_window_months`` of the course (default [0, 16];
preset ``literal_12_16``: [12, 16]). Met on the date of the progression study; rests on
uptake that was seen, so it is always confirmed.
"""

from __future__ import annotations

from rairtc.core.dates import add_months, whole_months_between
from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.evidence import Evidence, finding_params
from rairtc.core.rules.occurrence import CriterionResult, Occurrence
from rairtc.core.rules.terms import (
    Criterion,
    is_avid,
    is_disease,
    shows_structural_progression,
)
from rairtc.core.rules.timeline import Timeline, finding_key

PARAMETERS = ("progression_window_months", "post_therapy_max_days")
FLAGS = ()
REASONS: tuple[str, ...] = ("no_post_therapy_study",)
EVIDENCE = ("evidence.avid_disease_after_course", "evidence.structural_progression")


def evaluate(timeline: Timeline, params: RuleParameters) -> CriterionResult:
    if not timeline.post_therapy_studies:
        return CriterionResult(Criterion.PROGRESSION_DESPITE_UPTAKE, (), "no_post_therapy_study")
    low, high = params.progression_window_months
    occurrences = []
    for course, scan in timeline.post_therapy_studies:
        avid = sorted((f for f in scan.findings if is_disease(f) and is_avid(f)), key=finding_key)
        if not avid:
            continue
        start, end = add_months(course.date, low), add_months(course.date, high)
        for later in timeline.rule_imaging:
            if not (later.date > scan.date and start <= later.date <= end):
                continue
            if not shows_structural_progression(later):
                continue
            new = sorted(
                (f for f in later.findings if is_disease(f) and f.new is True), key=finding_key
            )
            evidence = [
                Evidence(
                    "evidence.avid_disease_after_course",
                    {**finding_params(scan, f), "course_date": course.date.isoformat()},
                )
                for f in avid
            ]
            evidence.append(
                Evidence(
                    "evidence.structural_progression",
                    {
                        "study": later.modality.value,
                        "date": later.date.isoformat(),
                        "course_date": course.date.isoformat(),
                        "months": whole_months_between(course.date, later.date),
                        "reader_progression": later.progression is True,
                        "new_lesions": [
                            {
                                "site": f.site.value,
                                "side": None if f.side is None else f.side.value,
                                "kind": f.kind.value,
                            }
                            for f in new
                        ],
                    },
                )
            )
            occurrences.append(
                Occurrence(
                    Criterion.PROGRESSION_DESPITE_UPTAKE,
                    later.date,
                    True,
                    frozenset(),
                    tuple(evidence),
                )
            )
    return CriterionResult(Criterion.PROGRESSION_DESPITE_UPTAKE, tuple(occurrences))
