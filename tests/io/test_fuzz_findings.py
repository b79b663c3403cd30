"""Regressions the fuzz oracle (tests/fuzz/strict_reader.py) found in the readers: each case
here was a fuzz case where rairtc and a strict reader of the same file disagreed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rairtc.io.json_files import patient_to_json
from rairtc.synth.registry import synthetic_patients
from tests.cli.runner import invoke

TODAY = "2025-06-30"


def _registry(tmp_path: Path, change: Any) -> Path:
    """A valid JSON registry of two patients with ``change(patients)`` applied."""
    patients = [patient_to_json(p) for p in synthetic_patients(2, seed=7)]
    change(patients)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(patients))
    return path


def _validate(path: Path) -> Any:
    outcome = invoke("validate", str(path), "--today", TODAY)
    assert "Traceback" not in outcome.stderr and "internal error" not in outcome.stderr
    return outcome


@pytest.mark.parametrize("blank", ["", " "])
@pytest.mark.parametrize("field", ["last_follow_up", "lymph_nodes_positive", "smoker"])
def test_a_blank_json_value_is_unknown_in_a_date_number_or_yes_no_field(
    tmp_path: Path, field: str, blank: str
) -> None:
    """data-model.md: an empty string is read as unknown in every format (the reader called
    a follow-up date of "" "not a calendar date")."""

    def change(patients: list[dict[str, Any]]) -> None:
        patients[0][field] = blank

    path = _registry(tmp_path, change)
    assert _validate(path).code == 0
    out = tmp_path / "out.json"
    assert invoke("convert", str(path), str(out), "--today", TODAY).code == 0
    assert field not in json.loads(out.read_text())[0]


@pytest.mark.parametrize(
    ("where", "value"),
    [(("mrn",), 0), (("region",), 5), (("stage_recorded",), 1.5), (("rai_courses", 0, "id"), 7)],
)
def test_a_json_number_where_text_belongs_is_an_error_naming_the_field(
    tmp_path: Path, where: tuple[Any, ...], value: Any
) -> None:
    """A medical record number 0 used to become the text "0" with exit 0; an identifier
    typed as a number also loses its leading zeros, so JSON text must be a JSON string."""

    def change(patients: list[dict[str, Any]]) -> None:
        record: Any = patients[0]
        for step in where[:-1]:
            record = record[step]
        record[where[-1]] = value

    outcome = _validate(_registry(tmp_path, change))
    assert outcome.code == 65
    assert f"field {where[-1]}" in outcome.stderr and "text" in outcome.stderr


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("lymph_nodes_positive", "3", "a whole number"),
        ("largest_node_mm", "12.5", "a number"),
        ("smoker", "yes", "true or false"),
        ("capsular_invasion", "true", "true or false"),
    ],
)
def test_text_in_a_json_number_or_yes_no_field_is_an_error_naming_the_field(
    tmp_path: Path, field: str, value: str, expected: str
) -> None:
    """JSON numbers are numbers and yes/no is true/false: ``"3"`` and ``"yes"`` were turned
    into 3 and true by the record model's lax conversions, silently."""

    def change(patients: list[dict[str, Any]]) -> None:
        patients[0][field] = value

    outcome = _validate(_registry(tmp_path, change))
    assert outcome.code == 65
    assert f"field {field}" in outcome.stderr and expected in outcome.stderr
