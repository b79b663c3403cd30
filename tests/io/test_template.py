"""``rairtc template``: a workbook a department fills in and rairtc reads back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rairtc.io.cells import kind_of
from rairtc.io.layout import COLUMNS, TABLES
from rairtc.io.registry import load_valid_registry
from rairtc.io.template import INSTRUCTIONS_SHEET, choices, example_patients, header, sheet_name
from tests.cli.runner import invoke

TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module", params=["en", "ru", "kk"])
def template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    lang: str = request.param
    path = tmp_path_factory.mktemp(lang) / "registry.xlsx"
    outcome = invoke("template", str(path), "--lang", lang)
    assert outcome.code == 0, outcome.stderr
    return path, lang


def test_it_has_every_sheet_and_column_in_the_chosen_language(template: tuple[Path, str]) -> None:
    path, lang = template
    book = load_workbook(path)
    assert book.sheetnames[0] == INSTRUCTIONS_SHEET[lang]
    for table in TABLES:
        sheet = book[sheet_name(table, lang)]
        assert [c.value for c in sheet[1]] == [header(table, n, lang) for n, _, _ in COLUMNS[table]]


def test_every_coded_column_has_a_drop_down_list(template: tuple[Path, str]) -> None:
    path, lang = template
    book = load_workbook(path)
    for table in TABLES:
        sheet = book[sheet_name(table, lang)]
        coded = {
            i
            for i, (name, _, _) in enumerate(COLUMNS[table], start=1)
            if choices(table, name, lang)
        }
        ranges = {str(dv.sqref) for dv in sheet.data_validations.dataValidation}
        assert ranges == {f"{get_column_letter(i)}2:{get_column_letter(i)}1000" for i in coded}
    lists = book["lists"]
    assert lists.sheet_state == "hidden"
    words = {c.value for row in lists.iter_rows(min_row=2) for c in row if c.value}
    if lang == "ru":
        assert {"Ж", "папиллярный", "ОФЭКТ/КТ", "да", "нг/мл"} <= words


def test_date_and_number_columns_carry_their_formats(template: tuple[Path, str]) -> None:
    path, lang = template
    book = load_workbook(path)
    sheet = book[sheet_name("rai_courses", lang)]
    formats = {
        name: sheet.column_dimensions[chr(ord("A") + i)].number_format
        for i, (name, _, _) in enumerate(COLUMNS["rai_courses"])
    }
    assert formats["date"] == ("yyyy-mm-dd" if lang == "en" else "dd.mm.yyyy")
    assert formats["activity_mci"] == "0.0##"
    assert formats["patient_id"] == "@"
    assert sheet["B2"].value is not None  # the example course


def test_a_filled_template_reads_back(template: tuple[Path, str], tmp_path: Path) -> None:
    path, lang = template
    book = load_workbook(path)
    patients = book[sheet_name("patients", lang)]
    columns = [n for n, _, _ in COLUMNS["patients"]]
    words = {name: choices("patients", name, lang) for name in columns}
    new = {
        "id": "KZ-0100",
        "sex": words["sex"][0],  # F in the chosen language
        "birth_date": date(1970, 5, 6),
        "diagnosis_date": "12.03.2021",
        "histology": words["histology"][0],
        "t": "pT2",
        "smoker": words["smoker"][1],
    }
    patients.append([new.get(name) for name in columns])
    courses = book[sheet_name("rai_courses", lang)]
    course_columns = [n for n, _, _ in COLUMNS["rai_courses"]]
    courses.append(
        [
            {"patient_id": "KZ-0100", "date": date(2021, 5, 4), "activity_mci": "100,5"}.get(n)
            for n in course_columns
        ]
    )
    filled = tmp_path / "filled.xlsx"
    book.save(filled)

    loaded = load_valid_registry(filled, today=TODAY)
    assert loaded.patients[:2] == example_patients()
    added = loaded.patients[2]
    assert (added.id, added.sex, added.histology, added.t, added.smoker) == (
        "KZ-0100",
        "F",
        "papillary",
        "T2",
        False,
    )
    assert added.diagnosis_date == date(2021, 3, 12)
    assert added.rai_courses[0].activity_mci == 100.5


def test_the_lists_hold_only_values_the_reader_accepts() -> None:
    from rairtc.io.cells import Tally, read_cell

    for lang in ("en", "ru", "kk"):
        for table in TABLES:
            for name, _, _ in COLUMNS[table]:
                for word in choices(table, name, lang) or []:
                    value = read_cell(table, name, word, Tally())
                    kind = kind_of(table, name)
                    assert value is not None and not hasattr(value, "code"), (lang, name, word)
                    if kind is bool:
                        assert isinstance(value, bool)


def test_a_template_must_be_an_xlsx_in_a_known_language(tmp_path: Path) -> None:
    assert invoke("template", str(tmp_path / "t.csv")).code == 2
    assert invoke("template", str(tmp_path / "t.xlsx"), "--lang", "de").code == 2
