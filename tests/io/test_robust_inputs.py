"""Issue 16: bad files end in a clean exit (65 invalid, 66 cannot open), never a traceback;
wrong values and unread tables are reported, never silently accepted or dropped."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rairtc.io.json_files import Rejected, loads
from rairtc.io.registry import write_registry
from rairtc.synth.registry import synthetic_patients
from tests.cli.runner import invoke

TODAY = "2025-06-30"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("base")
    patients = synthetic_patients(2, seed=7)
    names = {
        "json": "r.json",
        "csv": "csv",
        "parquet": "pq",
        "xlsx": "r.xlsx",
        "sqlite": "r.sqlite",
        "duckdb": "r.duckdb",
    }
    out = {}
    for fmt, name in names.items():
        out[fmt] = folder / name
        write_registry(patients, out[fmt], parquet=fmt == "parquet")
    return out


def copy(source: Path, target: Path) -> Path:
    (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return target


def validate(path: Path) -> Any:
    outcome = invoke("validate", str(path), "--today", TODAY)
    assert "Traceback" not in outcome.stderr and "internal error" not in outcome.stderr
    return outcome


# --- crashes -------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".sqlite", ".duckdb"])
def test_an_empty_database_file_is_malformed_not_an_empty_registry(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"r{suffix}"
    path.write_bytes(b"")
    outcome = validate(path)
    assert outcome.code == 65 and "the file is empty" in outcome.stderr


@pytest.mark.parametrize("fmt", ["sqlite", "duckdb"])
def test_a_corrupt_or_truncated_database_is_malformed(
    base: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    data = bytearray(base[fmt].read_bytes())
    (tmp_path / f"cut.{fmt}").write_bytes(bytes(data[: len(data) // 3]))
    for i in range(4096, len(data), 97):
        data[i] ^= 0xFF
    (tmp_path / f"flipped.{fmt}").write_bytes(bytes(data))
    for name in (f"cut.{fmt}", f"flipped.{fmt}"):
        assert validate(tmp_path / name).code == 65


def test_a_sqlite_file_named_duckdb_is_refused_offline(
    base: dict[str, Path], tmp_path: Path
) -> None:
    outcome = validate(copy(base["sqlite"], tmp_path / "r.duckdb"))
    assert outcome.code == 65 and "name it .sqlite" in outcome.stderr


def test_duckdb_tables_in_another_schema_are_reported(
    base: dict[str, Path], tmp_path: Path
) -> None:
    from rairtc.io.databases import connect_duckdb

    path = copy(base["duckdb"], tmp_path / "r.duckdb")
    with connect_duckdb(str(path)) as con:
        con.execute("CREATE SCHEMA lab")
        con.execute("CREATE TABLE lab.labs AS SELECT * FROM labs")
        con.execute("DROP TABLE labs")
    outcome = validate(path)
    assert outcome.code == 65 and "validation.table_unread" in outcome.stderr


def test_a_workbook_with_broken_sheet_xml_or_no_zip_is_malformed(
    base: dict[str, Path], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(base["xlsx"]) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet1"):
                data = data[: len(data) // 2]
            zout.writestr(item, data)
    (tmp_path / "nozip.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    for path in (broken, tmp_path / "nozip.xlsx"):
        assert validate(path).code == 65


def test_parquet_with_invalid_utf8_or_a_far_date_is_malformed(
    base: dict[str, Path], tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, column, values in (
        ("utf8", "region", pa.array([b"\xff\xfe"] * 2, pa.binary()).view(pa.string())),
        ("far", "birth_date", pa.array([2**31 - 1] * 2, pa.int32()).cast(pa.date32())),
    ):
        folder = copy(base["parquet"], tmp_path / name)
        table = pq.read_table(folder / "patients.parquet")
        i = table.column_names.index(column)
        pq.write_table(table.set_column(i, column, values), folder / "patients.parquet")
        assert validate(folder).code == 65


def _json_with(base: dict[str, Path], tmp_path: Path, old: str, new: str) -> Path:
    text = base["json"].read_text()
    assert old in text
    path = tmp_path / "r.json"
    path.write_text(text.replace(old, new, 1))
    return path


def test_json_nested_3000_deep_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 3000 + "]" * 3000)
    assert validate(path).code == 65


@pytest.mark.parametrize(
    "value",
    ["1" + "0" * 5000, "36893488147419103232", "NaN", '"\\ud800"', "true", '"1_000"'],
    ids=["5000 digits", "beyond 64 bits", "NaN", "lone surrogate", "true", "1_000"],
)
def test_a_bad_json_number_is_an_error_naming_the_field_and_convert_writes_nothing(
    base: dict[str, Path], tmp_path: Path, value: str
) -> None:
    text = base["json"].read_text()
    field = '"activity_mci": '
    start = text.index(field) + len(field)
    end = (
        text.index(",", start)
        if text.index(",", start) < text.index("\n", start)
        else text.index("\n", start)
    )
    path = tmp_path / "r.json"
    path.write_text(text[:start] + value + text[end:])
    outcome = validate(path)
    assert outcome.code == 65 and "field activity_mci" in outcome.stderr
    out = tmp_path / "out.duckdb"
    assert invoke("convert", str(path), str(out), "--today", TODAY).code == 65
    assert not out.exists()


@pytest.mark.parametrize("value", ["0", '"1692835200"', "1692835200", "true"])
def test_numbers_and_digit_strings_are_not_dates(
    base: dict[str, Path], tmp_path: Path, value: str
) -> None:
    text = base["json"].read_text()
    birth = json.loads(text)[0]["birth_date"]
    path = _json_with(base, tmp_path, f'"birth_date": "{birth}"', f'"birth_date": {value}')
    outcome = validate(path)
    assert outcome.code == 65 and "field birth_date" in outcome.stderr


def test_a_repeated_json_key_is_an_error(base: dict[str, Path], tmp_path: Path) -> None:
    path = _json_with(base, tmp_path, '"sex": ', '"sex": "F", "sex": ')
    outcome = validate(path)
    assert outcome.code == 65 and "'sex' appears twice" in outcome.stderr


# --- tables present are read or reported ---------------------------------------------------


def test_a_csv_row_shorter_than_the_header_is_an_error(
    base: dict[str, Path], tmp_path: Path
) -> None:
    folder = copy(base["csv"], tmp_path / "csv")
    lines = (folder / "labs.csv").read_text().splitlines()
    lines[1] = ",".join(lines[1].split(",")[:3])
    (folder / "labs.csv").write_text("\n".join(lines) + "\n")
    outcome = validate(folder)
    assert outcome.code == 65 and "labs.csv line 2" in outcome.stderr


def test_a_csv_table_beside_parquet_tables_is_an_error(
    base: dict[str, Path], tmp_path: Path
) -> None:
    folder = copy(base["parquet"], tmp_path / "pq")
    (folder / "labs.parquet").unlink()
    shutil.copy(base["csv"] / "labs.csv", folder / "labs.csv")
    outcome = validate(folder)
    assert outcome.code == 65 and "validation.table_unread" in outcome.stderr


def test_an_unknown_file_sheet_or_table_is_reported(base: dict[str, Path], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    folder = copy(base["csv"], tmp_path / "csv")
    shutil.copy(folder / "labs.csv", folder / "labs_2023.csv")
    book = load_workbook(base["xlsx"])
    book.create_sheet("Notes")["A1"] = "checked by Dr X"
    book.save(tmp_path / "r.xlsx")
    lite = copy(base["sqlite"], tmp_path / "r.sqlite")
    with sqlite3.connect(lite) as con:
        con.execute("CREATE TABLE labs_old AS SELECT * FROM labs")
    for path in (folder, tmp_path / "r.xlsx", lite):
        outcome = validate(path)
        assert "validation.table_unknown" in outcome.stderr, path


def test_a_sqlite_view_named_like_a_table_is_read(base: dict[str, Path], tmp_path: Path) -> None:
    lite = copy(base["sqlite"], tmp_path / "r.sqlite")
    with sqlite3.connect(lite) as con:
        con.execute("ALTER TABLE labs RENAME TO raw_labs")
        con.execute("CREATE VIEW labs AS SELECT * FROM raw_labs")
    before = validate(base["sqlite"]).stderr.splitlines()[-1]
    outcome = validate(lite)
    assert outcome.stderr.splitlines()[-1].split(",")[0] == before.split(",")[0]
    assert "table raw_labs" in outcome.stderr


@pytest.mark.parametrize("name", ["a#b.sqlite", "a%41.sqlite", "a?mode=rwc.sqlite"])
def test_a_sqlite_file_name_is_a_path_never_a_uri(
    base: dict[str, Path], tmp_path: Path, name: str
) -> None:
    path = copy(base["sqlite"], tmp_path / name)
    outcome = validate(path)
    assert outcome.code == 0 and "2 patient(s) read" in outcome.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_an_excel_formula_without_a_saved_value_is_an_error_naming_the_cell(
    base: dict[str, Path], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    book = load_workbook(base["xlsx"])
    book["patients"]["C2"] = "=A1+1"
    book.save(tmp_path / "r.xlsx")
    outcome = validate(tmp_path / "r.xlsx")
    assert outcome.code == 65 and "cell C2" in outcome.stderr


# --- privacy --------------------------------------------------------------------------------


def test_messages_never_show_a_birth_date_or_a_name(base: dict[str, Path], tmp_path: Path) -> None:
    data = json.loads(base["json"].read_text())
    data[0]["sex"] = "Иванова Анна Петровна"
    data[0]["rai_courses"][0]["date"] = "1900-01-02"
    data[0]["national_id"] = "12345"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    outcome = validate(path)
    assert outcome.code == 65
    assert "Иванова" not in outcome.stderr
    assert data[0]["birth_date"] not in outcome.stderr
    assert "12345" not in outcome.stderr


# --- strict parsers -------------------------------------------------------------------------


@given(st.integers())
def test_json_integers_beyond_64_bits_are_refused(number: int) -> None:
    parsed = loads(str(number))
    if -(2**63) <= number < 2**63:
        assert parsed == number
    else:
        assert isinstance(parsed, Rejected)


@given(st.from_regex(r"[0-9_]{1,12}", fullmatch=True))
def test_digit_strings_are_never_read_as_dates_in_json(text: str) -> None:
    from rairtc.io.json_files import _checked

    assert isinstance(_checked("patients", "birth_date", text), Rejected)


@given(st.text(max_size=6), st.text(max_size=6))
def test_no_text_with_an_underscore_is_a_number(before: str, after: str) -> None:
    from rairtc.io.json_files import _checked

    text = f"{before}_{after}"
    assert isinstance(_checked("rai_courses", "activity_mci", text), Rejected)


@pytest.mark.parametrize(
    ("column", "value"),
    [("vascular_invasion_foci", "36893488147419103232"), ("size_mm", "1e400")],
)
def test_a_table_number_no_output_can_store_is_an_error_and_convert_writes_nothing(
    base: dict[str, Path], tmp_path: Path, column: str, value: str
) -> None:
    import csv

    folder = copy(base["csv"], tmp_path / "csv")
    table = "patients.csv" if column == "vascular_invasion_foci" else "findings.csv"
    with (folder / table).open(newline="") as text:
        rows = list(csv.reader(text))
    rows[1][rows[0].index(column)] = value
    with (folder / table).open("w", newline="") as text:
        csv.writer(text).writerows(rows)
    out = tmp_path / "out"
    outcome = invoke("convert", str(folder), str(out), "--parquet", "--today", TODAY)
    assert outcome.code == 65 and f"field {column}" in outcome.stderr
    assert not out.exists()
