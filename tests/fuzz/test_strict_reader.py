"""The oracle's own cases: what a strict reader accepts, and what it refuses with a reason."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.fuzz.strict_reader import LISTS, Reject, read

TODAY = date(2025, 6, 30)
PATIENT = {
    "id": "P1",
    "sex": "F",
    "birth_date": "1980-01-01",
    "diagnosis_date": "2020-01-01",
    "histology": "papillary",
}


def _json(tmp_path: Path, **changes: Any) -> Any:
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{**PATIENT, **changes}]))
    return read(path, today=TODAY)


def test_a_canonical_patient_is_the_core_record_in_rairtcs_json_shape(tmp_path: Path) -> None:
    assert _json(tmp_path, smoker=True, largest_node_mm=12, last_follow_up="") == [
        {**PATIENT, "smoker": True, "largest_node_mm": 12.0, **dict.fromkeys(LISTS, [])}
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"largest_node_mm": "12"},  # text where a number belongs
        {"smoker": 1},  # a number where yes/no belongs
        {"mrn": 7},  # a number where text belongs
        {"birth_date": "01.01.1980"},  # not ISO
        {"birth_date": "١٩٨٠-01-01"},  # digits of another script
        {"histology": "Papillary"},  # not the code
        {"lymph_nodes_positive": 2**64},  # beyond 64 bits
        {"colour": "red"},  # no such field
    ],
)
def test_a_value_in_another_form_is_refused(tmp_path: Path, changes: dict[str, Any]) -> None:
    verdict = _json(tmp_path, **changes)
    assert isinstance(verdict, Reject) and not verdict.invalid


def test_a_canonical_record_the_core_refuses_is_refused_as_invalid(tmp_path: Path) -> None:
    verdict = _json(tmp_path, diagnosis_date="2099-01-01")
    assert isinstance(verdict, Reject) and verdict.invalid


def _csv(tmp_path: Path, tables: dict[str, str]) -> Any:
    folder = tmp_path / "csv"
    folder.mkdir()
    for name, text in tables.items():
        (folder / name).write_text(text)
    return read(folder, today=TODAY)


PATIENTS_CSV = (
    "id,sex,birth_date,diagnosis_date,histology,smoker\nP1,F,1980-01-01,2020-01-01,papillary,1\n"
)
LABS = "patient_id,date,test,value,unit\nP1,2020-02-01,tg,0.2,ng/mL\n"


def test_csv_rows_become_nested_records_with_ids_by_row(tmp_path: Path) -> None:
    [patient] = _csv(tmp_path, {"patients.csv": PATIENTS_CSV, "labs.csv": LABS})
    assert patient["smoker"] is True
    assert patient["labs"] == [
        {"id": "labs-1", "date": "2020-02-01", "test": "tg", "value": 0.2, "unit": "ng/mL"}
    ]


@pytest.mark.parametrize(
    "tables",
    [
        {"patients.csv": PATIENTS_CSV, "Labs.csv": LABS},  # a name in another case
        {"patients.csv": PATIENTS_CSV, "labs.csv": LABS.replace("P1,", "P2,")},  # an orphan
        {"patients.csv": PATIENTS_CSV.replace(",1\n", ",True\n")},  # not true/false/1/0
        {"patients.csv": PATIENTS_CSV.replace("histology", "Histology")},  # a column's case
        {"patients.csv": PATIENTS_CSV, "labs.csv": LABS.replace("0.2", "0,2")},  # a comma
        {"patients.csv": "\ufeff" + PATIENTS_CSV},  # a BOM
    ],
)
def test_a_table_in_another_form_is_refused(tmp_path: Path, tables: dict[str, str]) -> None:
    verdict = _csv(tmp_path, tables)
    assert isinstance(verdict, Reject) and not verdict.invalid
