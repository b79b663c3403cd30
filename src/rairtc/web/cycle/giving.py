"""Giving a planned course: the one way an admission becomes an I-131 course, for the page
and the API alike.

The course (date and activity given, the admission's stimulation and TSH) is appended to the
patient's core record; the core validates the whole patient; the patient is saved through
:func:`rairtc.web.registry.store.save` (audited) and the admission linked to the new course by
its record id, in one transaction. An admission is given once: a second attempt, even a
concurrent one, finds it linked and changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from rairtc.io.json_files import patient_to_json
from rairtc.web.audit.trail import record as audit
from rairtc.web.cycle.models import Admission
from rairtc.web.registry import store
from rairtc.web.registry.editing import Checked, check


class AlreadyGiven(Exception):
    """The admission is linked to a course already."""


def give(
    admission: Admission, day: date, activity_mci: Decimal, *, by: str, today: date
) -> Checked:
    """Give the admission's course; the returned check carries the core's problems (errors:
    nothing was saved). Raises :class:`AlreadyGiven` and ``LookupError`` (no patient)."""
    if admission.course_id is not None:
        raise AlreadyGiven(f"admission {admission.pk} was given as course {admission.course_id}")
    pid = admission.patient_id
    before = store.load(pid)
    if before is None:
        raise LookupError(f"no patient {pid}")
    data = patient_to_json(before)
    course: dict[str, Any] = {
        "date": day.isoformat(),
        "activity_mci": float(activity_mci),
        "stimulation": admission.stimulation,
    }
    if admission.tsh_miu_l is not None:
        course["tsh_miu_l"] = admission.tsh_miu_l
    data["rai_courses"] = [*data["rai_courses"], course]
    checked = check(data, today)
    if checked.record is None or checked.errors:
        return checked
    known = {str(x.id) for x in before.rai_courses}
    new_id = next(str(x.id) for x in checked.record.rai_courses if str(x.id) not in known)
    with transaction.atomic():
        locked = Admission.objects.select_for_update().get(pk=admission.pk)
        if locked.course_id is not None:
            raise AlreadyGiven(f"admission {admission.pk} was given as course {locked.course_id}")
        store.save(by, checked.record)
        locked.course_id = new_id
        locked.save(update_fields=["course_id"])
        audit(
            by,
            "update",
            "admission",
            str(admission.pk),
            patient_id=pid,
            before={"course_id": None},
            after={"course_id": new_id},
        )
    admission.course_id = new_id
    return checked
