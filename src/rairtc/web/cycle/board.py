"""The MDT board of one meeting: its agenda and, per case, what the board needs on one screen.

The agenda is automatic (every course given in the meeting's cycle) plus the manual
additions. The case summary is :mod:`rairtc.explain` as of the meeting date (timeline,
verdict with evidence, stage, ATA risk and response) with the Tg chart of the patient page and
what changed since the patient's last MDT before this one (the verdict then against now).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

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


@cache
def _agenda_sql(vendor: str) -> tuple[str, str]:
    from django.db import connection

    q = connection.ops.quote_name

    def column(model: Any, name: str) -> str:
        return str(q(model._meta.get_field(name).column))

    given = (
        f"SELECT {column(Admission, 'patient')} FROM {q(Admission._meta.db_table)} "  # noqa: S608 - model metadata
        f"WHERE {column(Admission, 'admission_date')} BETWEEN %s AND %s "
        f"AND {column(Admission, 'course_id')} IS NOT NULL"
    )
    added = (
        f"SELECT {column(AgendaItem, 'patient')}, {column(AgendaItem, 'reason')} "  # noqa: S608 - model metadata
        f"FROM {q(AgendaItem._meta.db_table)} WHERE {column(AgendaItem, 'meeting')} = %s "
        f"ORDER BY {column(AgendaItem, 'patient')}"
    )
    return given, added


def agenda(meeting: date) -> list[Case]:
    """The meeting's cases: the courses given in its week (the cycle) and the additions by
    hand, by patient id. Two plain SELECTs in one round trip (the board reads them on every
    request)."""
    from django.db import connection

    from rairtc.web.registry.reading import fetch_all

    monday, sunday = week_of(meeting)
    day = connection.ops.adapt_datefield_value
    given_sql, added_sql = _agenda_sql(connection.vendor)
    given, added = fetch_all([(given_sql, [day(monday), day(sunday)]), (added_sql, [day(meeting)])])
    cases: dict[str, Case] = {}
    for (pid,) in given:
        cases.setdefault(pid, Case(pid)).sources.add("cycle")
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
