"""Malformed inputs end with exit 65 and a message, never a traceback; unknown formats exit 2
and inputs that cannot be opened exit 66."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook

from rairtc.io.registry import write_registry
from tests.builders import patient
from tests.cli.runner import invoke


def validate(path: Path):
    return invoke("validate", str(path), "--today", "2025-01-01")


def assert_invalid(outcome, *needles: str) -> None:
    assert outcome.code == 65, (outcome.code, outcome.stderr)
    assert "Traceback" not in outcome.stderr
    for needle in needles:
        assert needle in outcome.stderr, outcome.stderr


def test_truncated_json(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('[{"id": "P1", "sex": "F", "birth_')
    assert_invalid(validate(path), "validation.file_malformed", "line 1")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text("")
    assert_invalid(validate(path), "the file is empty")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(bytes(range(256)) * 4)
    assert_invalid(validate(path), "not UTF-8")


def test_binary_file_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"\x00\x01garbage" * 50)
    assert_invalid(validate(path), "Excel")


def test_binary_file_named_duckdb_and_sqlite(tmp_path: Path) -> None:
    for name in ("r.duckdb", "r.sqlite"):
        path = tmp_path / name
        path.write_bytes(b"\x00\x01garbage" * 50)
        assert_invalid(validate(path), "validation.file_malformed")


def test_json_that_is_not_a_patient(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps([1, 2]))
    assert_invalid(validate(path), "not a patient object")


def test_jsonl_with_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "P1"}\n{oops\n')
    assert_invalid(validate(path), "line 2")


def test_csv_with_a_missing_column(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    write_registry([patient()], folder)
    lines = (folder / "patients.csv").read_text().splitlines()
    header = lines[0].split(",")
    drop = header.index("histology")
    (folder / "patients.csv").write_text(
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines)
        + "\n"
    )
    assert_invalid(validate(folder), "validation.missing_column", "field histology")


def test_csv_row_with_an_unknown_patient(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    write_registry([patient()], folder)
    with (folder / "labs.csv").open("a") as out:
        out.write("NOPE,,2023-01-01,tg,1.0,ng/mL,,,\n")
    assert_invalid(validate(folder), "validation.unknown_patient", "labs.csv line 2")


def test_finding_pointing_at_an_unknown_study(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    write_registry([patient()], folder)
    with (folder / "findings.csv").open("a") as out:
        out.write("P1,imaging-9,,lung,,,distant_metastasis,,,,\n")
    assert_invalid(validate(folder), "validation.unknown_parent", "field imaging_id")


def test_excel_sheet_with_text_in_a_date_column(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_registry([patient()], path)
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["patients"]["F2"] = "last spring"  # F is birth_date
    assert book["patients"]["F1"].value == "birth_date"
    book.save(path)
    assert_invalid(
        validate(path), "validation.date_invalid", "sheet patients row 2", "field birth_date"
    )


def test_excel_workbook_without_a_patients_sheet_is_an_empty_registry(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    book = Workbook()
    book.active.title = "notes"
    book.save(path)
    outcome = validate(path)
    assert outcome.code == 0 and "0 patient(s) read" in outcome.stderr


def test_unknown_format_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("hello")
    outcome = validate(path)
    assert outcome.code == 2 and "unknown format '.txt'" in outcome.stderr


def test_folder_without_tables_exits_2(tmp_path: Path) -> None:
    assert validate(tmp_path).code == 2


def test_missing_file_exits_66(tmp_path: Path) -> None:
    outcome = validate(tmp_path / "absent.json")
    assert outcome.code == 66 and "no such file" in outcome.stderr
