"""Pages of the registry: plain function views, each guarded by the permission it needs.

Researchers reach patients by keyed pseudonym only (``/patients/P-…/``); a registry id in the
URL is not found for them, so ids cannot be probed. Clinicians and managers use registry ids.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rairtc.core.records import Patient as Record
from rairtc.core.rules.classify import STATUSES, classify
from rairtc.core.rules.terms import Criterion
from rairtc.io.json_files import patient_to_json
from rairtc.web.accounts.roles import Can, allowed, requires
from rairtc.web.days import countable
from rairtc.web.labels import choices, label
from rairtc.web.registry import models as m
from rairtc.web.registry import store
from rairtc.web.registry.editing import attach, check, find, location, put
from rairtc.web.registry.forms import KINDS, FindingForm, PatientForm, RecordForm
from rairtc.web.registry.listing import (
    PAGE_ROWS,
    CountedPaginator,
    cached_total,
    options_html,
    page_keys,
    rows_html,
    summary_rows,
)
from rairtc.web.registry.page import age_on, tg_chart, timeline, verdict_panel
from rairtc.web.registry.reading import Loaded, load
from rairtc.web.registry.revision import current
from rairtc.web.registry.timeline import history as audit_history
from rairtc.web.registry.timeline import timeline_html
from rairtc.web.registry.verdicts import verdict

PAGE_SIZE = PAGE_ROWS
SORTS = {
    "id": "patient_id",
    "status": "status",
    "onset": "onset_date",
    "stage": "stage",
    "year": "first_course_year",
}
FILTERS = ("status", "criterion", "stage", "response", "year")


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@requires(Can.VIEW)
def home(request: HttpRequest) -> HttpResponse:
    return redirect("patients")


def today() -> date:
    return date.today()


def _identified(request: HttpRequest) -> bool:
    return allowed(request.user, Can.SEE_IDENTIFIERS)


def _search(rows: QuerySet[m.ClassificationSummary], q: str, identified: bool) -> Any:
    """Researchers search by pseudonym; others by registry id (prefix), MRN, IIN or the start
    of the full name (surname first, any case). Each is an indexed lookup."""
    if not identified:
        return rows.filter(pseudonym=q)
    by_identifiers = (
        m.Identifiers.objects.filter(
            Q(mrn=q) | Q(national_id=q) | Q(name_folded__startswith=q.casefold())
        )
        .order_by()
        .values("patient_id")
    )
    by_id = m.Patient.objects.filter(id__startswith=q).order_by().values("id")
    # One IN over a UNION: two IN subqueries joined by OR made the database scan the whole
    # summary table for every search.
    return rows.filter(patient_id__in=by_identifiers.union(by_id))


@requires(Can.VIEW)
def patient_list(request: HttpRequest) -> HttpResponse:
    identified = _identified(request)
    rows = m.ClassificationSummary.objects.all()
    q = request.GET.get("q", "").strip()
    if q:
        rows = _search(rows, q, identified)
    chosen = {name: request.GET.get(name, "") for name in FILTERS}
    lookups = {
        "status": "status",
        "criterion": "primary_criterion",
        "stage": "stage",
        "response": "ata_response",
        "year": "first_course_year",
    }
    for name, value in chosen.items():
        if value:
            if name == "year" and not value.isdigit():
                continue
            rows = rows.filter(**{lookups[name]: value})
    sort = request.GET.get("sort", "id")
    column = SORTS.get(sort.lstrip("-"), "patient_id")
    key = f"-{column}" if sort.startswith("-") else column
    tie = "-patient_id" if sort.startswith("-") else "patient_id"  # one index, one direction
    order = [key, tie] if identified else [key, "pseudonym"]
    if not identified and column == "patient_id":
        order = ["pseudonym"]
    # The page's keys come from the summary table alone (index scans); only those 50 rows are
    # then joined to the patients, so a deep page never joins the whole registry.
    keys = rows.order_by(*order).values_list("patient_id", flat=True)
    searched = "&".join(f"{name}={chosen[name]}" for name in FILTERS)
    revision = current()  # read once: both caches below are keyed by it
    total = cached_total(rows, f"{identified}:{q}:{searched}", revision)
    page = CountedPaginator(keys, PAGE_SIZE, total).get_page(request.GET.get("page"))
    # A search is paged by offset: its rows are few, and its text should not key a cache of
    # page starts.
    shown = None
    if not q:
        shown = page_keys(rows, order, page.number, f"{identified}:{searched}", revision)
    if shown is None:
        shown = list(page.object_list)
    found = summary_rows(shown, identified)
    table = []
    for row in (found[key] for key in shown):
        entry: dict[str, Any] = {
            "link": row["patient_id"] if identified else row["pseudonym"],
            "shown_id": row["patient_id"] if identified else row["pseudonym"],
            "sex": label("sex", row["patient__sex"]),
            "born": row["patient__birth_date"].year,
            "histology": label("histology", row["patient__histology"]),
            "stage": row["stage"] or "",
            "status": row["status"],
            "status_label": label("status", row["status"]),
            "criterion": label("criterion", row["primary_criterion"]),
            "onset": row["onset_date"],
            "year": row["first_course_year"] or "",
        }
        if identified:
            entry["name"] = row["patient__identifiers__full_name"] or ""
            entry["mrn"] = row["patient__identifiers__mrn"] or ""
        table.append(entry)
    query = request.GET.copy()
    query.pop("page", None)
    filter_choices = {
        "status_choices": choices("status", list(STATUSES), blank=True),
        "criterion_choices": choices("criterion", [c.value for c in Criterion], blank=True),
        "response_choices": choices(
            "response",
            ["excellent", "indeterminate", "biochemical_incomplete", "structural_incomplete"],
            blank=True,
        ),
        "stage_choices": [("", "—"), *((s, s) for s in ("I", "II", "III", "IV", "IVA", "IVB"))],
    }
    context = {
        "page": page,
        "rows": table,
        "rows_html": rows_html(table, identified),
        "q": q,
        "chosen": chosen,
        "sort": sort,
        "query": query.urlencode(),
        "identified": identified,
        **filter_choices,
        # The filters' option lists written without the template engine (listing.py).
        "options": {
            name: options_html(filter_choices[f"{name}_choices"], chosen[name])
            for name in ("status", "criterion", "stage", "response")
        },
    }
    return render(request, "registry/patient_list.html", context)


def _patient(request: HttpRequest, pid: str) -> Loaded:
    """The patient a URL names: by registry id, or by pseudonym for researchers."""
    if _identified(request):
        found = load(pid)
    else:
        key = (
            m.ClassificationSummary.objects.filter(pseudonym=pid)
            .values_list("patient_id", flat=True)
            .first()
        )
        found = None if key is None else load(key)
    if found is None:
        raise Http404("no such patient")
    return found


def _as_of(request: HttpRequest) -> tuple[date, str | None]:
    text = request.GET.get("as_of", "").strip()
    if not text:
        return today(), None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return today(), _("The as-of date must be written YYYY-MM-DD; today is shown.")
    if not countable(day):
        return today(), _("The as-of date must lie between 1900 and 2199; today is shown.")
    return day, None


@requires(Can.VIEW)
def patient_page(request: HttpRequest, pid: str) -> HttpResponse:
    loaded = _patient(request, pid)
    record = loaded.record
    as_of, as_of_error = _as_of(request)
    result = verdict(record, loaded.revision, as_of)
    identified = _identified(request)
    header: dict[str, Any] = {
        "shown_id": record.id if identified else pid,
        "age": age_on(record.birth_date, as_of) if identified else None,
        "born": record.birth_date.year,
        "sex": label("sex", record.sex),
        "histology": label("histology", record.histology),
        "variant": label("variant", record.variant),
        "tnm": " ".join(x for x in (record.t, record.n, record.m) if x),
        "stage": result.stage.stage,
        "risk": label("risk", result.risk.category),
    }
    if identified:
        header |= {
            "full_name": record.full_name,
            "national_id": record.national_id,
            "mrn": record.mrn,
            "birth_date": record.birth_date,
        }
    history = audit_history(record.id) if identified else []
    events = timeline(record, as_of, free_text=identified)
    context = {
        "pid": pid,
        "header": header,
        "as_of": as_of,
        "as_of_error": as_of_error,
        "today": today(),
        "events": events,
        "timeline_html": timeline_html(
            events,
            pid,
            can_edit=allowed(request.user, Can.EDIT),
            can_delete=allowed(request.user, Can.DELETE),
            csrf_token=get_token(request),
        ),
        "hidden": _later_records(record, as_of),
        "chart": tg_chart(record, as_of),
        "verdict": verdict_panel(result),
        "history": [{"event": e, "action": label("action", e["action"])} for e in history],
        "kinds": KINDS,
        "identified": identified,
    }
    return render(request, "registry/patient_page.html", context)


def _later_records(record: Record, as_of: date) -> int:
    dates = [x.date for x in record.surgeries] + [x.date for x in record.rai_courses]
    dates += [x.date for x in record.imaging] + [x.date for x in record.labs]
    dates += [x.date for x in record.mdt]
    return sum(1 for day in dates if day > as_of)


def _change_message(before: Record | None, after: Record) -> str | None:
    """What the save changed in the verdict as of today, in one sentence."""
    day = today()
    old = classify(before, day).status if before is not None else None
    new = classify(after, day)
    if old == new.status:
        return None
    text: str = _("now %(status)s") % {"status": label("status", new.status)}
    if new.primary_criterion is not None and new.onset_date is not None:
        criterion = label("criterion", new.primary_criterion)
        text += f": {criterion}, {formats.date_format(new.onset_date, 'DATE_FORMAT')}"
    return text


def _save(request: HttpRequest, before: Record | None, after: Record, warnings: list[Any]) -> None:
    from rairtc.web.text import problem_text

    username = request.user.get_username()
    store.save(username, after)
    for problem in warnings:
        messages.warning(request, problem_text(problem))
    change = _change_message(before, after)
    if change:
        messages.success(request, change)
    else:
        messages.success(request, _("Saved."))


def _form_page(
    request: HttpRequest, form: RecordForm, title: Any, pid: str | None, **extra: Any
) -> HttpResponse:
    return render(
        request, "registry/record_form.html", {"form": form, "title": title, "pid": pid, **extra}
    )


@requires(Can.EDIT)
def patient_new(request: HttpRequest) -> HttpResponse:
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.record()
        if m.Patient.objects.filter(id=data["id"]).exists():
            form.add_error("id", _("A patient with this id already exists."))
        else:
            checked = check(data, today())
            attach(form, checked.errors, "$")
            if checked.record is not None and not checked.errors:
                _save(request, None, checked.record, checked.warnings)
                return redirect("patient", pid=checked.record.id)
    return _form_page(request, form, _("New patient"), None)


def _current(pid: str) -> tuple[Record, dict[str, Any]]:
    record = store.load(pid)
    if record is None:
        raise Http404("no such patient")
    return record, patient_to_json(record)


@requires(Can.EDIT)
def patient_edit(request: HttpRequest, pid: str) -> HttpResponse:
    record, data = _current(pid)
    form = PatientForm(request.POST or None, initial=PatientForm.initial_from(data))
    if request.method == "POST" and form.is_valid():
        new = form.record()
        if new["id"] != pid:
            form.add_error("id", _("The registry id cannot be changed."))
        else:
            lists = {k: v for k, v in data.items() if isinstance(v, list)}
            checked = check({**new, **lists}, today())
            attach(form, checked.errors, "$")
            if checked.record is not None and not checked.errors:
                _save(request, record, checked.record, checked.warnings)
                return redirect("patient", pid=pid)
    return _form_page(request, form, _("Patient"), pid)


@requires(Can.EDIT)
def record_form(request: HttpRequest, pid: str, kind: str, rid: str | None = None) -> HttpResponse:
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("no such record type")
    record, data = _current(pid)
    index = None if rid is None else find(data, kind, rid)
    if rid is not None and index is None:
        raise Http404("no such record")
    initial = {} if index is None else spec.form.initial_from(data[kind][index])
    form = spec.form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        index = put(data, kind, index, form.record())
        checked = check(data, today())
        where = location(kind, index)
        attach(form, checked.errors, where)
        if checked.record is not None and not checked.errors:
            mine = [p for p in checked.warnings if p.record.startswith(where)]
            _save(request, record, checked.record, mine)
            return redirect("patient", pid=pid)
    return _form_page(request, form, spec.title, pid, kind=kind, rid=rid)


@requires(Can.EDIT)
def finding_form(request: HttpRequest, pid: str, iid: str, rid: str | None = None) -> HttpResponse:
    record, data = _current(pid)
    study = find(data, "imaging", iid)
    if study is None:
        raise Http404("no such study")
    findings = list(data["imaging"][study].get("findings") or [])
    index = (
        None
        if rid is None
        else next((i for i, f in enumerate(findings) if str(f.get("id")) == rid), None)
    )
    if rid is not None and index is None:
        raise Http404("no such finding")
    initial = {} if index is None else FindingForm.initial_from(findings[index])
    form = FindingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = form.record()
        if index is None:
            findings.append(item)
            index = len(findings) - 1
        else:
            findings[index] = {**item, "id": findings[index].get("id")}
        data["imaging"][study] = {**data["imaging"][study], "findings": findings}
        checked = check(data, today())
        where = location("imaging", study, index)
        attach(form, checked.errors, where)
        if checked.record is not None and not checked.errors:
            mine = [p for p in checked.warnings if p.record.startswith(location("imaging", study))]
            _save(request, record, checked.record, mine)
            return redirect("patient", pid=pid)
    return _form_page(request, form, _("Finding"), pid, kind="findings", rid=rid)


@requires(Can.DELETE)
@require_POST
def record_delete(request: HttpRequest, pid: str, kind: str, rid: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("no such record type")
    record, data = _current(pid)
    index = find(data, kind, rid)
    if index is None:
        raise Http404("no such record")
    data[kind] = [item for i, item in enumerate(data[kind]) if i != index]
    checked = check(data, today())
    if checked.record is None:
        for problem in checked.errors:
            from rairtc.web.text import problem_text

            messages.error(request, problem_text(problem))
    else:
        _save(request, record, checked.record, [])
    return redirect("patient", pid=pid)


@requires(Can.DELETE)
def patient_delete(request: HttpRequest, pid: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not store.delete(request.user.get_username(), pid):
        raise Http404("no such patient")
    messages.success(request, _("Patient deleted."))
    return redirect("patients")


@requires(Can.IMPORT)
def import_view(request: HttpRequest) -> HttpResponse:
    from rairtc.web.registry.importing import import_page

    return import_page(request)
