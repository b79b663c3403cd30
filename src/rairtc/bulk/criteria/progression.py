"""Criterion 4, ``progression_despite_uptake`` (``rules.md`` §3.4), over tables: a linked
post-therapy study with an avid disease finding, then structural progression on a study dated
after it and within ``progression_window_months`` of its course (calendar months, clamped to
the month's end). Always confirmed."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from rairtc.bulk.criteria.occurrence import occurrences
from rairtc.bulk.timeline import Timeline
from rairtc.core.parameters import RuleParameters

CODE = "progression_despite_uptake"


def evaluate(tl: Timeline, params: RuleParameters) -> ir.Table:
    s = tl.rule_studies
    low, high = params.progression_window_months
    scans = s.filter(s.linked & (s.n_dis_avid > 0)).select(
        a_pid="patient_id", a_date="date", a_course="course_date"
    )
    later = s.filter(s.progressed).select("patient_id", "date")
    pairs = later.join(
        scans,
        [
            later.patient_id == scans.a_pid,
            later.date > scans.a_date,
            later.date >= scans.a_course + ibis.interval(months=low),
            later.date <= scans.a_course + ibis.interval(months=high),
        ],
    )
    met = pairs.select("patient_id", "date").distinct()
    return occurrences(met, CODE, met.date)
