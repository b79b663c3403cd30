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
from typing import Any, Literal, Protocol

from rairtc.core.codes import MOLECULAR_KEYS
from rairtc.core.messages import Problem
from rairtc.core.records import Finding, Imaging, Lab, Mdt, Patient, RaiCourse, Surgery
from rairtc.core.source import Path, SourcePatient
from rairtc.io.cells import Tally, Unreadable, read_row

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


def flatten(
    patients: Sequence[Patient], before: Mapping[str, int] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table, values as Python objects (dates as ``date``, enums as codes).

    Imaging and MDT entries without an id get ``<table>-<row>`` (the id a table reader would
    assign them) so that findings and recommendations can point at them; ``before`` counts
    the rows of each table already written (by earlier chunks), so that ``<row>`` is the
    row's number in the whole table.
    """
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    start = {table: (before or {}).get(table, 0) for table in ("imaging", "mdt")}
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
            ident = study.id or f"imaging-{start['imaging'] + len(rows['imaging']) + 1}"
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
            ident = entry.id or f"mdt-{start['mdt'] + len(rows['mdt']) + 1}"
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
    """One table as read: its column names and rows (cells in the reader's own types).

    ``numbers`` gives each row's data-row number as the user sees it (blank rows counted;
    the ``n`` of a reader-assigned id ``<table>-<n>``), ``shown`` each column as the user sees
    it (``column G`` of a sheet, the Russian header of a CSV file).
    """

    columns: list[str]
    rows: Sequence[Sequence[Any]]
    location: Callable[[int], str]  # row index (0-based) -> "rai_courses.csv line 3"
    numbers: Sequence[int] | None = None
    shown: Mapping[str, str] = field(default_factory=dict)

    def number(self, index: int) -> int:
        return self.numbers[index] if self.numbers is not None else index + 1


def locator(template: str, whole: str, first_row: int = 1) -> Callable[[int], str]:
    """Row index (0-based) -> location text; index -1 names the table itself.

    ``locator("{name} line {row}", "labs.csv", 2)`` gives "labs.csv line 2" for the first row.
    """

    def where(index: int) -> str:
        return whole if index < 0 else template.format(row=index + first_row)

    return where


@dataclass
class Assembled:
    """Source patients from tables, the problems only tables can have, the rows that belong
    to no patient, and what the readers normalised."""

    sources: list[SourcePatient]
    problems: list[Problem] = field(default_factory=list)
    orphans: list[dict[str, Any]] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)


# Problems that make the tables themselves unreadable: nothing is validated after them.
STRUCTURAL = frozenset(
    {
        "validation.missing_column",
        "validation.header_missing",
        "validation.header_duplicate",
        "validation.header_unknown",
        "validation.table_missing",
        "validation.table_duplicate",
    }
)


@dataclass
class _Patient:
    data: dict[str, Any]
    locations: dict[Path, str]
    columns: dict[Path, Mapping[str, str]]
    fields: dict[Path, str]
    problems: list[Problem]

    def source(self) -> SourcePatient:
        return SourcePatient(
            self.data, self.locations, self.columns, self.fields, tuple(self.problems)
        )


def assemble(
    tables: Mapping[str, Table], *, lenient: bool = False, tally: Tally | None = None
) -> Assembled:
    """Source patients from tables; no tables at all is an empty registry.

    Every cell is read by :func:`rairtc.io.cells.read_row` (dates, decimal commas, aliases,
    NaN as missing); a cell that cannot be read is a problem of its patient. Problems found
    here are those only tables can have: a missing required column, a missing ``patients``
    table, a row whose ``patient_id`` (or ``imaging_id``/``mdt_id``) points nowhere.
    """
    tally = tally if tally is not None else Tally()
    problems: list[Problem] = []
    orphans: list[dict[str, Any]] = []
    missing = missing_columns({name: table.columns for name, table in tables.items()}, tables)
    if missing:
        return Assembled([], missing, tally=tally)
    filled = [name for name, t in tables.items() if t.rows]
    if "patients" not in tables and filled:
        others = filled
        problem = patients_missing(others, tables)
        rows = [
            {"table": name, "row": dict(zip(tables[name].columns, row, strict=False))}
            for name in others
            for row in tables[name].rows
        ]
        return Assembled([], [problem], rows, tally)

    def cell(name: str, i: int, column: str) -> str:
        table = tables[name]
        shown = table.shown.get(column)
        return f"{table.location(i)}, {shown}" if shown else table.location(i)

    def records(name: str) -> list[tuple[int, dict[str, Any], list[tuple[str, Unreadable]]]]:
        table = tables.get(name)
        if table is None:
            return []
        out = []
        for i, raw in enumerate(table.rows):
            row, unreadable = read_row(name, dict(zip(table.columns, raw, strict=False)), tally)
            out.append((i, row, unreadable))
        return out

    def unread(
        name: str, i: int, pid: str | None, unreadable: list[tuple[str, Unreadable]]
    ) -> list[Problem]:
        if not unreadable:
            return []
        return [
            Problem(u.code, pid, cell(name, i, column), column, dict(u.params))
            for column, u in unreadable
        ]

    patients: dict[str, _Patient] = {}
    order: list[_Patient] = []
    patient_shown = _patient_columns_shown(tables["patients"].shown) if "patients" in tables else {}
    for i, row, unreadable in records("patients"):
        data = {k: v for k, v in row.items() if not k.startswith("molecular_")}
        molecular = {
            k[len("molecular_") :]: v for k, v in row.items() if k.startswith("molecular_")
        }
        if any(v not in (None, "") for v in molecular.values()):
            data["molecular"] = molecular
        for list_name in ("surgeries", "rai_courses", "imaging", "labs", "mdt"):
            data[list_name] = []
        pid = _text(row.get("id"))
        record = _Patient(
            data,
            {(): tables["patients"].location(i)},
            {(): patient_shown},
            {},
            unread("patients", i, pid, unreadable),
        )
        order.append(record)
        if pid is not None and pid not in patients:
            patients[pid] = record

    def owner(
        name: str,
        i: int,
        row: dict[str, Any],
        unreadable: list[tuple[str, Unreadable]],
        link: str | None = None,
        parents: Mapping[tuple[str, str], object] | None = None,
    ) -> tuple[str, str] | None:
        """The (patient, parent id) a row belongs to, or None after reporting the orphan."""
        pid = _text(row.get("patient_id"))
        parent = _text(row.get(link)) if link else None
        if pid is None or pid not in patients:
            problems.append(
                Problem(
                    "validation.unknown_patient",
                    pid,
                    cell(name, i, "patient_id"),
                    "patient_id",
                    {"value": pid or ""},
                )
            )
        elif link and parents is not None and (pid, parent or "") not in parents:
            problems.append(
                Problem(
                    "validation.unknown_parent",
                    pid,
                    cell(name, i, link),
                    link,
                    {"value": parent or "", "parent": link[:-3], "patient": pid},
                )
            )
        else:
            patients[pid].problems.extend(unread(name, i, pid, unreadable))
            return pid, parent or ""
        problems.extend(unread(name, i, pid, unreadable))
        orphans.append({"table": name, "row": row})
        return None

    def attach(name: str, parent_key: str) -> dict[tuple[str, str], tuple[dict[str, Any], Path]]:
        index: dict[tuple[str, str], tuple[dict[str, Any], Path]] = {}
        for i, row, unreadable in records(name):
            key = owner(name, i, row, unreadable)
            if key is None:
                continue
            pid = key[0]
            row.pop("patient_id", None)
            if _text(row.get("id")) is None:
                row["id"] = f"{name}-{tables[name].number(i)}"
            children = patients[pid].data[parent_key]
            path: Path = (parent_key, len(children))
            children.append(row)
            patients[pid].locations[path] = tables[name].location(i)
            patients[pid].columns[path] = tables[name].shown
            index[(pid, str(row["id"]))] = (row, path)
        return index

    for name in ("surgeries", "rai_courses", "labs"):
        attach(name, name)
    studies = attach("imaging", "imaging")
    entries = attach("mdt", "mdt")
    for i, row, unreadable in records("findings"):
        key = owner("findings", i, row, unreadable, "imaging_id", studies)
        if key is None:
            continue
        row.pop("patient_id", None)
        row.pop("imaging_id", None)
        if _text(row.get("id")) is None:
            row["id"] = f"findings-{tables['findings'].number(i)}"
        study, path = studies[key]
        study.setdefault("findings", [])
        finding_path: Path = (*path, "findings", len(study["findings"]))
        patients[key[0]].locations[finding_path] = tables["findings"].location(i)
        patients[key[0]].columns[finding_path] = tables["findings"].shown
        study["findings"].append(row)
    for entry, _ in entries.values():
        entry["recommendations"] = []
    for i, row, unreadable in records("mdt_recommendations"):
        key = owner("mdt_recommendations", i, row, unreadable, "mdt_id", entries)
        if key is None:
            continue
        entry, path = entries[key]
        code_path: Path = (*path, "recommendations", len(entry["recommendations"]))
        record = patients[key[0]]
        record.locations[code_path] = tables["mdt_recommendations"].location(i)
        record.fields[code_path] = "recommendation"
        record.columns[code_path] = {
            "recommendation": tables["mdt_recommendations"].shown.get("recommendation", "")
        }
        entry["recommendations"].append(row.get("recommendation"))
    return Assembled([p.source() for p in order], problems, orphans, tally)


class Located(Protocol):
    def location(self, index: int) -> str: ...


def missing_columns(
    columns: Mapping[str, Sequence[str]], located: Mapping[str, Located]
) -> list[Problem]:
    """A problem for every required column a table lacks (nothing of it can be trusted)."""
    problems: list[Problem] = []
    for name, present in columns.items():
        for column, _, required in COLUMNS[name]:
            if required and column not in present:
                problems.append(
                    Problem(
                        "validation.missing_column",
                        None,
                        located[name].location(-1),
                        column,
                        {"table": name, "found": ", ".join(present) or "none"},
                    )
                )
    return problems


def patients_missing(others: Sequence[str], located: Mapping[str, Located]) -> Problem:
    """Rows in ``others`` but no ``patients`` table: none of them belongs to a patient."""
    return Problem(
        "validation.table_missing",
        None,
        ", ".join(located[name].location(-1) for name in others),
        None,
        {"table": "patients", "others": ", ".join(others)},
    )


def _patient_columns_shown(shown: Mapping[str, str]) -> Mapping[str, str]:
    """Patient columns as validation names them (``molecular.BRAF_V600E``)."""
    if not any(k.startswith("molecular_") for k in shown):
        return shown
    return {
        (f"molecular.{k[len('molecular_') :]}" if k.startswith("molecular_") else k): v
        for k, v in shown.items()
    }


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None
