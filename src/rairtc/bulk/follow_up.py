"""Follow-up (``rules.md`` §4): whole calendar months from the first I-131 course to the
latest dated record up to as_of (any course, surgery, imaging, lab, MDT entry,
``last_follow_up`` or ``deceased_date``), as :func:`rairtc.core.dates.whole_months_between`."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from rairtc.bulk.timeline import Timeline, as_int


def whole_months(start: ir.DateValue, end: ir.DateValue) -> ir.IntegerValue:
    """Largest n with start + n months (clamped) <= end; 0 when end < start.

    start + n months (n = the difference of month indexes) lands in end's month on
    min(start's day, that month's last day); it passes end exactly when start's day is
    later than end's and end is not its month's last day."""
    n = (end.year() - start.year()) * 12 + (end.month() - start.month())
    end_is_last_day = (end + ibis.interval(days=1)).day() == 1
    overshoots = (start.day() > end.day()) & ~end_is_last_day
    months = n - as_int(overshoots)
    return ibis.cases((end < start, 0), else_=months)


def follow_up(tl: Timeline) -> ir.Table:
    """Per patient (``u_pid``): follow_up_months (null without a course or record)."""
    reg = tl.registry
    as_of = ibis.literal(reg.as_of)
    tables = [tl.courses, tl.studies, *(reg[t] for t in ("surgeries", "labs", "mdt"))]
    dated = [  # the latest of each table first: five small unions instead of one large
        t.group_by(d_pid=t.patient_id).agg(d_date=t.date.max()) for t in tables
    ]
    p = reg["patients"]
    for column in ("last_follow_up", "deceased_date"):
        kept = p.filter(p[column].notnull() & (p[column] <= as_of))
        dated.append(kept.select(d_pid="id", d_date=kept[column]))
    everything = ibis.union(*dated)
    latest = everything.group_by("d_pid").agg(latest=everything.d_date.max())
    firsts = tl.courses.filter(tl.courses.number == 1).select(f_pid="patient_id", first="date")
    both = firsts.join(latest, firsts.f_pid == latest.d_pid)
    return both.select(u_pid="f_pid", follow_up_months=whole_months(both.first, both.latest))
