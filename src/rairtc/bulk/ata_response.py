"""ATA 2015 response to therapy (``rules.md`` §7) over tables, as of ``as_of``.

Mirrors :mod:`rairtc.core.rules.ata_response`: imaging, Tg and TgAb of the last
``response_window_months``; the latest unstimulated and the latest stimulated Tg each judged
(two of one kind on one date: the higher), the worse level wins; the last two TgAb values for
a rise. First match wins: structural incomplete, biochemical incomplete, indeterminate,
excellent; otherwise no category and a reason.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from rairtc.bulk.timeline import DISEASE, Timeline, true
from rairtc.core.codes import NOT_APPLICABLE_HISTOLOGIES as NOT_APPLICABLE
from rairtc.core.codes import FindingKind, LabTest
from rairtc.core.dates import add_months
from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.ata_response import TgLevel


def _unresolved_disease(tl: Timeline, start: date) -> ir.Table:
    """Patients (``u_pid``) with a disease finding in the window that no later study of the
    same modality in the window clears (shows no disease finding at its site key)."""
    s = tl.studies.filter(tl.studies.date >= start)
    f = tl.findings.filter((tl.findings.date >= start) & tl.findings.kind.isin(DISEASE))
    later = s.select(l_pid="patient_id", l_sid="sid", l_date="date", l_modality="modality")
    candidates = f.join(
        later,
        [
            f.patient_id == later.l_pid,
            f.modality == later.l_modality,
            later.l_date > f.date,
        ],
    )
    g = f.select(g_sid="sid", g_site="site", g_side="side")
    clearing = candidates.anti_join(
        g,
        [
            candidates.l_sid == g.g_sid,
            candidates.site == g.g_site,
            candidates.side.isnull() | g.g_side.isnull() | (candidates.side == g.g_side),
        ],
    )
    cleared = clearing.select(c_fid="fid", c_sid="sid").distinct()
    open_findings = f.anti_join(cleared, [f.fid == cleared.c_fid, f.sid == cleared.c_sid])
    return open_findings.select(u_pid="patient_id").distinct()


def _tg_level(lab: ir.Table, params: RuleParameters) -> ir.IntegerValue:
    stimulated = true(lab.stimulated)
    incomplete = ibis.cases(
        (stimulated, params.tg_stimulated_incomplete), else_=params.tg_suppressed_incomplete
    )
    excellent = ibis.cases(
        (stimulated, params.tg_stimulated_excellent), else_=params.tg_suppressed_excellent
    )
    below_limit = true(lab.below_limit)
    at_least = ~below_limit & (lab.value >= incomplete)
    below = ibis.cases((below_limit, lab.value <= excellent), else_=lab.value < excellent)
    return ibis.cases(
        (at_least, int(TgLevel.INCOMPLETE)),
        (below, int(TgLevel.EXCELLENT)),
        else_=int(TgLevel.INDETERMINATE),
    )


def _tg(tl: Timeline, start: date, params: RuleParameters) -> ir.Table:
    """Per patient (``t_pid``): the worse level of the Tg values on the latest date of each
    kind (unstimulated, stimulated); every value of that date is judged
    (:func:`rairtc.core.rules.ata_response.on_latest_date`)."""
    labs = tl.registry["labs"]
    tg = labs.filter((labs.date >= start) & (labs.test == LabTest.TG.value))
    # The latest date's worst level in one aggregate: each value keyed by its day number and
    # level (day * LEVELS + level, days offset to stay positive); the largest key of a kind is
    # on its latest date with that date's worst level. No window and no join back.
    key = (tg.date.epoch_days() + DAY_OFFSET) * LEVELS + _tg_level(tg, params)
    per_kind = tg.group_by(k_pid=tg.patient_id, kind=true(tg.stimulated)).agg(top=key.max())
    return per_kind.group_by(t_pid=per_kind.k_pid).agg(level=(per_kind.top % LEVELS).max())


LEVELS = len(TgLevel)  # a level is 0 <= level < LEVELS
DAY_OFFSET = 800_000  # days before 1970-01-01 of a date before 0001-01-01: keys stay positive


def _tgab(tl: Timeline, start: date, params: RuleParameters) -> ir.Table:
    """Per patient (``a_pid``): the status of the latest TgAb and whether it rose, from one
    value per date, the one that weighs most: positive, then unknown, then negative; then the
    higher value (:func:`rairtc.core.rules.ata_response.one_per_date`)."""
    labs = tl.registry["labs"]
    ab = labs.filter((labs.date >= start) & (labs.test == LabTest.TGAB.value))
    positive = ibis.cases(
        (true(ab.below_limit), False),
        (ab.assay_upper_normal.isnull(), ibis.null("boolean")),
        else_=ab.value > ab.assay_upper_normal,
    )
    ab = ab.mutate(positive=positive)
    weight = ibis.cases((true(ab.positive), 2), (ab.positive.isnull(), 1), else_=0)
    heaviest = ibis.window(
        group_by=["patient_id", "date"], order_by=[ibis.desc(weight), ibis.desc("value")]
    )
    ab = ab.mutate(heaviest=ibis.row_number().over(heaviest))
    per_date = ab.filter(ab.heaviest == 0)
    order = ibis.window(group_by="patient_id", order_by=[ibis.desc("date")])
    ranked = per_date.mutate(rank=ibis.row_number().over(order))
    last = ranked.filter(ranked.rank < 2)
    v1 = last.value.max(where=last.rank == 0)
    v2 = last.value.max(where=last.rank == 1)
    summary = last.group_by(a_pid=last.patient_id).agg(
        n=last.count(),
        status=last.positive.max(where=last.rank == 0),
        v1=v1,
        v2=v2,
    )
    rising = (
        (summary.n >= 2)
        & true(summary.status)
        & ((summary.v1 - summary.v2) >= params.tgab_rise_fraction * summary.v2)
        & (summary.v1 > summary.v2)
    )
    return summary.select("a_pid", "status", rising=rising)


def with_response(patients: ir.Table, tl: Timeline, params: RuleParameters) -> ir.Table:
    """``patients`` with response, response_reason, response_flags (no second pass over the
    patients)."""
    as_of = tl.registry.as_of
    start = add_months(as_of, -params.response_window_months)
    p = patients
    s = tl.studies.filter(tl.studies.date >= start)
    recent = s.select(i_pid="patient_id").distinct()
    indeterminate = (
        tl.findings.filter(
            (tl.findings.date >= start) & (tl.findings.kind == FindingKind.INDETERMINATE.value)
        )
        .select(x_pid="patient_id")
        .distinct()
    )
    unresolved = _unresolved_disease(tl, start)
    tg = _tg(tl, start, params)
    ab = _tgab(tl, start, params)
    t = (
        p.left_join(recent, p.id == recent.i_pid)
        .left_join(unresolved, p.id == unresolved.u_pid)
        .left_join(indeterminate, p.id == indeterminate.x_pid)
        .left_join(tg, p.id == tg.t_pid)
        .left_join(ab, p.id == ab.a_pid)
    )
    not_applicable = t.histology.isin(tuple(h.value for h in NOT_APPLICABLE))
    level = t.level
    incomplete = true(level == int(TgLevel.INCOMPLETE)) | true(t.rising)
    indeterminate_ = t.x_pid.notnull() | true(level == int(TgLevel.INDETERMINATE)) | true(t.status)
    excellent_tg = true(level == int(TgLevel.EXCELLENT))
    category = ibis.cases(
        (not_applicable, ibis.null("string")),
        (t.i_pid.isnull(), ibis.null("string")),
        (t.u_pid.notnull(), "structural_incomplete"),
        (incomplete, "biochemical_incomplete"),
        (indeterminate_, "indeterminate"),
        (excellent_tg & true(t.status == False), "excellent"),  # noqa: E712
        (excellent_tg, "indeterminate"),
        else_=ibis.null("string"),
    )
    reason = ibis.cases(
        (not_applicable, "histology_not_applicable"),
        (t.i_pid.isnull(), "no_recent_imaging"),
        (category.isnull(), "no_tg"),
        else_=ibis.null("string"),
    )
    flags = ibis.cases(
        (
            ~not_applicable
            & t.i_pid.notnull()
            & t.u_pid.isnull()
            & ~incomplete
            & ~indeterminate_
            & excellent_tg
            & ~true(t.status == False),  # noqa: E712
            "tgab_unknown",
        ),
        else_="",
    )
    return t.select(
        *patients.columns, response=category, response_reason=reason, response_flags=flags
    )
