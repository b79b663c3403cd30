"""The weekly cycle in the API: admissions (planned courses) and the MDT agenda.

The same rules as the pages of :mod:`rairtc.web.cycle`: the week, its admissions and the
agenda are clinical work with names (clinicians and managers; researchers get 403); planning,
changing and cancelling an admission and adding or removing a case by hand need ``edit``.
Every write is audited in its own transaction, as on the pages (``admission``,
``agenda_item``); giving a course is :func:`rairtc.web.cycle.giving.give`, as on the page.
An admission once given is linked to a core course: it is no longer a plan,
so it can be neither changed nor cancelled here (the course is edited as a record).
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from rairtc.core.codes import Stimulation
from rairtc.web.accounts.roles import Can
from rairtc.web.api.access import fits, in_range, need, username
from rairtc.web.api.errors import ApiError
from rairtc.web.audit.trail import record as audit
from rairtc.web.cycle.board import agenda
from rairtc.web.cycle.models import Admission, AgendaItem
from rairtc.web.cycle.removal import Removal, remove_added
from rairtc.web.cycle.week import meeting_of, standing, week_of
from rairtc.web.days import countable

router = Router(tags=["cycle"])


class Plan(Schema):
    """A planned course: what the admission form asks."""

    admission_date: date
    planned_activity_mci: Decimal = Field(ge=0, max_digits=12, decimal_places=4)
    stimulation: Stimulation
    tsh_miu_l: float | None = Field(default=None, ge=0, allow_inf_nan=False)


class NewAdmission(Plan):
    patient_id: str


class Week(Schema):
    date: dt.date | None = None  # any day of the cycle (week); today when left out
    patient: str | None = None  # only this patient's admissions (of every week when no date)


class Addition(Schema):
    patient_id: str
    reason: str = Field(default="", max_length=200)


def _plan_json(plan: Plan) -> dict[str, Any]:
    """The audit's view of a plan, the shape the admission form writes."""
    out: dict[str, Any] = {
        "admission_date": plan.admission_date.isoformat(),
        "planned_activity_mci": float(plan.planned_activity_mci),
        "stimulation": plan.stimulation.value,
    }
    if plan.tsh_miu_l is not None:
        out["tsh_miu_l"] = plan.tsh_miu_l
    return out


def _stored_plan(admission: Admission) -> dict[str, Any]:
    return _plan_json(
        Plan(
            admission_date=admission.admission_date,
            planned_activity_mci=admission.planned_activity_mci,
            stimulation=Stimulation(admission.stimulation),
            tsh_miu_l=admission.tsh_miu_l,
        )
    )


def _admission_json(admission: Admission, where: Any = None) -> dict[str, Any]:
    activity = Decimal(admission.planned_activity_mci).normalize()
    out: dict[str, Any] = {
        "id": admission.pk,
        "patient_id": admission.patient_id,
        "admission_date": admission.admission_date.isoformat(),
        "planned_activity_mci": f"{activity:f}",
        "stimulation": admission.stimulation,
        "tsh_miu_l": admission.tsh_miu_l,
        "course_id": admission.course_id,
        "meeting": (
            meeting_of(admission.admission_date).isoformat()
            if countable(admission.admission_date)
            else None  # a date stored before the range was checked
        ),
    }
    if where is not None:
        out["step"] = where.step
        out["done"] = {step: day.isoformat() for step, day in where.done.items()}
        out["missing"] = [{"code": x.code, "days": x.days} for x in where.missing]
    return out


def _admission(admission_id: int, *, plan_only: bool) -> Admission:
    rows = Admission.objects.select_for_update() if plan_only else Admission.objects
    found = rows.filter(pk=admission_id).first() if fits(admission_id) else None
    if found is None:
        raise ApiError(404, "not_found", _("No admission %(id)s.") % {"id": admission_id})
    if plan_only and found.course_id is not None:
        raise _given(found)
    admission: Admission = found
    return admission


def _given(admission: Admission) -> ApiError:
    message = _(
        "Admission %(id)s has been given (course %(course)s): edit or delete the course as a record of the patient."
    )
    return ApiError(
        409,
        "conflict",
        message % {"id": admission.pk, "course": admission.course_id},
        course_id=admission.course_id,
    )


def _no_patient(pid: str) -> ApiError:
    message = _("No patient %(id)s.") % {"id": pid}
    return ApiError(404, "not_found", message, patient_id=pid, field="patient_id")


def _patient_exists(pid: str) -> None:
    from rairtc.web.registry.models import Patient

    if not Patient.objects.filter(id=pid).exists():
        raise _no_patient(pid)


@router.get(
    "/admissions/", summary="The admissions of a week (or of a patient), with where each stands"
)
def list_admissions(request: HttpRequest, week: Query[Week]) -> list[dict[str, Any]]:
    from rairtc.web.registry.convert import patients_with_records, to_record

    need(request, Can.SEE_IDENTIFIERS)
    rows = Admission.objects.all()
    if week.date is not None or week.patient is None:
        monday, sunday = week_of(in_range(week.date or date.today(), "date"))
        rows = rows.filter(admission_date__range=(monday, sunday))
    if week.patient is not None:
        rows = rows.filter(patient_id=week.patient)
    admissions = list(rows)
    pids = {a.patient_id for a in admissions}
    records = {p.id: to_record(p) for p in patients_with_records().filter(id__in=pids)}
    manual: dict[str, list[date]] = {}
    for pid, meeting in AgendaItem.objects.filter(patient_id__in=pids).values_list(
        "patient_id", "meeting"
    ):
        manual.setdefault(pid, []).append(meeting)
    today = date.today()
    return [
        _admission_json(
            a,
            standing(
                records[a.patient_id],
                a.admission_date,
                a.course_id,
                today,
                manual.get(a.patient_id, ()),
            ),
        )
        for a in admissions
    ]


@router.post("/admissions/", response={201: dict[str, Any]}, summary="Plan a course (admission)")
def create_admission(request: HttpRequest, plan: NewAdmission) -> Status[dict[str, Any]]:
    need(request, Can.EDIT)
    in_range(plan.admission_date, "admission_date")
    _patient_exists(plan.patient_id)
    with transaction.atomic():
        admission = Admission.objects.create(
            patient_id=plan.patient_id,
            admission_date=plan.admission_date,
            planned_activity_mci=plan.planned_activity_mci,
            stimulation=plan.stimulation.value,
            tsh_miu_l=plan.tsh_miu_l,
            created_by=username(request),
        )
        audit(
            username(request),
            "create",
            "admission",
            str(admission.pk),
            patient_id=plan.patient_id,
            after=_plan_json(plan),
        )
    return Status(201, _admission_json(admission))


@router.put("/admissions/{admission_id}/", summary="Change a plan not yet given")
def update_admission(request: HttpRequest, admission_id: int, plan: Plan) -> dict[str, Any]:
    need(request, Can.EDIT)
    in_range(plan.admission_date, "admission_date")
    with transaction.atomic():
        admission = _admission(admission_id, plan_only=True)
        before = _stored_plan(admission)
        admission.admission_date = plan.admission_date
        admission.planned_activity_mci = plan.planned_activity_mci
        admission.stimulation = plan.stimulation.value
        admission.tsh_miu_l = plan.tsh_miu_l
        admission.save()
        after = _plan_json(plan)
        if after != before:
            audit(
                username(request),
                "update",
                "admission",
                str(admission.pk),
                patient_id=admission.patient_id,
                before=before,
                after=after,
            )
    return _admission_json(admission)


@router.delete(
    "/admissions/{admission_id}/", response={204: None}, summary="Cancel a plan not yet given"
)
def cancel_admission(request: HttpRequest, admission_id: int) -> Status[None]:
    need(request, Can.EDIT)
    with transaction.atomic():
        admission = _admission(admission_id, plan_only=True)
        audit(
            username(request),
            "delete",
            "admission",
            str(admission.pk),
            patient_id=admission.patient_id,
            before=_stored_plan(admission),
        )
        admission.delete()
    return Status(204, None)


class Given(Schema):
    """What giving asks: the day of I-131 and the activity given (the plan's preparation)."""

    date: dt.date
    activity_mci: Decimal = Field(ge=0, max_digits=12, decimal_places=4)


@router.post(
    "/admissions/{admission_id}/give",
    summary="Give the planned course: an I-131 course of the patient, validated by the core",
)
def give_admission(request: HttpRequest, admission_id: int, given: Given) -> dict[str, Any]:
    from rairtc.web.api.errors import Invalid
    from rairtc.web.api.shapes import patient_json
    from rairtc.web.cycle.giving import AlreadyGiven, give

    need(request, Can.EDIT)
    in_range(given.date, "date")
    admission = _admission(admission_id, plan_only=False)
    try:
        checked = give(
            admission, given.date, given.activity_mci, by=username(request), today=date.today()
        )
    except AlreadyGiven as exc:
        admission.refresh_from_db()
        raise _given(admission) from exc
    except LookupError as exc:
        raise _no_patient(admission.patient_id) from exc
    if checked.record is None or checked.errors:
        raise Invalid(checked.problems)
    return {
        "admission": _admission_json(admission),
        "patient": patient_json(checked.record, identified=True, pseudonym=""),
        "warnings": [w.as_dict() for w in checked.warnings],
    }


def _meeting(day: date) -> date:
    return in_range(day, "day")


@router.get("/mdt/{day}/agenda/", summary="A meeting's agenda: the cycle's cases and those added")
def list_agenda(request: HttpRequest, day: date) -> list[dict[str, Any]]:
    need(request, Can.SEE_IDENTIFIERS)
    return [
        {"patient_id": case.patient_id, "sources": sorted(case.sources), "reason": case.reason}
        for case in agenda(_meeting(day))
    ]


@router.post(
    "/mdt/{day}/agenda/", response={201: dict[str, Any]}, summary="Add a patient to an agenda"
)
def add_to_agenda(request: HttpRequest, day: date, item: Addition) -> Status[dict[str, Any]]:
    need(request, Can.EDIT)
    meeting = _meeting(day)
    _patient_exists(item.patient_id)
    with transaction.atomic():
        row, created = AgendaItem.objects.get_or_create(
            meeting=meeting,
            patient_id=item.patient_id,
            defaults={"added_by": username(request), "reason": item.reason},
        )
        if not created:
            message = _("Patient %(id)s is already on the agenda of %(day)s.")
            raise ApiError(
                409,
                "conflict",
                message % {"id": item.patient_id, "day": meeting.isoformat()},
                patient_id=item.patient_id,
            )
        audit(
            username(request),
            "create",
            "agenda_item",
            f"{meeting.isoformat()}/{item.patient_id}",
            patient_id=item.patient_id,
            after={"meeting": meeting.isoformat(), "reason": row.reason},
        )
    body = {"meeting": meeting.isoformat(), "patient_id": item.patient_id, "reason": row.reason}
    return Status(201, body)


@router.delete(
    "/mdt/{day}/agenda/{pid}/", response={204: None}, summary="Remove a patient added by hand"
)
def remove_from_agenda(request: HttpRequest, day: date, pid: str) -> Status[None]:
    need(request, Can.EDIT)
    meeting = _meeting(day)
    outcome = remove_added(username(request), meeting, pid)
    day_text = meeting.isoformat()
    if outcome is Removal.FROM_CYCLE:
        message = _(
            "Patient %(id)s is on the agenda of %(day)s from the cycle (a course given that week), not added by hand."
        )
        raise ApiError(409, "conflict", message % {"id": pid, "day": day_text}, patient_id=pid)
    if outcome is Removal.NOT_ADDED:
        message = _("Patient %(id)s was not added to the agenda of %(day)s.")
        raise ApiError(404, "not_found", message % {"id": pid, "day": day_text}, patient_id=pid)
    return Status(204, None)
