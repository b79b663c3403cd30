"""Follow-up (``rules.md`` §4): whole calendar months from the first I-131 course to the
latest dated record up to as_of (any course, surgery, imaging, lab, MDT entry,
``last_follow_up`` or ``deceased_date``), as :func:`rairtc.core.dates.whole_months_between`."""

from __future__ import annotations

from datetime import date

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


def other_records(tl: Timeline) -> ir.Table:
    """Per patient (``o_pid``): ``o_latest``, the latest surgery, lab or MDT entry (up to
    as_of). One aggregate over the three tables' dates; the latest course and study come from
    the per-patient summaries of the timeline, and the patient's own dates from its row."""
    reg = tl.registry
    dates = ibis.union(
        *(reg[t].select(o_pid="patient_id", o_date="date") for t in ("surgeries", "labs", "mdt"))
    )
    return dates.group_by("o_pid").agg(o_latest=dates.o_date.max())


NO_DATE = date(1, 1, 1)  # below every date of a registry; stands for "no record of this kind"


def months(
    first: ir.DateValue, latest: list[ir.DateValue], patient_dates: list[ir.DateValue], as_of: date
) -> ir.IntegerValue:
    """follow_up_months from the first course (null without one) to the latest of ``latest``
    (dates of records, already cut at as_of) and ``patient_dates`` (``last_follow_up`` and
    ``deceased_date``, counted only up to as_of)."""
    cut = ibis.literal(as_of)
    values = [d.fill_null(NO_DATE) for d in latest]
    values += [ibis.cases((d <= cut, d), else_=NO_DATE) for d in patient_dates]
    return ibis.cases((first.notnull(), whole_months(first, ibis.greatest(*values))))
