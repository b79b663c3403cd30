"""Criterion 3, ``nonavid_lesion``, ``rules.md`` §3.3.

A post-therapy study with at least one non-avid disease finding (local recurrence, regional
or distant metastasis), met on that study's date and confirmed by §2. Flagged
``heterogeneous_uptake`` when the same study also has an avid disease finding (ATA category
iii: uptake in some lesions and not in others).
"""

from __future__ import annotations

from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.confirmation import check_study
from rairtc.core.rules.evidence import Evidence, finding_params
from rairtc.core.rules.occurrence import CriterionResult, Occurrence
from rairtc.core.rules.terms import Criterion, is_avid, is_disease, is_nonavid
from rairtc.core.rules.timeline import Timeline, finding_key

PARAMETERS = ("post_therapy_max_days", "scan_day_min", "scan_day_max", "tsh_threshold_miu_l")
FLAGS = ("heterogeneous_uptake", "tsh_inadequate", "tsh_unknown", "scan_day_out_of_range")
REASONS: tuple[str, ...] = ("no_post_therapy_study",)
EVIDENCE = ("evidence.nonavid_finding", "evidence.avid_finding")


def evaluate(timeline: Timeline, params: RuleParameters) -> CriterionResult:
    studies = timeline.post_therapy_studies
    if not studies:
        return CriterionResult(Criterion.NONAVID_LESION, (), "no_post_therapy_study")
    occurrences = []
    for course, study in studies:
        nonavid = sorted(
            (f for f in study.findings if is_disease(f) and is_nonavid(f)), key=finding_key
        )
        if not nonavid:
            continue
        avid = sorted((f for f in study.findings if is_disease(f) and is_avid(f)), key=finding_key)
        check = check_study(course, study, params)
        flags = check.flags | ({"heterogeneous_uptake"} if avid else set())
        evidence = [Evidence("evidence.nonavid_finding", finding_params(study, f)) for f in nonavid]
        evidence += [Evidence("evidence.avid_finding", finding_params(study, f)) for f in avid]
        occurrences.append(
            Occurrence(
                Criterion.NONAVID_LESION,
                study.date,
                check.confirmed,
                frozenset(flags),
                tuple(evidence),
            )
        )
    return CriterionResult(Criterion.NONAVID_LESION, tuple(occurrences))
