"""An edit is a new version of the whole patient, validated by the core before it is saved.

The form's record is put into the patient's JSON object at its place; the core validates the
whole patient (so cross-record rules such as "two courses on the same date" apply); problems
located at the edited record go beside their field, the others above the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms

from rairtc.core.messages import Problem
from rairtc.core.records import Patient as Record
from rairtc.core.source import SourcePatient, json_locations
from rairtc.core.validation import validate_patient
from rairtc.web.registry.store import with_ids
from rairtc.web.text import problem_text


@dataclass(frozen=True)
class Checked:
    record: Record | None
    data: dict[str, Any]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def check(data: dict[str, Any], today: date) -> Checked:
    data = with_ids(data)
    result = validate_patient(SourcePatient(data, json_locations(data, "$")), today=today)
    record = result.patient if result.ok else None
    return Checked(record, data, result.problems)


def location(kind: str | None, index: int | None, finding: int | None = None) -> str:
    """The validator's name for the edited record (``$``, ``$.labs[2]``, ...)."""
    if kind is None or index is None:
        return "$"
    where = f"$.{kind}[{index}]"
    return where if finding is None else f"{where}.findings[{finding}]"


def attach(form: forms.Form, problems: list[Problem], where: str) -> None:
    """Put each problem beside its field when it is about the edited record, else on top."""
    for problem in problems:
        text = problem_text(problem)
        if problem.record == where and problem.field in form.fields:
            form.add_error(problem.field, text)
        else:
            field = f", {problem.field}" if problem.field else ""
            form.add_error(None, f"{problem.record}{field}: {text}")


def put(data: dict[str, Any], kind: str, index: int | None, item: dict[str, Any]) -> int:
    """Replace the item at ``index`` (keeping its id) or append it; returns its index."""
    items = list(data.get(kind) or [])
    if index is None:
        items.append(item)
        index = len(items) - 1
    else:
        kept = {k: v for k, v in items[index].items() if k in ("id", "findings")}
        items[index] = {**item, **kept}
    data[kind] = items
    return index


def find(data: dict[str, Any], kind: str, record_id: str) -> int | None:
    for i, item in enumerate(data.get(kind) or []):
        if str(item.get("id")) == record_id:
            return i
    return None
