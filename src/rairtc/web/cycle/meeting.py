"""The MDT board pages: the board of a meeting, manual additions, the decision form and the
printable agenda (one page per case, WeasyPrint, DejaVu fonts, no URL fetched).

The board is clinical work with names: clinicians and managers see it, clinicians and
managers record decisions (an ordinary core MDT record dated the meeting day, validated by the
core and audited); researchers do not see it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rairtc.explain import explain
from rairtc.io.json_files import patient_to_json
from rairtc.web.accounts.roles import Can, allowed, requires
from rairtc.web.audit.trail import record as audit
from rairtc.web.cycle.board import agenda, change_since_last_mdt, decisions_on
from rairtc.web.cycle.board_page import agenda_html, cases_html
from rairtc.web.cycle.models import AgendaItem
from rairtc.web.cycle.removal import Removal, remove_added
from rairtc.web.days import countable
from rairtc.web.labels import label
from rairtc.web.registry import models as m
from rairtc.web.registry import store
from rairtc.web.registry.cached import lock
from rairtc.web.registry.editing import check
from rairtc.web.registry.forms import MdtForm
from rairtc.web.registry.page import tg_chart
from rairtc.web.registry.reading import load_many, revisions_of
from rairtc.web.text import current_language, problem_text


class DecisionForm(MdtForm):
    """The MDT record form without its date: the decision is dated the meeting day."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["date"]


def _meeting(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise Http404("the meeting date is written YYYY-MM-DD") from exc
    if not countable(day):
        raise Http404("no meeting is held on a date outside 1900-2199")
    return day


CASE_SECONDS = 3600


def _case(record: Any, meeting: date) -> dict[str, Any]:
    """What the board shows of one patient that depends on the patient's record alone (explain
    as of the meeting date, chart, verdict then and now, decisions, history), with its two
    fragments of HTML already rendered (the board page only joins them)."""
    change = change_since_last_mdt(record, meeting)
    case: dict[str, Any] = {
        "pid": record.id,
        "name": record.full_name or "",
        "summary": mark_safe(explain(record, meeting, lang=current_language(), fmt="html")),  # noqa: S308 - escaped by explain
        "chart": mark_safe(str(tg_chart(record, meeting))),  # noqa: S308 - drawn escaped by tg_chart
        "change": change,
        "status_then": label("status", change.before),
        "status_now": label("status", change.now),
        "criterion": label("criterion", change.criterion),
        "decided": [
            {"codes": [label("recommendation", r) for r in d.recommendations], "note": d.note}
            for d in decisions_on(record, meeting)
        ],
        "history": [
            {
                "date": d.date,
                "codes": [label("recommendation", r) for r in d.recommendations],
                "note": d.note,
            }
            for d in sorted(record.mdt, key=lambda d: d.date, reverse=True)
        ],
    }
    case["body"] = mark_safe(render_to_string("cycle/board_case_body.html", case))  # noqa: S308 - a template's output
    case["history_html"] = mark_safe(render_to_string("cycle/board_case_history.html", case))  # noqa: S308 - a template's output
    return case


def _cases(meeting: date) -> list[dict[str, Any]]:
    """The agenda's cases; each patient's part is cached per patient revision, meeting date and
    language, so any write to the patient invalidates it (in every worker process: the
    revision is read from the database on each request) and the board reads one row per case."""
    from django.core.cache import cache

    items = agenda(meeting)
    revisions = revisions_of([c.patient_id for c in items])
    lang = current_language()
    keys = {
        pid: f"rairtc:case:{pid}:{revision}:{meeting.isoformat()}:{lang}"
        for pid, revision in revisions.items()
    }
    found = cache.get_many(list(keys.values()))
    if len(found) < len(keys):
        with lock(f"rairtc:board:{meeting.isoformat()}:{lang}"):  # one thread prepares them
            found = cache.get_many(list(keys.values()))
            missing = [pid for pid, key in keys.items() if key not in found]
            fresh = {
                keys[pid]: _case(loaded.record, meeting)
                for pid, loaded in load_many(missing).items()
                if pid in keys
            }
            cache.set_many(fresh, CASE_SECONDS)
            found |= fresh
    return [
        {**found[keys[item.patient_id]], "sources": sorted(item.sources), "reason": item.reason}
        for item in items
        if keys.get(item.patient_id) in found
    ]


def _decision_form() -> str:
    """The decision form (no CSRF token in it), rendered once per language and process."""
    from django.core.cache import cache

    key = f"rairtc:decision-form:{current_language()}"
    html = cache.get(key)
    if not isinstance(html, str):
        html = str(DecisionForm().as_p())
        cache.set(key, html, CASE_SECONDS)
    form: str = mark_safe(html)  # noqa: S308 - the form's own rendering
    return form


@requires(Can.SEE_IDENTIFIERS)
def board(request: HttpRequest, day: str) -> HttpResponse:
    meeting = _meeting(day)
    # One decision form rendered once for all cases (thirty renderings were most of the page);
    # the cases' sections written without the template engine (board_page.py).
    cases = _cases(meeting)
    context = {
        "meeting": meeting,
        "cases": cases,
        "agenda_html": agenda_html(cases),
        "cases_html": cases_html(
            cases,
            meeting,
            can_edit=allowed(request.user, Can.EDIT),
            csrf_token=get_token(request),
            form=_decision_form(),
        ),
    }
    return render(request, "cycle/board.html", context)


@requires(Can.EDIT)
@require_POST
def add_case(request: HttpRequest, day: str) -> HttpResponse:
    meeting = _meeting(day)
    pid = request.POST.get("patient", "").strip()
    if not m.Patient.objects.filter(id=pid).exists():
        messages.error(request, _("No patient with this registry id."))
        return redirect("board", day=day)
    with transaction.atomic():
        item, created = AgendaItem.objects.get_or_create(
            meeting=meeting,
            patient_id=pid,
            defaults={
                "added_by": request.user.get_username(),
                "reason": request.POST.get("reason", "")[:200],
            },
        )
        if created:
            audit(
                request.user.get_username(),
                "create",
                "agenda_item",
                f"{meeting.isoformat()}/{pid}",
                patient_id=pid,
                after={"meeting": meeting.isoformat(), "reason": item.reason},
            )
    messages.success(request, _("Added to the agenda."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = f"/mdt/{meeting.isoformat()}/"
    return redirect(target)


@requires(Can.EDIT)
@require_POST
def remove_case(request: HttpRequest, day: str, pid: str) -> HttpResponse:
    """The board's button beside a case added by hand (the API's DELETE does the same)."""
    meeting = _meeting(day)
    outcome = remove_added(request.user.get_username(), meeting, pid)
    if outcome is Removal.REMOVED:
        messages.success(request, _("Removed from the agenda."))
    elif outcome is Removal.FROM_CYCLE:
        messages.error(
            request, _("This case is on the agenda from the cycle; only additions by hand leave.")
        )
    else:
        messages.error(request, _("This patient was not added to the agenda by hand."))
    return redirect(f"/mdt/{meeting.isoformat()}/")


@requires(Can.EDIT)
@require_POST
def decide(request: HttpRequest, day: str, pid: str) -> HttpResponse:
    meeting = _meeting(day)
    before = store.load(pid)
    if before is None:
        raise Http404("no such patient")
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = patient_to_json(before)
        data["mdt"] = [*data["mdt"], {**form.record(), "date": meeting.isoformat()}]
        checked = check(data, date.today())
        if checked.record is not None and not checked.errors:
            store.save(request.user.get_username(), checked.record)
            messages.success(request, _("Decision recorded."))
        for problem in checked.errors:
            messages.error(request, f"{problem.record}: {problem_text(problem)}")
    else:
        messages.error(request, _("Choose at least one recommendation."))
    return redirect(f"/mdt/{meeting.isoformat()}/#case-{pid}")


def agenda_pdf_bytes(meeting: date, cases: list[dict[str, Any]]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("cycle/agenda_pdf.html", {"meeting": meeting, "cases": cases})
    return bytes(HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf())


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the agenda PDF fetches nothing ({url})")


@requires(Can.SEE_IDENTIFIERS)
def agenda_pdf(request: HttpRequest, day: str) -> HttpResponse:
    meeting = _meeting(day)
    pdf = agenda_pdf_bytes(meeting, _cases(meeting))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mdt-{meeting.isoformat()}.pdf"'
    return response


def next_meeting(day: date) -> date:
    """The next MDT on or after a day (this week's Friday, or next week's after it)."""
    from datetime import timedelta

    from rairtc.web.cycle.week import meeting_of

    friday = meeting_of(day)
    return friday if friday >= day else friday + timedelta(days=7)


def _warning_text(w: Any) -> str:
    words = {
        "verdict_changed": _("%(status)s since the last MDT decision"),
        "cumulative": _("%(mci)s mCi with the next planned course (threshold 600 mCi)"),
        "window_without_imaging": _("progression window open, no imaging in it"),
        "unconfirmed_uptake": _("absent uptake unconfirmed: withdrawal TSH too low"),
    }
    return str(words[w.kind] % {"status": label("status", w.status), "mci": w.mci})


def today() -> date:
    return date.today()


@requires(Can.SEE_IDENTIFIERS)
def warnings_page(request: HttpRequest) -> HttpResponse:
    from rairtc.web.cycle.warnings import early_warnings

    day = today()
    found = early_warnings(day)
    names = dict(
        m.Identifiers.objects.filter(patient_id__in={w.patient_id for w in found}).values_list(
            "patient_id", "full_name"
        )
    )
    meeting = next_meeting(day)
    on_agenda = {c.patient_id for c in agenda(meeting)}
    rows = [
        {
            "w": w,
            "name": names.get(w.patient_id) or "",
            "text": _warning_text(w),
            "criterion": label("criterion", w.criterion),
            "on_agenda": w.patient_id in on_agenda,
        }
        for w in found
    ]
    return render(request, "cycle/warnings.html", {"rows": rows, "meeting": meeting})
