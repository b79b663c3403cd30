"""The MDT board of one meeting: its agenda and, per case, what the board needs on one screen.

The agenda is automatic (every course given in the meeting's cycle) plus the manual
additions. The case summary is :mod:`rairtc.explain` as of the meeting date (timeline,
verdict with evidence, stage, ATA risk and response) with the Tg chart of the patient page and
what changed since the patient's last MDT before this one (the verdict then against now).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rairtc.core.records import Mdt
from rairtc.core.records import Patient as Record
from rairtc.core.rules.classify import classify
from rairtc.web.cycle.models import Admission, AgendaItem
from rairtc.web.cycle.week import week_of


@dataclass(frozen=True)
class Change:
    """The verdict at the last MDT against the verdict at this one (None: first MDT)."""

    last_mdt: date | None
    before: str | None
    now: str
    criterion: str | None
    onset: date | None

    @property
    def changed(self) -> bool:
        return self.last_mdt is not None and self.before != self.now


@dataclass
class Case:
    patient_id: str
    sources: set[str] = field(default_factory=set)  # cycle, manual
    reason: str = ""


def agenda(meeting: date) -> list[Case]:
    monday, sunday = week_of(meeting)
    cases: dict[str, Case] = {}
    given = Admission.objects.filter(
        admission_date__range=(monday, sunday), course_id__isnull=False
    ).values_list("patient_id", flat=True)
    for pid in given:
        cases.setdefault(pid, Case(pid)).sources.add("cycle")
    added = AgendaItem.objects.filter(meeting=meeting).values_list("patient_id", "reason")
    for pid, reason in added:
        case = cases.setdefault(pid, Case(pid))
        case.sources.add("manual")
        case.reason = reason
    return [cases[k] for k in sorted(cases)]


def decisions_on(record: Record, meeting: date) -> list[Mdt]:
    return [d for d in record.mdt if d.date == meeting]


def change_since_last_mdt(record: Record, meeting: date) -> Change:
    earlier = [d.date for d in record.mdt if d.date < meeting]
    now = classify(record, meeting)
    last = max(earlier, default=None)
    before = None if last is None else classify(record, last).status
    return Change(
        last,
        before,
        now.status,
        None if now.primary_criterion is None else now.primary_criterion.value,
        now.onset_date,
    )
