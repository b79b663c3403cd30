"""Criterion 5, ``cumulative_activity`` (``rules.md`` §3.5), over tables: the first course at
which the exact cumulative activity reaches the threshold, and the first study with a disease
finding among that course's post-therapy studies and every study dated after it. Always
confirmed and flagged ``soft_criterion``."""

from __future__ import annotations

import ibis.expr.types as ir

from rairtc.bulk.criteria.occurrence import occurrences
from rairtc.bulk.timeline import MICRO, Timeline
from rairtc.core.parameters import RuleParameters

CODE = "cumulative_activity"


def evaluate(tl: Timeline, params: RuleParameters) -> ir.Table:
    c = tl.courses
    over = c.filter(c.cum_umbq >= params.cumulative_threshold_mbq * MICRO)
    # Course dates rise with their rank, so the first course reached has the earliest date.
    reached = over.group_by(r_pid=over.patient_id).agg(
        r_no=over.number.min(), r_date=over.date.min()
    )
    s = tl.rule_studies
    sick = s.filter(s.n_disease > 0)
    pairs = sick.join(
        reached,
        [
            sick.patient_id == reached.r_pid,
            (sick.course_no == reached.r_no) | (sick.date > reached.r_date),
        ],
    )
    first = pairs.group_by("patient_id").agg(date=pairs.date.min())
    return occurrences(first, CODE, first.date, soft_criterion=True)
