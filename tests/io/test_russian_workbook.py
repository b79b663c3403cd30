"""Done-when of issue 10: a workbook typed the Russian way reads as its clean English twin.

The twin is the bundled example registry written by ``write_excel``; the Russian workbook is
the same records retyped as a department in Kazakhstan types them: Russian sheet names and
headers, ``DD.MM.YYYY`` text, decimal commas, Cyrillic look-alike TNM codes with prefixes,
``Ж``/``М``, Russian units, yes/no words, an empty row and an empty spacer column.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.records import Patient
from rairtc.core.rules.classify import classify
from rairtc.examples import example_registry_path
from rairtc.io.aliases import CODE_ALIASES, LAB_UNIT_ALIASES, TABLE_LABELS, column_labels
from rairtc.io.cells import kind_of
from rairtc.io.layout import TABLES
from rairtc.io.registry import load_registry, load_valid_registry, write_registry
from tests.cli.runner import invoke

TODAY = date(2025, 6, 1)
AS_OF = date(2025, 6, 1)
CYRILLIC = str.maketrans({"T": "Т", "N": "Н", "M": "М", "a": "а"})
RUSSIAN_UNITS = {english: russian for russian, english in LAB_UNIT_ALIASES.items()}


def example_patients() -> list[Patient]:
    """The bundled examples, with one Tg below the assay limit (typed '<0,1' in Russian)."""
    data: list[dict[str, Any]] = json.loads(example_registry_path().read_text(encoding="utf-8"))
    data[0]["labs"][1]["below_limit"] = True
    return [Patient.model_validate(p) for p in data]


def russian(table: str, column: str, value: Any, row: dict[str, Any]) -> Any:
    """A cell as typed in Russian-locale Excel."""
    if value is None:
        return None
    if table == "labs" and column == "value" and row.get("below_limit"):
        return "<" + str(value).replace(".", ",")
    if table == "labs" and column == "below_limit":
        return None  # said by the '<'
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, date):
        return f"{value.day:02}.{value.month:02}.{value.year}"
    if isinstance(value, float) and not value.is_integer():
        return str(value).replace(".", ",")
    if column in ("t", "n", "m"):
        return ("p" if column == "t" else "") + value.translate(CYRILLIC)
    if table == "labs" and column == "unit":
        return RUSSIAN_UNITS.get(value, value)
    kind = kind_of(table, column)
    for (enum, code), languages in CODE_ALIASES.items():
        if enum is kind and code == value:
            return languages["ru"][0]
    return value


def write_russian_workbook(twin: Path, out: Path) -> None:
    """Retype every sheet of the English twin; a spacer column B and an empty row 3."""
    english = load_workbook(twin)
    book = Workbook()
    book.remove(book.active)
    for table in TABLES:
        source = english[table]
        rows = [list(r) for r in source.iter_rows(values_only=True)]
        names = rows[0]
        sheet = book.create_sheet(TABLE_LABELS[table]["ru"])
        out_rows: list[list[Any]] = [[column_labels(table, n)["ru"][0] for n in names]]
        for values in rows[1:]:
            cells = {
                n: v.date() if isinstance(v, datetime) else v
                for n, v in zip(names, values, strict=True)
            }
            out_rows.append([russian(table, n, cells[n], cells) for n in names])
        if len(out_rows) > 2:
            out_rows.insert(2, [None] * len(names))  # the empty row 3
        for row in out_rows:
            sheet.append([row[0], None, *row[1:]])  # the spacer column B
    book.save(out)


def test_a_russian_workbook_reads_as_its_english_twin(tmp_path: Path) -> None:
    patients = example_patients()
    twin, typed = tmp_path / "twin.xlsx", tmp_path / "russian.xlsx"
    write_registry(patients, twin)
    write_russian_workbook(twin, typed)

    clean = load_valid_registry(twin, today=TODAY)
    retyped = load_valid_registry(typed, today=TODAY)

    assert retyped.patients == clean.patients == patients
    assert [classify(p, AS_OF, DEFAULT_PARAMETERS).as_dict() for p in retyped.patients] == [
        classify(p, AS_OF, DEFAULT_PARAMETERS).as_dict() for p in clean.patients
    ]
    counts = retyped.tally.by_code()
    for code in (
        "normalised.header_alias",
        "normalised.spacer_column",
        "normalised.date_dotted",
        "normalised.decimal_comma",
        "normalised.below_limit_sign",
        "normalised.lab_unit_alias",
        "normalised.code_alias",
        "normalised.code_cyrillic",
        "normalised.boolean_alias",
        "normalised.table_name",
    ):
        assert counts.get(code, 0) > 0, code
    assert counts["normalised.spacer_column"] == len(TABLES)
    assert not clean.tally.counts


def test_the_russian_workbook_names_cells_as_excel_shows_them(tmp_path: Path) -> None:
    """Row 4 comes after the empty row 3; columns right of the spacer column B keep their
    letters."""
    twin, typed = tmp_path / "twin.xlsx", tmp_path / "russian.xlsx"
    write_registry(example_patients(), twin)
    write_russian_workbook(twin, typed)
    book = load_workbook(typed)
    sheet = book["Курсы РЙТ"]
    headers = [c.value for c in sheet[1]]
    tsh = headers.index("ТТГ, мЕд/л") + 1
    sheet.cell(4, tsh).value = "много"
    day = headers.index("Дата курса") + 1
    sheet.cell(4, day).value = "03/04/2023"
    book.save(typed)

    loaded = load_registry(typed, today=TODAY)
    lines = [p.line() for p in loaded.errors]
    letter, day_letter = "ABCDEFGHIJ"[tsh - 1], "ABCDEFGHIJ"[day - 1]
    assert any(
        "sheet Курсы РЙТ row 4, column " + letter in line and "field tsh_miu_l" in line
        for line in lines
    ), lines
    assert any(
        "validation.date_ambiguous" in line
        and f"sheet Курсы РЙТ row 4, column {day_letter}" in line
        and "DD.MM.YYYY" in line
        for line in lines
    ), lines
    assert len(lines) == 2, lines


def test_validate_prints_what_was_normalised(tmp_path: Path) -> None:
    twin, typed = tmp_path / "twin.xlsx", tmp_path / "russian.xlsx"
    write_registry(example_patients(), twin)
    write_russian_workbook(twin, typed)
    outcome = invoke("validate", str(typed), "--today", TODAY.isoformat())
    assert outcome.code == 0, outcome.stderr
    assert "9 patient(s) read: 9 valid" in outcome.stderr
    assert "date(s) read from DD.MM.YYYY text" in outcome.stderr
    assert "sheet or file 'Пациенты' read as table 'patients'" in outcome.stderr
