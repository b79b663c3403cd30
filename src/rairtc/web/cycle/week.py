"""Where each admission of a cycle stands, from the core records alone.

A cycle is the week (Monday to Sunday) of the admission date; its MDT meets on the Friday.
The steps are admitted → I-131 given → post-therapy scan recorded → on the MDT agenda →
decided. A given course of the cycle is on its Friday agenda automatically; a patient added to
a meeting's agenda by hand (on or after the admission) is on that agenda too, given or not. The
post-therapy scan is expected on day 4 (the I-131 day is day 1), so from three days after I-131
a missing scan is named.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from rairtc.core.codes import POST_THERAPY_MODALITIES
from rairtc.core.records import Patient as Record

STEPS = ("admitted", "given", "scanned", "on_agenda", "decided")
SCAN_AFTER_DAYS = 3  # day 4 when the I-131 day is day 1
FRIDAY = 4


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def meeting_of(day: date) -> date:
    """The MDT date of the cycle a day belongs to (the Friday of its week)."""
    return week_of(day)[0] + timedelta(days=FRIDAY)


@dataclass(frozen=True)
class Missing:
    code: str  # not_given, no_scan, no_decision
    days: int = 0


@dataclass
class Standing:
    done: dict[str, date] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)

    @property
    def step(self) -> str:
        return [s for s in STEPS if s in self.done][-1]


def standing(
    record: Record,
    admission_date: date,
    course_id: str | None,
    as_of: date,
    manual: Iterable[date] = (),
) -> Standing:
    """Where one admission stands as of a day; ``manual`` are the meetings whose agenda the
    patient was added to by hand."""
    result = Standing(done={"admitted": admission_date})
    course = next((c for c in record.rai_courses if str(c.id) == course_id), None)
    meetings = [d for d in manual if d >= admission_date]
    since = admission_date
    if course is None:
        result.missing.append(Missing("not_given"))
    else:
        since = course.date
        result.done["given"] = since
        scans = sorted(
            s.date
            for s in record.imaging
            if s.modality in POST_THERAPY_MODALITIES and s.date >= since
        )
        if scans:
            result.done["scanned"] = scans[0]
        elif (as_of - since).days >= SCAN_AFTER_DAYS:
            result.missing.append(Missing("no_scan", (as_of - since).days))
        meetings.append(meeting_of(since))
    if not meetings:
        return result
    meeting = min(meetings)
    result.done["on_agenda"] = meeting
    decisions = sorted(d.date for d in record.mdt if d.date >= since)
    if decisions:
        result.done["decided"] = decisions[0]
    elif as_of > meeting:
        result.missing.append(Missing("no_decision"))
    return result
