"""Criterion 2, ``no_uptake`` (``rules.md`` §3.2), over tables.

(a) *Never avid*: a post-therapy study of the first course with a non-avid disease finding and
no avid finding at all (remnant included unless ``c1_ignore_thyroid_bed_uptake``).
(b) *Loss*: a non-avid disease finding on a post-therapy study of a course later than one whose
post-therapy study showed an avid disease finding with the same site key. Only the study that
shows it is checked (§2). ``not_evaluable`` says why (a) could not be evaluated.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from rairtc.bulk.criteria.occurrence import occurrences
from rairtc.bulk.timeline import DISEASE, Timeline, true
from rairtc.core.parameters import RuleParameters

CODE = "no_uptake"


def evaluate(tl: Timeline, params: RuleParameters) -> ir.Table:
    s = tl.rule_studies
    never = s.filter(s.linked & (s.course_no == 1) & (s.n_dis_nonavid > 0) & (s.n_avid_c1 == 0))
    f = tl.rule_findings.filter(tl.rule_findings.course_no.notnull())
    disease = f.kind.isin(DISEASE)
    lost = f.filter(disease & true(f.rai_uptake == False)).select(  # noqa: E712
        "patient_id", "sid", "course_no", "site", "side"
    )
    avid = f.filter(disease & true(f.rai_uptake)).select(
        a_pid="patient_id", a_course="course_no", a_site="site", a_side="side"
    )
    shown = lost.semi_join(
        avid,
        [
            lost.patient_id == avid.a_pid,
            avid.a_course < lost.course_no,
            lost.site == avid.a_site,
            lost.side.isnull() | avid.a_side.isnull() | (lost.side == avid.a_side),
        ],
    )
    shown_ids = shown.select(l_sid="sid")
    loss = s.semi_join(shown_ids, s.sid == shown_ids.l_sid)
    both = ibis.union(never, loss, distinct=True)
    return occurrences(both, CODE, both.date, check=True)


def not_evaluable(
    has_course: ir.BooleanValue, first_course_scanned: ir.BooleanValue
) -> ir.StringValue:
    """Why part (a) cannot be evaluated, from the patient's summaries: no course, or no linked
    post-therapy study of the first course (null when it can be; used only when the criterion
    is not met)."""
    return ibis.cases(
        (~has_course, "no_i131_course"),
        (~true(first_course_scanned), "first_course_without_post_therapy_study"),
        else_=ibis.null("string"),
    )
