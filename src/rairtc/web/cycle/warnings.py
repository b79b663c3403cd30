"""Early warnings: what the registry can see coming before the MDT does.

Four kinds (issue 14), each computed by the core's own rules and parameters:

- ``verdict_changed``: newly refractory or possibly refractory since the patient's last MDT
  decision (the verdict as of that decision's date against today's), with criterion and date;
- ``cumulative``: the cumulative activity given plus the next planned (not yet given) course
  reaches ``cumulative_threshold_mbq`` (600 mCi);
- ``window_without_imaging``: today lies in a course's progression window (the course date plus
  ``progression_window_months``) and no study that can show progression (any but the
  post-therapy scans) is dated in the window so far;
- ``unconfirmed_uptake``: a criterion resting on absent uptake is unconfirmed because the
  withdrawal TSH at its course was not above ``tsh_threshold_miu_l`` (core flag
  ``tsh_inadequate``).

Candidates are narrowed by indexed queries first, then only those patients are classified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rairtc.core.codes import POST_THERAPY_MODALITIES
from rairtc.core.dates import add_months
from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.records import Patient as Record
from rairtc.core.rules.classify import classify
from rairtc.core.units import MBQ_PER_MCI
from rairtc.web.cycle.models import Admission
from rairtc.web.registry import models as m
from rairtc.web.registry.convert import patients_with_records, to_record

KINDS = ("verdict_changed", "cumulative", "window_without_imaging", "unconfirmed_uptake")
ALARMING = ("refractory", "possibly_refractory")


@dataclass(frozen=True)
class EarlyWarning:
    kind: str
    patient_id: str
    day: date | None  # the date the warning is about
    status: str | None = None
    criterion: str | None = None
    mci: Decimal | None = None


def _changed(record: Record, today: date) -> EarlyWarning | None:
    last = max((d.date for d in record.mdt if d.date <= today), default=None)
    if last is None:
        return None
    then, now = classify(record, last), classify(record, today)
    if now.status == then.status or now.status not in ALARMING:
        return None
    criterion = None if now.primary_criterion is None else now.primary_criterion.value
    return EarlyWarning("verdict_changed", record.id, now.onset_date, now.status, criterion)


def _cumulative(
    record: Record, planned_mci: Decimal, day: date, today: date
) -> EarlyWarning | None:
    given = sum((c.activity_mbq for c in record.rai_courses if c.date <= today), Decimal(0))
    total = given + planned_mci * MBQ_PER_MCI
    if total < DEFAULT_PARAMETERS.cumulative_threshold_mbq:
        return None
    return EarlyWarning(
        "cumulative", record.id, day, mci=(total / MBQ_PER_MCI).quantize(Decimal(1))
    )


def _window(record: Record, today: date) -> EarlyWarning | None:
    low, high = DEFAULT_PARAMETERS.progression_window_months
    for course in sorted(record.rai_courses, key=lambda c: c.date, reverse=True):
        start, end = add_months(course.date, low), add_months(course.date, high)
        if not start <= today <= end:
            continue
        seen = [
            s
            for s in record.imaging
            if s.modality not in POST_THERAPY_MODALITIES and start <= s.date <= today
        ]
        return None if seen else EarlyWarning("window_without_imaging", record.id, course.date)
    return None


def _unconfirmed(record: Record, today: date) -> list[EarlyWarning]:
    result = classify(record, today)
    return [
        EarlyWarning("unconfirmed_uptake", record.id, o.date, criterion=o.criterion.value)
        for o in result.criteria
        if not o.confirmed and "tsh_inadequate" in o.flags
    ]


def early_warnings(today: date) -> list[EarlyWarning]:
    low, high = DEFAULT_PARAMETERS.progression_window_months
    recent = add_months(today, -high)
    planned = {
        a.patient_id: a
        for a in Admission.objects.filter(course_id=None).order_by("-admission_date")
    }
    with_mdt = set(m.Mdt.objects.values_list("patient_id", flat=True))
    in_window = set(
        m.RaiCourse.objects.filter(date__gte=recent, date__lte=today).values_list(
            "patient_id", flat=True
        )
    )
    low_tsh = set(
        m.RaiCourse.objects.filter(
            tsh_miu_l__lte=DEFAULT_PARAMETERS.tsh_threshold_miu_l
        ).values_list("patient_id", flat=True)
    )
    ids = with_mdt | set(planned) | in_window | low_tsh
    found: list[EarlyWarning] = []
    for row in patients_with_records().filter(id__in=ids):
        record = to_record(row)
        if record.id in with_mdt and (w := _changed(record, today)):
            found.append(w)
        admission = planned.get(record.id)
        if admission is not None and (
            w := _cumulative(
                record, admission.planned_activity_mci, admission.admission_date, today
            )
        ):
            found.append(w)
        if record.id in in_window and (w := _window(record, today)):
            found.append(w)
        if record.id in low_tsh:
            found += _unconfirmed(record, today)
    return sorted(found, key=lambda w: (KINDS.index(w.kind), w.patient_id))
