"""Criterion 5, ``cumulative_activity``, ``rules.md`` §3.5.

Cumulative activity first reaches ``cumulative_threshold_mbq`` (default 22,200 MBq = 600 mCi,
``>=``, summed exactly) at a course, and a disease finding is present on that course's
post-therapy study or on any imaging dated after that course. Met on the date of the first
such study. Always flagged ``soft_criterion``: cumulative activity alone does not prove
refractoriness (Van Nostrand 2018; Martinique principles).
"""

from __future__ import annotations

from decimal import Decimal

from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.evidence import Evidence, finding_params
from rairtc.core.rules.occurrence import CriterionResult, Occurrence
from rairtc.core.rules.terms import Criterion, disease_findings
from rairtc.core.rules.timeline import Timeline, finding_key
from rairtc.core.units import MBQ_PER_GBQ, MBQ_PER_MCI

PARAMETERS = ("cumulative_threshold_mbq", "post_therapy_max_days")
FLAGS = ("soft_criterion",)
REASONS: tuple[str, ...] = ()
EVIDENCE = ("evidence.cumulative_activity_reached", "evidence.persistent_disease")


def plain_number(value: Decimal) -> str:
    """A decimal without trailing zeros, at most two decimals: 600, 22.2, 355.5."""
    rounded = value.quantize(Decimal("0.01"))
    text = format(rounded, "f").rstrip("0").rstrip(".")
    return text or "0"


def evaluate(timeline: Timeline, params: RuleParameters) -> CriterionResult:
    threshold = Decimal(params.cumulative_threshold_mbq)
    reached = next((c for c in timeline.courses if c.cumulative_mbq >= threshold), None)
    if reached is None:
        return CriterionResult(Criterion.CUMULATIVE_ACTIVITY)
    candidates = [
        *reached.post_therapy,
        *(s for s in timeline.rule_imaging if s.date > reached.date),
    ]
    with_disease = [s for s in candidates if disease_findings(s)]
    if not with_disease:
        return CriterionResult(Criterion.CUMULATIVE_ACTIVITY)
    order = {id(s): i for i, s in enumerate(timeline.imaging)}
    study = min(with_disease, key=lambda s: order[id(s)])
    evidence = [
        Evidence(
            "evidence.cumulative_activity_reached",
            {
                "course_date": reached.date.isoformat(),
                "course": reached.number,
                "cumulative_mbq": plain_number(reached.cumulative_mbq),
                "cumulative_mci": plain_number(reached.cumulative_mbq / MBQ_PER_MCI),
                "cumulative_gbq": plain_number(reached.cumulative_mbq / MBQ_PER_GBQ),
                "threshold_mci": plain_number(threshold / MBQ_PER_MCI),
            },
        )
    ]
    evidence += [
        Evidence("evidence.persistent_disease", finding_params(study, f))
        for f in sorted(disease_findings(study), key=finding_key)
    ]
    occurrence = Occurrence(
        Criterion.CUMULATIVE_ACTIVITY,
        study.date,
        True,
        frozenset({"soft_criterion"}),
        tuple(evidence),
    )
    return CriterionResult(Criterion.CUMULATIVE_ACTIVITY, (occurrence,))
