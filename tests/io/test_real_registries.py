"""Regressions of issue 10 (defects 1-4) and CSV files as Russian-locale software writes them.

Each test is a case seen in a department's registry: a NaN TSH, a spacer column, a blank row,
a sheet called ``Patients``, a cp1251 file separated by semicolons.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from rairtc.core.records import Patient
from rairtc.core.rules.classify import classify
from rairtc.io.frames import read_frames
from rairtc.io.json_files import patient_to_json
from rairtc.io.layout import flatten
from rairtc.io.parquet_tables import arrow_schema
from rairtc.io.registry import CsvOptions, load_registry, load_valid_registry, write_registry
from tests.builders import AS_OF, course, finding, patient, study
from tests.cli.runner import invoke

TODAY = date(2025, 1, 1)


def unconfirmed_by_low_tsh(tsh: Any = 12) -> Patient:
    """A node without uptake on the scan after a withdrawal course with TSH 12: the criteria
    are met but unconfirmed (possibly refractory)."""
    return patient(
        rai_courses=[course("2023-01-10", tsh=tsh)],
        imaging=[study("2023-01-15", "post_therapy_wbs", finding(rai_uptake=False))],
    )


def errors(path: Path, **options: Any) -> list[str]:
    return [p.line() for p in load_registry(path, today=TODAY, **options).errors]


# Defect 1: NaN is never a value.


def test_a_json_nan_tsh_is_an_error_naming_the_field_not_a_refractory_patient(
    tmp_path: Path,
) -> None:
    assert classify(unconfirmed_by_low_tsh(), AS_OF).status == "possibly_refractory"
    data = patient_to_json(unconfirmed_by_low_tsh())
    text = json.dumps([data]).replace('"tsh_miu_l": 12.0', '"tsh_miu_l": NaN')
    assert "NaN" in text
    (tmp_path / "r.json").write_text(text)
    loaded = load_registry(tmp_path / "r.json", today=TODAY)
    assert loaded.patients == []
    assert [(p.code, p.record, p.field) for p in loaded.errors] == [
        ("validation.not_finite", "$[0].rai_courses[0]", "tsh_miu_l")
    ]


@pytest.mark.parametrize("constant", ["Infinity", "-Infinity", "1e999"])
def test_json_infinity_is_an_error_too(tmp_path: Path, constant: str) -> None:
    data = patient_to_json(unconfirmed_by_low_tsh())
    text = json.dumps(data).replace('"tsh_miu_l": 12.0', f'"tsh_miu_l": {constant}')
    (tmp_path / "r.jsonl").write_text(text + "\n")
    assert [p.code for p in load_registry(tmp_path / "r.jsonl", today=TODAY).errors] == [
        "validation.not_finite"
    ]


def write_with_tsh(folder: Path, fmt: str, tsh: Any) -> Path:
    """The patient as tables whose TSH cell holds ``tsh`` exactly as a tool would write it."""
    rows = flatten([unconfirmed_by_low_tsh()])
    rows["rai_courses"][0]["tsh_miu_l"] = tsh
    if fmt == "parquet":
        folder.mkdir()
        for table, table_rows in rows.items():
            arrow = pa.Table.from_pylist(table_rows, schema=arrow_schema(table))
            pq.write_table(arrow, folder / f"{table}.parquet")
        return folder
    write_registry([unconfirmed_by_low_tsh()], folder)
    path = folder / "rai_courses.csv"
    path.write_text(path.read_text().replace(",12.0,", ",NaN," if tsh is not None else ",,"))
    return folder


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_nan_tsh_cell_reads_exactly_as_a_blank_cell(tmp_path: Path, fmt: str) -> None:
    nan = load_valid_registry(write_with_tsh(tmp_path / "nan", fmt, float("nan")), today=TODAY)
    blank = load_valid_registry(write_with_tsh(tmp_path / "blank", fmt, None), today=TODAY)
    assert nan.patients == blank.patients
    assert nan.patients[0].rai_courses[0].tsh_miu_l is None
    result = classify(nan.patients[0], AS_OF)
    assert all("tsh_unknown" in c.flags for c in result.criteria)  # unknown, not a number
    assert nan.tally.by_code() == {"normalised.nan_missing": 1}


def test_pandas_frames_read_nan_and_na_as_missing() -> None:
    rows = flatten([unconfirmed_by_low_tsh()])
    frames = {table: pd.DataFrame(r) for table, r in rows.items() if r}
    frames["rai_courses"]["tsh_miu_l"] = pd.array([pd.NA], dtype="Float64")
    assembled = read_frames(frames)
    assert not assembled.problems
    assert assembled.sources[0].data["rai_courses"][0]["tsh_miu_l"] is None


# Defect 2: every Excel column keeps its own header.


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


PATIENT_HEADER = ["id", "sex", "birth_date", "diagnosis_date", "histology"]
PATIENT_ROW = ["P1", "F", date(1980, 1, 1), date(2022, 1, 10), "papillary"]
COURSE_HEADER = ["patient_id", "date", "activity_mci", "stimulation", "tsh_miu_l"]
COURSE_ROW = ["P1", date(2023, 1, 10), 100, "withdrawal", 12]


def test_an_empty_spacer_column_moves_no_neighbour(tmp_path: Path) -> None:
    """The TSH of 12 right of a spacer column stays a TSH of 12 (it was read as unknown)."""
    spaced = [
        [*COURSE_HEADER[:2], None, *COURSE_HEADER[2:]],
        [*COURSE_ROW[:2], None, *COURSE_ROW[2:]],
    ]
    path = workbook(
        tmp_path / "r.xlsx", {"patients": [PATIENT_HEADER, PATIENT_ROW], "rai_courses": spaced}
    )
    loaded = load_valid_registry(path, today=TODAY)
    assert loaded.patients[0].rai_courses[0].tsh_miu_l == 12
    assert loaded.tally.by_code() == {"normalised.spacer_column": 1}


def test_an_empty_header_over_data_names_the_sheet_and_column(tmp_path: Path) -> None:
    rows = [[*COURSE_HEADER[:4], None], COURSE_ROW]
    path = workbook(
        tmp_path / "r.xlsx", {"patients": [PATIENT_HEADER, PATIENT_ROW], "rai_courses": rows}
    )
    outcome = invoke("validate", str(path), "--today", "2025-01-01")
    assert outcome.code == 65
    assert "validation.header_missing" in outcome.stderr
    assert "sheet rai_courses, column E" in outcome.stderr


def test_a_duplicate_header_is_an_error_not_last_wins(tmp_path: Path) -> None:
    rows = [[*COURSE_HEADER, "TSH_miu_l"], [*COURSE_ROW, 90]]
    path = workbook(
        tmp_path / "r.xlsx", {"patients": [PATIENT_HEADER, PATIENT_ROW], "rai_courses": rows}
    )
    with pytest.raises(Exception) as raised:
        load_registry(path, today=TODAY)
    (problem,) = raised.value.problems  # type: ignore[attr-defined]
    assert problem.code == "validation.header_duplicate"
    assert problem.record == "sheet rai_courses, column E, column F"


def test_an_unknown_header_is_an_error_or_with_lenient_a_warning(tmp_path: Path) -> None:
    rows = [[*COURSE_HEADER, "dose"], [*COURSE_ROW, 3]]
    path = workbook(
        tmp_path / "r.xlsx", {"patients": [PATIENT_HEADER, PATIENT_ROW], "rai_courses": rows}
    )
    outcome = invoke("validate", str(path), "--today", "2025-01-01")
    assert outcome.code == 65
    assert "'dose' (column F) is not a column of table 'rai_courses'" in outcome.stderr
    lenient = load_registry(path, today=TODAY, lenient=True)
    assert not lenient.errors and len(lenient.patients) == 1
    assert "validation.header_unknown_ignored" in [p.code for p in lenient.warnings]


def test_a_csv_duplicate_header_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    write_registry([patient()], folder)
    text = (folder / "patients.csv").read_text().splitlines()
    (folder / "patients.csv").write_text(text[0] + ",sex\n" + text[1] + ",M\n")
    assert invoke("validate", str(folder)).code == 65
    with pytest.raises(Exception) as raised:
        load_registry(folder, today=TODAY)
    assert [p.code for p in raised.value.problems] == ["validation.header_duplicate"]  # type: ignore[attr-defined]


# Defect 3: rows named as Excel and a text editor show them.


def test_after_a_blank_row_excel_messages_name_the_row_excel_shows(tmp_path: Path) -> None:
    bad = ["P1", date(2023, 7, 10), 100, "withdrawal", "много"]
    rows = [COURSE_HEADER, COURSE_ROW, [None] * 5, [None] * 5, bad]
    path = workbook(
        tmp_path / "r.xlsx", {"patients": [PATIENT_HEADER, PATIENT_ROW], "rai_courses": rows}
    )
    assert errors(path) == [
        "error: validation.number_unreadable: patient P1, sheet rai_courses row 5, column E, "
        "field tsh_miu_l: 'много' is not a number; enter digits with a decimal point or comma "
        "(3.7 or 3,7)"
    ]


def test_after_a_blank_line_csv_messages_name_the_line_an_editor_shows(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    write_registry([unconfirmed_by_low_tsh()], folder)
    lines = (folder / "rai_courses.csv").read_text().splitlines()
    broken = lines[1].replace(",12.0,", ",12..0,")
    (folder / "rai_courses.csv").write_text("\n".join([lines[0], "", ",,,,,,,", broken]) + "\n")
    (line,) = errors(folder)
    assert "rai_courses.csv line 4, field tsh_miu_l" in line


def test_reader_assigned_ids_follow_the_row_as_shown(tmp_path: Path) -> None:
    """labs-4 is the lab on sheet row 5, whatever blank rows lie above it."""
    lab = ["P1", date(2023, 1, 10), "tg", 1.5, "ng/mL"]
    labs = [["patient_id", "date", "test", "value", "unit"], lab, [None] * 5, [None] * 5, lab]
    path = workbook(tmp_path / "r.xlsx", {"patients": [PATIENT_HEADER, PATIENT_ROW], "labs": labs})
    loaded = load_registry(path, today=TODAY)
    assert [lab["id"] for lab in loaded.validated[0].source.data["labs"]] == ["labs-1", "labs-4"]


def test_an_mdt_recommendation_error_names_its_own_sheet_and_row(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "r.xlsx",
        {
            "patients": [PATIENT_HEADER, PATIENT_ROW],
            "mdt": [["patient_id", "id", "date"], ["P1", "m1", date(2023, 2, 1)]],
            "mdt_recommendations": [
                ["patient_id", "mdt_id", "recommendation"],
                ["P1", "m1", "repeat_rai"],
                [None, None, None],
                ["P1", "m1", "watch and wait"],
            ],
        },
    )
    (line,) = errors(path)
    assert "validation.field_enum" in line
    assert "sheet mdt_recommendations row 4, column C, field recommendation" in line


def test_a_russian_recommendation_reads_as_its_code(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "r.xlsx",
        {
            "patients": [PATIENT_HEADER, PATIENT_ROW],
            "mdt": [["patient_id", "id", "date"], ["P1", "m1", date(2023, 2, 1)]],
            "mdt_recommendations": [
                ["patient_id", "mdt_id", "recommendation"],
                ["P1", "m1", "повторная РЙТ"],
            ],
        },
    )
    (entry,) = load_valid_registry(path, today=TODAY).patients[0].mdt
    assert entry.recommendations == ("repeat_rai",)


# Defect 4: table names in any case; a missing patients table said once.


def test_a_sheet_called_patients_in_any_case_is_the_patients_table(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "r.xlsx",
        {"PATIENTS": [PATIENT_HEADER, PATIENT_ROW], "Rai_Courses": [COURSE_HEADER, COURSE_ROW]},
    )
    loaded = load_valid_registry(path, today=TODAY)
    assert [p.id for p in loaded.patients] == ["P1"] and loaded.patients[0].rai_courses


def test_a_file_called_patients_csv_is_the_patients_table(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    write_registry([unconfirmed_by_low_tsh()], folder)
    expected = load_valid_registry(folder, today=TODAY).patients
    (folder / "patients.csv").rename(folder / "Patients.csv")
    (folder / "rai_courses.csv").rename(folder / "Курсы РЙТ.csv")
    assert load_valid_registry(folder, today=TODAY).patients == expected


def test_two_sheets_for_one_table_are_an_error(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "r.xlsx",
        {"patients": [PATIENT_HEADER, PATIENT_ROW], "Пациенты": [PATIENT_HEADER]},
    )
    with pytest.raises(Exception) as raised:
        load_registry(path, today=TODAY)
    assert [p.code for p in raised.value.problems] == ["validation.table_duplicate"]  # type: ignore[attr-defined]


def test_a_workbook_without_a_patients_sheet_says_so_once(tmp_path: Path) -> None:
    path = workbook(tmp_path / "r.xlsx", {"rai_courses": [COURSE_HEADER, *[COURSE_ROW] * 5]})
    outcome = invoke("validate", str(path), "--today", "2025-01-01")
    assert outcome.code == 65
    assert outcome.stderr.count("validation.table_missing") == 1
    assert "validation.unknown_patient" not in outcome.stderr


# CSV as Russian-locale software writes it.


def csv_folder(tmp_path: Path, encoding: str, sep: str) -> Path:
    folder = tmp_path / "tables"
    write_registry([unconfirmed_by_low_tsh()], folder)
    for path in folder.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if path.stem == "patients":
            frame["histology"] = "папиллярный"
        path.write_bytes(frame.to_csv(index=False, sep=sep).encode(encoding))
    return folder


@pytest.mark.parametrize(
    ("encoding", "sep", "reported"),
    [
        ("utf-8", ",", None),
        ("utf-8-sig", ";", "read as UTF-8 with BOM, ';'"),
        ("utf-16", "\t", "read as UTF-16, 'tab'"),
        ("cp1251", ";", "read as cp1251, ';'"),
        ("cp1251", ",", "read as cp1251, ','"),
    ],
)
def test_csv_encodings_and_separators_are_detected_and_reported(
    tmp_path: Path, encoding: str, sep: str, reported: str | None
) -> None:
    expected = load_valid_registry(csv_folder(tmp_path / "plain", "utf-8", ","), today=TODAY)
    folder = csv_folder(tmp_path, encoding, sep)
    loaded = load_valid_registry(folder, today=TODAY)
    assert loaded.patients == expected.patients
    assert loaded.patients[0].histology == "papillary"
    lines = loaded.normalised
    assert (
        (f"patients.csv {reported}" in lines)
        if reported
        else not any("read as" in line for line in lines)
    )


def test_csv_encoding_and_separator_can_be_forced(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path, "cp1251", ";")
    forced = CsvOptions(encoding="cp1251", delimiter=";")
    (patient_read,) = load_valid_registry(folder, today=TODAY, csv=forced).patients
    assert patient_read.rai_courses[0].tsh_miu_l == 12
    wrong = invoke("validate", str(folder), "--delimiter", ",", "--today", "2025-01-01")
    assert wrong.code == 65
    outcome = invoke(
        "validate", str(folder), "--encoding", "cp1251", "--delimiter", ";", "--today", "2025-01-01"
    )
    assert outcome.code == 0, outcome.stderr
    assert invoke("validate", str(folder), "--delimiter", "|").code == 2
    assert invoke("validate", str(folder), "--encoding", "klingon").code == 2
