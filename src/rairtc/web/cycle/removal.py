"""Taking a patient added by hand off a meeting's agenda: one function for the board and the API.

Only an addition by hand can be removed: a case on the agenda because a course was given that
week comes from the records and leaves only if they change. The removal is audited in the
same transaction as the delete.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.db import transaction

from rairtc.web.audit.trail import record as audit
from rairtc.web.cycle.board import agenda
from rairtc.web.cycle.models import AgendaItem


class Removal(StrEnum):
    REMOVED = "removed"
    FROM_CYCLE = "from_cycle"  # on the agenda from the records, not by hand
    NOT_ADDED = "not_added"


def remove_added(username: str, meeting: date, pid: str) -> Removal:
    with transaction.atomic():
        row = AgendaItem.objects.select_for_update().filter(meeting=meeting, patient_id=pid).first()
        if row is None:
            cycle = any(c.patient_id == pid for c in agenda(meeting))
            return Removal.FROM_CYCLE if cycle else Removal.NOT_ADDED
        audit(
            username,
            "delete",
            "agenda_item",
            f"{meeting.isoformat()}/{pid}",
            patient_id=pid,
            before={"meeting": meeting.isoformat(), "reason": row.reason},
        )
        row.delete()
    return Removal.REMOVED
