"""``rairtc convert --to`` and ``rairtc redcap dictionary`` as a user types them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli.runner import invoke
from tests.io.exchange.conftest import EXAMPLE


@pytest.mark.parametrize(
    ("to", "out"),
    [("redcap", "records.csv"), ("fhir", "fhir"), ("fhir", "b.ndjson"), ("omop", "omop")],
)
def test_convert_to_an_exchange_format_and_back(tmp_path: Path, to: str, out: str) -> None:
    there = invoke(
        "convert", str(EXAMPLE), str(tmp_path / out), "--to", to, "--today", "2026-01-01"
    )
    assert there.code == 0, there.stderr
    assert f"({to})" in there.stderr
    back = invoke(
        "convert", str(tmp_path / out), str(tmp_path / "back.json"), "--today", "2026-01-01"
    )
    assert back.code == 0, back.stderr
    ids = [p["id"] for p in json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))]
    assert ids == [p["id"] for p in json.loads(EXAMPLE.read_text(encoding="utf-8"))]


@pytest.mark.parametrize(("to", "out"), [("redcap", "records.json"), ("omop", "omop.csv")])
def test_an_output_that_cannot_hold_the_format_is_refused_before_reading(
    tmp_path: Path, to: str, out: str
) -> None:
    outcome = invoke("convert", str(tmp_path / "missing.json"), str(tmp_path / out), "--to", to)
    assert outcome.code == 2 and f"--to {to} writes" in outcome.stderr


def test_redcap_dictionary_writes_the_dictionary_and_the_repeating_forms(tmp_path: Path) -> None:
    outcome = invoke(
        "redcap", "dictionary", str(tmp_path / "dict.csv"), "--repeating", str(tmp_path / "rep.csv")
    )
    assert outcome.code == 0, outcome.stderr
    with (tmp_path / "dict.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Variable / Field Name" and rows[0][-1] == "Field Annotation"
    assert len(rows[0]) == 18 and rows[1][0] == "record_id"
    with (tmp_path / "rep.csv").open(newline="", encoding="utf-8") as handle:
        repeating = [row[0] for row in csv.reader(handle)]
    assert repeating == ["form_name", "surgery", "rai_course", "imaging", "finding", "lab", "mdt"]


def test_redcap_dictionary_wants_a_csv_file(tmp_path: Path) -> None:
    outcome = invoke("redcap", "dictionary", str(tmp_path / "dict.xlsx"))
    assert outcome.code == 2
