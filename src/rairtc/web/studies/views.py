"""The study page (managers, researchers): choose the run, follow its progress, download the
report, see past runs with their parameters and checksums."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from rairtc.core.parameters import PRESETS
from rairtc.web.accounts.roles import Can, requires
from rairtc.web.registry.forms import date_field
from rairtc.web.studies import tasks
from rairtc.web.studies.models import StudyRun
from rairtc.web.text import LANGUAGES


class StudyForm(forms.Form):
    period_start = date_field(_("Period from"), required=False)
    period_end = date_field(_("Period to"), required=False)
    as_of = date_field(_("As of"), required=False)
    sample_size = forms.CharField(
        label=_("Sample size (empty: everyone; a number; or epiinfo)"),
        required=False,
        max_length=12,
    )
    seed = forms.IntegerField(label=_("Seed"), required=False, min_value=0)
    preset = forms.ChoiceField(label=_("Parameters preset"), choices=[(p, p) for p in PRESETS])
    language = forms.ChoiceField(
        label=_("Report language"), choices=[(code, code) for code in LANGUAGES]
    )

    def clean_sample_size(self) -> str:
        text = str(self.cleaned_data.get("sample_size") or "").strip().lower()
        if text and text != "epiinfo" and not text.isdigit():
            raise forms.ValidationError(_("Write a number or epiinfo."))
        return text

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if (start is None) != (end is None) or (start and end and end < start):
            raise forms.ValidationError(_("Give both ends of the period, the end after the start."))
        return data

    def parameters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "period_start": data["period_start"].isoformat() if data["period_start"] else None,
            "period_end": data["period_end"].isoformat() if data["period_end"] else None,
            "as_of": (data["as_of"] or date.today()).isoformat(),
            "sample_size": data["sample_size"] or None,
            "seed": data["seed"],
            "preset": data["preset"],
            "language": data["language"],
        }


def files_of(run: StudyRun) -> list[str]:
    if run.state != StudyRun.DONE:
        return []
    return sorted(p.name for p in tasks.folder(run.pk).iterdir() if p.is_file())


@requires(Can.STUDY)
def study(request: HttpRequest) -> HttpResponse:
    language = getattr(request, "LANGUAGE_CODE", "en")
    form = StudyForm(
        request.POST or None,
        initial={"language": language if language in LANGUAGES else "en", "preset": "study"},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            StudyRun.objects.create(
                created_by=request.user.get_username(), parameters=form.parameters()
            )
            transaction.on_commit(lambda: tasks.start_worker())
        return redirect("study")
    runs = list(StudyRun.objects.all()[:50])
    if any(r.state == StudyRun.QUEUED for r in runs):
        tasks.start_worker()
    rows = [{"run": r, "files": files_of(r)} for r in runs]
    busy = any(r.state in (StudyRun.QUEUED, StudyRun.RUNNING) for r in runs)
    return render(request, "studies/study.html", {"form": form, "rows": rows, "busy": busy})


@requires(Can.STUDY)
def download(request: HttpRequest, run_id: int, name: str) -> FileResponse:
    run = get_object_or_404(StudyRun, pk=run_id)
    if name not in files_of(run):
        raise Http404("no such file")
    return FileResponse((tasks.folder(run.pk) / name).open("rb"), as_attachment=True, filename=name)
