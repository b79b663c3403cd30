"""Criterion 1, ``fdg_mismatch`` (the flip-flop phenomenon), ``rules.md`` §3.1.

An FDG PET/CT disease finding that is FDG-avid, and an RAI study at most
``fdg_mismatch_max_days`` before or after it on which no focus with the same site key is
avid. An RAI study after the FDG study counts only if no surgery came in between (the lesion
may have been removed). Met on the later of the two dates; a post-therapy RAI study must pass
the confirmation of §2, a diagnostic scan needs none.
"""

from __future__ import annotations

from rairtc.core.codes import Modality
from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.confirmation import CONFIRMED, check_study
from rairtc.core.rules.evidence import Evidence, finding_params
from rairtc.core.rules.occurrence import CriterionResult, Occurrence
from rairtc.core.rules.terms import Criterion, disease_findings, is_avid, same_site
from rairtc.core.rules.timeline import Timeline, finding_key

PARAMETERS = (
    "fdg_mismatch_max_days",
    "post_therapy_max_days",
    "scan_day_min",
    "scan_day_max",
    "tsh_threshold_miu_l",
)
FLAGS = ("tsh_inadequate", "tsh_unknown", "scan_day_out_of_range")
REASONS: tuple[str, ...] = ()
EVIDENCE = ("evidence.fdg_avid_finding", "evidence.site_not_avid")


def evaluate(timeline: Timeline, params: RuleParameters) -> CriterionResult:
    occurrences = []
    for fdg in timeline.rule_imaging:
        if fdg.modality is not Modality.FDG_PET_CT:
            continue
        positives = sorted(
            (f for f in disease_findings(fdg) if f.fdg_uptake is True), key=finding_key
        )
        if not positives:
            continue
        for rai in timeline.rai_studies:
            gap = (rai.date - fdg.date).days
            if abs(gap) > params.fdg_mismatch_max_days:
                continue
            if gap > 0 and any(fdg.date < s.date <= rai.date for s in timeline.surgeries):
                continue
            unmatched = [
                f
                for f in positives
                if not any(same_site(f, g) and is_avid(g) for g in rai.findings)
            ]
            if not unmatched:
                continue
            course = timeline.course_of(rai)
            check = CONFIRMED if course is None else check_study(course, rai, params)
            evidence = [
                Evidence("evidence.fdg_avid_finding", finding_params(fdg, f)) for f in unmatched
            ]
            evidence += [
                Evidence(
                    "evidence.site_not_avid",
                    {
                        "study": rai.modality.value,
                        "date": rai.date.isoformat(),
                        "site": f.site.value,
                        "side": None if f.side is None else f.side.value,
                        "days": abs(gap),
                        "direction": "after" if gap > 0 else "before",
                    },
                )
                for f in unmatched
            ]
            occurrences.append(
                Occurrence(
                    Criterion.FDG_MISMATCH,
                    max(fdg.date, rai.date),
                    check.confirmed,
                    check.flags,
                    tuple(evidence),
                )
            )
    return CriterionResult(Criterion.FDG_MISMATCH, tuple(occurrences))
