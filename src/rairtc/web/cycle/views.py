"""The week view and the two admission forms (plan a course, give it).

Giving an admission is an ordinary edit of the patient: the course goes into the patient's
record, the core validates the whole patient and :func:`rairtc.web.registry.store.save`
writes it with its audit trail; the admission is linked to the course in the same
transaction. The week view is clinical work with names, for clinicians and managers.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from rairtc.core import codes as c
from rairtc.web.accounts.roles import Can, requires
from rairtc.web.audit.trail import record as audit
from rairtc.web.cycle.giving import AlreadyGiven, give
from rairtc.web.cycle.models import Admission, AgendaItem
from rairtc.web.cycle.week import STEPS, Missing, meeting_of, standing, week_of
from rairtc.web.days import FIRST_DAY, LAST_DAY, countable
from rairtc.web.labels import label
from rairtc.web.registry import models as m
from rairtc.web.registry.convert import patients_with_records, to_record
from rairtc.web.registry.editing import attach, location
from rairtc.web.registry.forms import RecordForm, code_field, date_field

STEP_TITLES = {
    "admitted": _lazy("admitted"),
    "given": _lazy("I-131 given"),
    "scanned": _lazy("post-therapy scan recorded"),
    "on_agenda": _lazy("on the MDT agenda"),
    "decided": _lazy("decided"),
}


def today() -> date:
    return date.today()


class AdmissionForm(RecordForm):
    admission_date = date_field(_lazy("Admission date"))
    planned_activity_mci = forms.DecimalField(
        label=_lazy("Planned activity, mCi"), max_digits=12, decimal_places=4, min_value=0
    )
    stimulation = code_field(_lazy("Stimulation"), "stimulation", c.Stimulation, required=True)
    tsh_miu_l = forms.FloatField(label=_lazy("TSH, mIU/L (when measured)"), required=False)

    def clean_admission_date(self) -> date:
        day: date = self.cleaned_data["admission_date"]
        if not countable(day):
            raise forms.ValidationError(
                _("Give a date from %(first)s to %(last)s.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
                code="out_of_range",
            )
        return day


class GiveForm(RecordForm):
    date = date_field(_lazy("Date of I-131"))
    activity_mci = forms.DecimalField(
        label=_lazy("Activity given, mCi"), max_digits=12, decimal_places=4, min_value=0
    )


def _missing_text(item: Missing) -> str:
    if item.code == "no_scan":
        text = _("no post-therapy scan recorded %(days)s days after I-131") % {"days": item.days}
    elif item.code == "no_decision":
        text = _("no MDT decision recorded")
    else:
        text = _("I-131 not given yet")
    return str(text)


def _day(request: HttpRequest) -> date:
    """The day asked for; today when it is no date or one no cycle can be counted around."""
    try:
        day = date.fromisoformat(request.GET.get("date", "").strip())
    except ValueError:
        return today()
    return day if countable(day) else today()


@requires(Can.SEE_IDENTIFIERS)
def week(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    monday, sunday = week_of(day)
    admissions = list(
        Admission.objects.filter(admission_date__range=(monday, sunday)).select_related(
            "patient__identifiers"
        )
    )
    rows = {
        p.id: p for p in patients_with_records().filter(id__in={a.patient_id for a in admissions})
    }
    manual: dict[str, list[date]] = {}
    for pid, meeting in AgendaItem.objects.filter(
        patient_id__in=rows, meeting__gte=monday
    ).values_list("patient_id", "meeting"):
        manual.setdefault(pid, []).append(meeting)
    as_of = today()
    table = []
    for admission in admissions:
        record = to_record(rows[admission.patient_id])
        found = standing(
            record,
            admission.admission_date,
            admission.course_id,
            as_of,
            manual.get(admission.patient_id, ()),
        )
        ids = getattr(admission.patient, "identifiers", None)
        table.append(
            {
                "admission": admission,
                "name": ids.full_name if ids else "",
                "stimulation": label("stimulation", admission.stimulation),
                "steps": [(STEP_TITLES[s], found.done.get(s)) for s in STEPS],
                "step": STEP_TITLES[found.step],
                "missing": [_missing_text(x) for x in found.missing],
            }
        )
    context = {
        "day": day,
        "monday": monday,
        "sunday": sunday,
        "meeting": meeting_of(day),
        "previous": (monday - timedelta(days=7)).isoformat(),
        "next": (monday + timedelta(days=7)).isoformat(),
        "rows": table,
        "steps": [STEP_TITLES[s] for s in STEPS],
    }
    return render(request, "cycle/week.html", context)


@requires(Can.EDIT)
def admission_new(request: HttpRequest, pid: str) -> HttpResponse:
    if not m.Patient.objects.filter(id=pid).exists():
        raise Http404("no such patient")
    form = AdmissionForm(request.POST or None, initial={"admission_date": today()})
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        with transaction.atomic():
            admission = Admission.objects.create(
                patient_id=pid, created_by=request.user.get_username(), **data
            )
            audit(
                request.user.get_username(),
                "create",
                "admission",
                str(admission.pk),
                patient_id=pid,
                after=form.record(),
            )
        messages.success(request, _("Saved."))
        return redirect(f"/week/?date={admission.admission_date.isoformat()}")
    title = _("Plan a course (admission)")
    return render(request, "registry/record_form.html", {"form": form, "title": title, "pid": pid})


@requires(Can.EDIT)
def admission_give(request: HttpRequest, admission_id: int) -> HttpResponse:
    admission = get_object_or_404(Admission, pk=admission_id)
    pid = admission.patient_id
    if admission.course_id is not None:
        messages.info(request, _("This course has been given."))
        return redirect(f"/week/?date={admission.admission_date.isoformat()}")
    initial = {
        "date": admission.admission_date + timedelta(days=1),
        "activity_mci": admission.planned_activity_mci,
    }
    form = GiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            checked = give(
                admission,
                form.cleaned_data["date"],
                form.cleaned_data["activity_mci"],
                by=request.user.get_username(),
                today=today(),
            )
        except LookupError as exc:
            raise Http404("no such patient") from exc
        except AlreadyGiven:
            messages.info(request, _("This course has been given."))
            return redirect(f"/week/?date={admission.admission_date.isoformat()}")
        attach(form, checked.errors, location("rai_courses", len(checked.data["rai_courses"]) - 1))
        if checked.record is not None and not checked.errors:
            messages.success(request, _("Saved."))
            return redirect(f"/week/?date={admission.admission_date.isoformat()}")
    title = _("Give I-131")
    return render(request, "registry/record_form.html", {"form": form, "title": title, "pid": pid})
