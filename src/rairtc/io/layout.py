"""The table layout of ``data-model.md``: one table per list, linked by ``patient_id``.

``flatten`` turns records into rows and ``assemble`` turns rows (from CSV, Parquet, Excel,
DuckDB or SQLite) back into source patients, checking columns and links on the way. Column
names and order are derived from the record models, so the layout has one definition.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Literal

from rairtc.core.codes import MOLECULAR_KEYS
from rairtc.core.messages import Problem
from rairtc.core.records import Finding, Imaging, Lab, Mdt, Patient, RaiCourse, Surgery
from rairtc.core.source import Path, SourcePatient

ColumnType = Literal["string", "date", "int", "float", "bool"]

TABLES = (
    "patients",
    "surgeries",
    "rai_courses",
    "imaging",
    "findings",
    "labs",
    "mdt",
    "mdt_recommendations",
)


def _column_type(annotation: Any) -> ColumnType:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    base = args[0] if isinstance(annotation, types.UnionType) and args else annotation
    if base is date:
        return "date"
    if base is bool:
        return "bool"
    if base is int:
        return "int"
    if base is float:
        return "float"
    if isinstance(base, type) and issubclass(base, (str, Enum)):
        return "string"
    raise TypeError(f"no column type for {annotation!r}")


def _model_columns(
    model: type[Any], skip: Iterable[str] = ()
) -> list[tuple[str, ColumnType, bool]]:
    out = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        out.append((name, _column_type(info.annotation), info.is_required()))
    return out


def _patient_columns() -> list[tuple[str, ColumnType, bool]]:
    out: list[tuple[str, ColumnType, bool]] = []
    for name, info in Patient.model_fields.items():
        if name in ("surgeries", "rai_courses", "imaging", "labs", "mdt"):
            continue
        if name == "molecular":
            out += [(f"molecular_{key}", "bool", False) for key in MOLECULAR_KEYS]
            continue
        out.append((name, _column_type(info.annotation), info.is_required()))
    return out


_PID: tuple[str, ColumnType, bool] = ("patient_id", "string", True)
_ID: tuple[str, ColumnType, bool] = ("id", "string", False)

# table -> [(column, type, required)]
COLUMNS: dict[str, list[tuple[str, ColumnType, bool]]] = {
    "patients": _patient_columns(),
    "surgeries": [_PID, _ID, *_model_columns(Surgery, {"id"})],
    "rai_courses": [_PID, _ID, *_model_columns(RaiCourse, {"id"})],
    "imaging": [_PID, _ID, *_model_columns(Imaging, {"id", "findings"})],
    "findings": [_PID, ("imaging_id", "string", True), _ID, *_model_columns(Finding, {"id"})],
    "labs": [_PID, _ID, *_model_columns(Lab, {"id"})],
    "mdt": [_PID, _ID, *_model_columns(Mdt, {"id", "recommendations"})],
    "mdt_recommendations": [_PID, ("mdt_id", "string", True), ("recommendation", "string", True)],
}


def column_names(table: str) -> list[str]:
    return [name for name, _, _ in COLUMNS[table]]


def _cell(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    return value


def flatten(patients: Sequence[Patient]) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table, values as Python objects (dates as ``date``, enums as codes).

    Imaging and MDT entries without an id get ``<table>-<row>`` (the id a table reader would
    assign them) so that findings and recommendations can point at them.
    """
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    for patient in patients:
        row = {
            name: _cell(getattr(patient, name, None))
            for name in column_names("patients")
            if not name.startswith("molecular_")
        }
        for key in MOLECULAR_KEYS:
            row[f"molecular_{key}"] = getattr(patient.molecular, key) if patient.molecular else None
        rows["patients"].append({name: row.get(name) for name in column_names("patients")})
        pid = patient.id
        for table in ("surgeries", "rai_courses", "labs"):
            for item in getattr(patient, table):
                data = {name: _cell(getattr(item, name)) for name in column_names(table)[1:]}
                rows[table].append({"patient_id": pid, **data})
        for study in patient.imaging:
            ident = study.id or f"imaging-{len(rows['imaging']) + 1}"
            rows["imaging"].append(
                {
                    "patient_id": pid,
                    "id": ident,
                    "date": study.date,
                    "modality": study.modality.value,
                    "progression": study.progression,
                }
            )
            for finding in study.findings:
                data = {
                    name: _cell(getattr(finding, name)) for name in column_names("findings")[2:]
                }
                rows["findings"].append({"patient_id": pid, "imaging_id": ident, **data})
        for entry in patient.mdt:
            ident = entry.id or f"mdt-{len(rows['mdt']) + 1}"
            rows["mdt"].append(
                {"patient_id": pid, "id": ident, "date": entry.date, "note": entry.note}
            )
            for code in entry.recommendations:
                rows["mdt_recommendations"].append(
                    {"patient_id": pid, "mdt_id": ident, "recommendation": code.value}
                )
    return rows


@dataclass
class Table:
    """One table as read: its column names and rows (cells in the reader's own types)."""

    columns: list[str]
    rows: Sequence[Sequence[Any]]
    location: Callable[[int], str]  # row index (0-based) -> "rai_courses.csv line 3"


def locator(template: str, whole: str, first_row: int = 1) -> Callable[[int], str]:
    """Row index (0-based) -> location text; index -1 names the table itself.

    ``locator("{name} line {row}", "labs.csv", 2)`` gives "labs.csv line 2" for the first row.
    """

    def where(index: int) -> str:
        return whole if index < 0 else template.format(row=index + first_row)

    return where


@dataclass
class Assembled:
    sources: list[SourcePatient]
    problems: list[Problem] = field(default_factory=list)
    orphans: list[dict[str, Any]] = field(default_factory=list)


def assemble(tables: Mapping[str, Table], *, lenient: bool = False) -> Assembled:
    """Source patients from tables; a missing ``patients`` table is an empty registry.

    Problems found here are those only tables can have: a missing required column, a row
    whose ``patient_id`` (or ``imaging_id``/``mdt_id``) points nowhere. Unknown columns are
    passed through to validation, which reports them as unknown fields.
    """
    problems: list[Problem] = []
    orphans: list[dict[str, Any]] = []
    for name, table in tables.items():
        for column, _, required in COLUMNS[name]:
            if required and column not in table.columns:
                problems.append(
                    Problem(
                        "validation.missing_column",
                        None,
                        table.location(-1),
                        column,
                        {"table": name, "found": ", ".join(table.columns) or "none"},
                    )
                )
    if problems:
        return Assembled([], problems)

    def records(name: str) -> list[tuple[int, dict[str, Any]]]:
        table = tables.get(name)
        if table is None:
            return []
        return [
            (i, dict(zip(table.columns, row, strict=False))) for i, row in enumerate(table.rows)
        ]

    patients: dict[str, dict[str, Any]] = {}
    locations: dict[str, dict[Path, str]] = {}
    order: list[tuple[dict[str, Any], dict[Path, str]]] = []
    for i, row in records("patients"):
        data = {k: v for k, v in row.items() if not k.startswith("molecular_")}
        molecular = {
            k[len("molecular_") :]: v for k, v in row.items() if k.startswith("molecular_")
        }
        if any(v not in (None, "") for v in molecular.values()):
            data["molecular"] = molecular
        for list_name in ("surgeries", "rai_courses", "imaging", "labs", "mdt"):
            data[list_name] = []
        patient_locations: dict[Path, str] = {(): tables["patients"].location(i)}
        order.append((data, patient_locations))
        pid = _text(row.get("id"))
        if pid is not None and pid not in patients:
            patients[pid] = data
            locations[pid] = patient_locations

    def owner(
        name: str,
        i: int,
        row: dict[str, Any],
        link: str | None = None,
        parents: Mapping[tuple[str, str], object] | None = None,
    ) -> tuple[str, str] | None:
        """The (patient, parent id) a row belongs to, or None after reporting the orphan."""
        pid = _text(row.get("patient_id"))
        parent = _text(row.get(link)) if link else None
        where = tables[name].location(i)
        if pid is None or pid not in patients:
            problems.append(
                Problem(
                    "validation.unknown_patient", pid, where, "patient_id", {"value": pid or ""}
                )
            )
        elif link and parents is not None and (pid, parent or "") not in parents:
            problems.append(
                Problem(
                    "validation.unknown_parent",
                    pid,
                    where,
                    link,
                    {"value": parent or "", "parent": link[:-3], "patient": pid},
                )
            )
        else:
            return pid, parent or ""
        orphans.append({"table": name, "row": row})
        return None

    def attach(name: str, parent_key: str) -> dict[tuple[str, str], tuple[dict[str, Any], Path]]:
        index: dict[tuple[str, str], tuple[dict[str, Any], Path]] = {}
        for i, row in records(name):
            key = owner(name, i, row)
            if key is None:
                continue
            pid = key[0]
            del row["patient_id"]
            if _text(row.get("id")) is None:
                row["id"] = f"{name}-{i + 1}"
            children = patients[pid][parent_key]
            path: Path = (parent_key, len(children))
            children.append(row)
            locations[pid][path] = tables[name].location(i)
            index[(pid, str(row["id"]))] = (row, path)
        return index

    for name in ("surgeries", "rai_courses", "labs"):
        attach(name, name)
    studies = attach("imaging", "imaging")
    entries = attach("mdt", "mdt")
    for i, row in records("findings"):
        key = owner("findings", i, row, "imaging_id", studies)
        if key is None:
            continue
        del row["patient_id"], row["imaging_id"]
        if _text(row.get("id")) is None:
            row["id"] = f"findings-{i + 1}"
        study, path = studies[key]
        study.setdefault("findings", [])
        locations[key[0]][(*path, "findings", len(study["findings"]))] = tables[
            "findings"
        ].location(i)
        study["findings"].append(row)
    for entry, _ in entries.values():
        entry["recommendations"] = []
    for i, row in records("mdt_recommendations"):
        key = owner("mdt_recommendations", i, row, "mdt_id", entries)
        if key is None:
            continue
        for column in sorted(set(row) - {"patient_id", "mdt_id", "recommendation"}):
            code = "validation.field_unknown_ignored" if lenient else "validation.field_unknown"
            problems.append(
                Problem(
                    code,
                    key[0],
                    tables["mdt_recommendations"].location(i),
                    column,
                    {"allowed": "patient_id, mdt_id, recommendation"},
                )
            )
        entries[key][0]["recommendations"].append(row.get("recommendation"))
    return Assembled([SourcePatient(d, w) for d, w in order], problems, orphans)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None
