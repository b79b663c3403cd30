"""Import (managers): upload, preview every problem, then all or nothing in one transaction.

The file is read by :mod:`rairtc.io.registry` (JSON, JSON Lines, Excel including the
template workbook, a zip of CSV tables) and validated by the core. The preview lists every
problem (patient, record, field, message) and counts new, changed and unchanged patients;
the import itself re-reads the kept upload and writes every patient in one transaction, or
nothing. Unchanged patients are not written, so re-importing a file changes nothing.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rairtc.core.errors import RairtcError
from rairtc.core.messages import Problem
from rairtc.core.records import Patient as Record
from rairtc.io.json_files import patient_to_json
from rairtc.io.registry import load_registry
from rairtc.web.registry import store
from rairtc.web.settings import data_dir
from rairtc.web.text import problem_text

# JSON, JSON Lines, Excel (the template too), a zip of CSV tables (rairtc's layout or OMOP's) or
# of FHIR Bundle files, a REDCap flat export (.csv) and FHIR NDJSON: the reader detects which.
SUFFIXES = (".json", ".jsonl", ".ndjson", ".xlsx", ".zip", ".csv")


@dataclass
class Preview:
    patients: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def uploads() -> Path:
    folder = data_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def readable(path: Path) -> Iterator[Path]:
    """The path the registry reader takes: a zip of CSV tables or FHIR Bundle files is unpacked
    to a folder."""
    if path.suffix.lower() != ".zip":
        yield path
        return
    folder = Path(tempfile.mkdtemp(prefix="rairtc-import-"))
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                name = Path(member.filename).name
                if name.lower().endswith((".csv", ".json")) and not member.is_dir():
                    (folder / name).write_bytes(archive.read(member))
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def with_ids(record: Record) -> Record:
    return Record.model_validate(store.with_ids(patient_to_json(record)))


def preview(path: Path, today: date) -> Preview:
    with readable(path) as source:
        loaded = load_registry(source, today=today)
    result = Preview(problems=loaded.problems)
    if loaded.errors:
        return result
    result.patients = [with_ids(p) for p in loaded.patients]
    for record in result.patients:
        current = store.load(record.id)
        if current is None:
            result.new += 1
        elif current == record:
            result.unchanged += 1
        else:
            result.changed += 1
    return result


def run_import(username: str, patients: list[Record]) -> int:
    """Every patient in one transaction; returns how many were written."""
    written = 0
    with transaction.atomic():
        for record in patients:
            if store.save(username, record):
                written += 1
    return written


def _kept(token: str) -> Path | None:
    if not token.isalnum():
        return None
    found = [p for p in uploads().glob(f"{token}.*") if p.suffix in SUFFIXES]
    return found[0] if found else None


def import_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"suffixes": ", ".join(SUFFIXES)}
    if request.method == "POST" and request.POST.get("token"):
        path = _kept(request.POST["token"])
        if path is None:
            messages.error(request, _("The uploaded file is no longer available; upload it again."))
            return redirect("import")
        result = preview(path, date.today())
        if result.errors:
            messages.error(request, _("The file has errors; nothing was imported."))
            return redirect("import")
        run_import(request.user.get_username(), result.patients)
        path.unlink(missing_ok=True)
        messages.success(
            request,
            _("Imported: %(new)d new, %(changed)d changed, %(unchanged)d unchanged patients.")
            % {"new": result.new, "changed": result.changed, "unchanged": result.unchanged},
        )
        return redirect("patients")
    if request.method == "POST":
        upload = request.FILES.get("file")
        suffix = Path(upload.name).suffix.lower() if upload and upload.name else ""
        if upload is None or suffix not in SUFFIXES:
            context["upload_error"] = _("Choose a file: %(kinds)s.") % {
                "kinds": ", ".join(SUFFIXES)
            }
        else:
            token = secrets.token_hex(12)
            path = uploads() / f"{token}{suffix}"
            with path.open("wb") as sink:
                for chunk in upload.chunks():
                    sink.write(chunk)
            try:
                result = preview(path, date.today())
            except RairtcError as error:
                path.unlink(missing_ok=True)
                context["upload_error"] = str(error)
                problems = getattr(error, "problems", ())
                context["problems"] = [_row(p) for p in problems]
            else:
                context |= {
                    "token": token if not result.errors else "",
                    "name": upload.name,
                    "result": result,
                    "problems": [_row(p) for p in result.problems],
                }
                if result.errors:
                    path.unlink(missing_ok=True)
    return render(request, "registry/import.html", context)


def _row(problem: Problem) -> dict[str, object]:
    return {
        "patient": problem.patient_id or "",
        "record": problem.record,
        "field": problem.field or "",
        "severity": str(problem.severity),
        "message": problem_text(problem),
    }
