"""REDCap flat ("raw") exports: one CSV, one row per form instance.

The patient form is the row with an empty ``redcap_repeat_instrument``; every sub-record is a
row of its repeating instrument, numbered by ``redcap_repeat_instance`` in list order. A
finding names its study in ``finding_imaging_id``. MDT recommendations are a checkbox
(``mdt_recommendations___<code>``, 1 or 0); because a checkbox is a set, the order as entered
(and any repeated code) travels in ``mdt_recommendation_order``, so the round trip is exact.

Reading maps each instrument back to its layout table and lets
:func:`rairtc.io.layout.assemble` link the rows, so links, ids and locations behave as in a
folder of CSV tables. A value the layout cannot carry (an unknown instrument, a field filled on
another instrument's row) is a problem naming the line and the field, never dropped.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.messages import Problem
from rairtc.core.records import Patient
from rairtc.io.layout import Assembled, Table, assemble, column_names, flatten
from rairtc.io.malformed import malformed
from rairtc.io.redcap.fields import (
    CHECKBOX_SEPARATOR,
    FIELD_BY_NAME,
    FIELDS,
    FORM_BY_NAME,
    FORMS,
    RECOMMENDATION_ORDER,
    RECOMMENDATIONS,
    Field,
    Form,
    export_columns,
)

INSTRUMENT = "redcap_repeat_instrument"
INSTANCE = "redcap_repeat_instance"
# REDCap's bookkeeping columns (data access group, survey id and timestamps): no patient data
BOOKKEEPING = frozenset({"redcap_data_access_group", "redcap_survey_identifier"})
_BOOL_OUT = {True: "1", False: "0"}
_BOOL_IN = {"1": True, "0": False}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _BOOL_OUT[value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # plain notation (REDCap's number validation refuses 1e-05), exact to the float
        return format(Decimal(repr(value)), "f")
    return str(value)


def export_rows(patients: Sequence[Patient]) -> list[dict[str, str]]:
    """The rows of a flat export, patient by patient, each form's instances in list order."""
    tables = flatten(patients)
    by_patient: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for form in FORMS[1:]:
        for row in tables[form.table]:
            by_patient[row["patient_id"]][form.name].append(row)
    recommendations: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in tables["mdt_recommendations"]:
        recommendations[(row["patient_id"], row["mdt_id"])].append(row["recommendation"])
    out: list[dict[str, str]] = []
    for patient_row in tables["patients"]:
        pid = str(patient_row["id"])
        main = {"record_id": pid, INSTRUMENT: "", INSTANCE: ""}
        for field in FIELDS:
            if field.form.name == "patient" and field.name != "record_id":
                main[field.name] = _cell(patient_row[field.column])
        out.append(main)
        for form in FORMS[1:]:
            for number, row in enumerate(by_patient[pid][form.name], start=1):
                line = {"record_id": pid, INSTRUMENT: form.name, INSTANCE: str(number)}
                for field in FIELDS:
                    if field.form is not form or not field.column:
                        continue
                    line[field.name] = _cell(row[field.column])
                if form.name == "mdt":
                    codes = recommendations[(pid, str(row["id"]))]
                    checkbox = FIELD_BY_NAME[RECOMMENDATIONS]
                    for code in checkbox.choices:
                        line[f"{RECOMMENDATIONS}{CHECKBOX_SEPARATOR}{code}"] = (
                            "1" if code in codes else "0"
                        )
                    line[RECOMMENDATION_ORDER] = " ".join(codes)
                out.append(line)
    return out


def write_redcap(patients: Sequence[Patient], path: FsPath) -> None:
    header = export_columns()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, header, restval="")
        writer.writeheader()
        writer.writerows(export_rows(patients))


def looks_like_redcap(path: FsPath) -> bool:
    """A CSV file whose header starts with ``record_id`` (what REDCap exports)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return first.split(",", 1)[0].strip().strip('"') == "record_id"


class _Reader:
    """One pass over the rows of an export, collecting tables and problems."""

    def __init__(self, name: str, header: list[str], lenient: bool) -> None:
        self.name = name
        self.header = header
        self.lenient = lenient
        self.problems: list[Problem] = []
        self.orphans: list[dict[str, Any]] = []
        self.rows: dict[str, list[tuple[int, int, dict[str, Any]]]] = defaultdict(list)
        self.recommendations: list[tuple[int, dict[str, Any]]] = []
        self.columns: dict[str, tuple[Field, str | None]] = {}
        self._read_header()

    def where(self, line: int) -> str:
        return f"{self.name} line {line}"

    def _read_header(self) -> None:
        completes = {f"{form.name}_{end}" for form in FORMS for end in ("complete", "timestamp")}
        completes |= BOOKKEEPING
        for column in self.header:
            field = FIELD_BY_NAME.get(column)
            base, _, code = column.partition(CHECKBOX_SEPARATOR)
            checkbox = FIELD_BY_NAME.get(base) if code else None
            if column == "record_id":
                continue
            if field is not None and field.kind is not None:
                self.columns[column] = (field, None)
            elif checkbox is not None and checkbox.kind is None and code in checkbox.choices:
                self.columns[column] = (checkbox, code)
            elif column in (INSTRUMENT, INSTANCE) or column in completes:
                continue
            else:
                code_name = (
                    "validation.field_unknown_ignored"
                    if self.lenient
                    else "validation.field_unknown"
                )
                self.problems.append(
                    Problem(
                        code_name,
                        None,
                        f"{self.name} header",
                        column,
                        {"allowed": "the fields of `rairtc redcap dictionary`"},
                    )
                )

    def _problem(self, pid: str | None, line: int, field: str, reason: str) -> None:
        self.problems.append(
            Problem("validation.unreadable_value", pid, self.where(line), field, {"reason": reason})
        )

    def read(self, line: int, cells: dict[str, str]) -> None:
        pid = cells.get("record_id", "").strip() or None
        instrument = cells.get(INSTRUMENT, "").strip()
        form = FORM_BY_NAME.get(instrument or "patient")
        if form is None or (instrument and not form.repeating):
            allowed = ", ".join(f.name for f in FORMS if f.repeating)
            self._problem(
                pid,
                line,
                INSTRUMENT,
                f"'{instrument}' is not a repeating instrument of the rairtc project; "
                f"allowed: {allowed}, or empty for the patient form",
            )
            self.orphans.append({"table": "redcap", "row": cells})
            return
        instance = 0
        if form.repeating:
            text = cells.get(INSTANCE, "").strip()
            if not text.isdigit() or int(text) < 1:
                self._problem(
                    pid, line, INSTANCE, f"'{text}' is not an instance number (1, 2, ...)"
                )
                self.orphans.append({"table": "redcap", "row": cells})
                return
            instance = int(text)
        row: dict[str, Any] = {"patient_id": pid} if form.repeating else {"id": pid}
        checked: list[str] = []
        order: str | None = None
        for column, raw in cells.items():
            if column not in self.columns:
                continue
            field, code = self.columns[column]
            value = raw.strip()  # structural cells; a text value keeps its spaces below
            if field.form is not form:
                if value and not (code is not None and value == "0"):
                    self._problem(
                        pid,
                        line,
                        column,
                        f"a field of the {field.form.name} form is filled on a "
                        f"{form.name} row; move it to a {field.form.name} row",
                    )
                continue
            if code is not None:
                if value == "1":
                    checked.append(code)
                elif value not in ("", "0"):
                    self._problem(pid, line, column, f"'{value}' is not a checkbox value (1 or 0)")
                continue
            if field.name == RECOMMENDATION_ORDER:
                order = value
                continue
            row[field.column] = self._value(field, raw if value else "")
        if form.name == "mdt":
            self.recommendations.append((line, {"codes": checked, "order": order}))
        self.rows[form.table].append((instance, line, row))

    @staticmethod
    def _value(field: Field, value: str) -> Any:
        if value == "":
            return None
        if field.kind == "bool":
            return _BOOL_IN.get(value.strip(), value)
        return value

    def tables(self) -> dict[str, Table]:
        tables: dict[str, Table] = {}
        mdt_codes: dict[int, dict[str, Any]] = dict(self.recommendations)
        recommendation_rows: list[list[Any]] = []
        recommendation_lines: list[int] = []
        for form in FORMS:
            entries = self.rows.get(form.table, [])
            if form.repeating:
                entries = self._ordered(form, entries)
            columns = column_names(form.table)
            rows, lines = [], []
            for _, line, row in entries:
                if form.name == "mdt":
                    row.setdefault("id", f"mdt-line-{line}")
                    for code in _codes(mdt_codes[line]):
                        recommendation_rows.append([row["patient_id"], row["id"], code])
                        recommendation_lines.append(line)
                rows.append([row.get(column) for column in columns])
                lines.append(line)
            tables[form.table] = Table(columns, rows, self._locator(lines))
        tables["mdt_recommendations"] = Table(
            ["patient_id", "mdt_id", "recommendation"],
            recommendation_rows,
            self._locator(recommendation_lines),
        )
        return tables

    def _ordered(
        self, form: Form, entries: list[tuple[int, int, dict[str, Any]]]
    ) -> list[tuple[int, int, dict[str, Any]]]:
        """Rows of one instrument, each patient's in instance order (patients in file order);
        an instance number used twice for one patient is a problem."""
        seen: dict[tuple[Any, int], int] = {}
        for instance, line, row in entries:
            key = (row["patient_id"], instance)
            if key in seen:
                self._problem(
                    row["patient_id"],
                    line,
                    INSTANCE,
                    f"instance {instance} of {form.name} is also on line {seen[key]}; "
                    "number the instances 1, 2, ... once each",
                )
            seen.setdefault(key, line)
        first: dict[Any, int] = {}
        for index, (_, _, row) in enumerate(entries):
            first.setdefault(row["patient_id"], index)
        return sorted(entries, key=lambda e: (first[e[2]["patient_id"]], e[0], e[1]))

    def _locator(self, lines: list[int]) -> Any:
        name = self.name

        def where(index: int) -> str:
            return f"{name} header" if index < 0 else f"{name} line {lines[index]}"

        return where


def _codes(entry: dict[str, Any]) -> list[str]:
    """The checked codes, in the order entered when ``mdt_recommendation_order`` still names
    exactly the checked set (it was written by rairtc and not edited since), else in the
    dictionary's order."""
    checked: list[str] = entry["codes"]
    order = (entry["order"] or "").split()
    if order and set(order) == set(checked):
        return order
    return checked


def read_redcap(path: FsPath, *, lenient: bool = False) -> Assembled:
    try:
        text = path.read_bytes().decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except (UnicodeDecodeError, csv.Error) as error:
        raise malformed(path.name, "a REDCap export", str(error)) from None
    if not lines or not lines[0]:
        raise malformed(path.name, "a REDCap export", "the file is empty")
    header = [cell.strip() for cell in lines[0]]
    if header[0] != "record_id":
        raise malformed(
            f"{path.name} header",
            "a REDCap export",
            "the first column must be record_id (export the raw data of the project)",
        )
    reader = _Reader(path.name, header, lenient)
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise malformed(
                f"{path.name} line {number}",
                "a REDCap export",
                f"{len(cells)} cells for {len(header)} columns",
            )
        reader.read(number, dict(zip(header, cells, strict=False)))
    assembled = assemble(reader.tables(), lenient=lenient)
    return Assembled(
        assembled.sources,
        [*reader.problems, *assembled.problems],
        [*reader.orphans, *assembled.orphans],
    )
