"""``rairtc classify``: the published cases give exactly paper-cases.expected.json."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from rairtc.io.registry import load_valid_registry, write_registry
from tests.cli.runner import invoke


def expected(fixtures: Path) -> list[dict]:
    return json.loads((fixtures / "paper-cases.expected.json").read_text())["patients"]


def classify_json(path: Path, *extra: str) -> dict[str, dict]:
    outcome = invoke("classify", str(path), "--as-of", "2024-12-31", "--format", "json", *extra)
    assert outcome.code == 0, outcome.stderr
    return {r["patient_id"]: r for r in json.loads(outcome.stdout)}


def comparable(result: dict, keys) -> dict:
    out = {}
    for key in keys:
        value = result[key]
        if key == "criteria":
            value = [{k: c[k] for k in ("code", "date", "confirmed", "flags")} for c in value]
        if key == "not_evaluable":
            value = [n["code"] for n in value]
        out[key] = value
    return out


@pytest.mark.parametrize(
    "case",
    [
        "case-G",
        "case-I",
        "case-600-follicular",
        "case-600-papillary",
        "case-progression",
        "case-sensitive",
    ],
)
def test_published_case_classifies_as_expected(fixtures: Path, case: str) -> None:
    want = next(e for e in expected(fixtures) if e["patient_id"] == case)
    got = classify_json(fixtures / "paper-cases.json")[case]
    assert comparable(got, [k for k in want if k != "patient_id"]) == {
        k: v for k, v in want.items() if k != "patient_id"
    }
    assert got["rair"] is (got["status"] == "refractory")


@pytest.mark.parametrize("name", ["r.jsonl", "r.xlsx", "r.duckdb", "r.sqlite", "tables"])
def test_every_input_format_gives_the_same_classification(
    fixtures: Path, tmp_path: Path, name: str
) -> None:
    patients = load_valid_registry(fixtures / "paper-cases.json", today=date(2025, 1, 1)).patients
    write_registry(patients, tmp_path / name)
    reference = classify_json(fixtures / "paper-cases.json")
    other = classify_json(tmp_path / name)
    assert {
        k: comparable(
            v, ["status", "onset_date", "primary_criterion", "criteria", "stage", "ata_risk"]
        )
        for k, v in other.items()
    } == {
        k: comparable(
            v, ["status", "onset_date", "primary_criterion", "criteria", "stage", "ata_risk"]
        )
        for k, v in reference.items()
    }


def test_json_output_keeps_input_order(fixtures: Path) -> None:
    outcome = invoke(
        "classify", str(fixtures / "paper-cases.json"), "--as-of", "2024-12-31", "--format", "json"
    )
    ids = [r["patient_id"] for r in json.loads(outcome.stdout)]
    assert ids == [p["id"] for p in json.loads((fixtures / "paper-cases.json").read_text())]


def test_csv_output_has_one_row_per_patient_with_criterion_dates(fixtures: Path) -> None:
    outcome = invoke(
        "classify", str(fixtures / "paper-cases.json"), "--as-of", "2024-12-31", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(outcome.stdout)))
    g = next(r for r in rows if r["patient_id"] == "case-G")
    assert g["criteria"] == "nonavid_lesion;fdg_mismatch"
    assert g["fdg_mismatch_date"] == "2022-12-07" and g["no_uptake_date"] == ""
    assert g["rair"] == "true" and g["stage_reason"] == ""
    assert len(rows) == 6


def test_table_output_names_every_patient(fixtures: Path) -> None:
    outcome = invoke("classify", str(fixtures / "paper-cases.json"), "--as-of", "2024-12-31")
    assert outcome.code == 0
    assert "case-sensitive" in outcome.stdout and "not_refractory" in outcome.stdout


def write_params(tmp_path: Path, text: str) -> str:
    path = tmp_path / "p.toml"
    path.write_text(text)
    return str(path)


def test_ignoring_thyroid_bed_uptake_makes_case_i_primary_no_uptake(
    fixtures: Path, tmp_path: Path
) -> None:
    got = classify_json(
        fixtures / "paper-cases.json",
        "--params",
        write_params(tmp_path, "c1_ignore_thyroid_bed_uptake = true\n"),
    )
    assert got["case-I"]["primary_criterion"] == "no_uptake"


def test_98_day_fdg_window_removes_case_g_mismatch(fixtures: Path, tmp_path: Path) -> None:
    got = classify_json(
        fixtures / "paper-cases.json",
        "--params",
        write_params(tmp_path, "fdg_mismatch_max_days = 98\n"),
    )
    assert got["case-G"]["primary_criterion"] == "nonavid_lesion"
    assert "fdg_mismatch" not in [c["code"] for c in got["case-G"]["criteria"]]


def test_literal_preset_keeps_the_progression_case(fixtures: Path, tmp_path: Path) -> None:
    got = classify_json(
        fixtures / "paper-cases.json",
        "--params",
        write_params(tmp_path, 'preset = "literal_12_16"\n'),
    )
    assert got["case-progression"]["primary_criterion"] == "progression_despite_uptake"


def test_unknown_parameter_is_a_usage_error_naming_the_allowed_keys(
    fixtures: Path, tmp_path: Path
) -> None:
    outcome = invoke(
        "classify",
        str(fixtures / "paper-cases.json"),
        "--params",
        write_params(tmp_path, "fdg_window = 98\n"),
    )
    assert outcome.code == 2
    assert "fdg_window" in outcome.stderr and "fdg_mismatch_max_days" in outcome.stderr


def test_as_of_ignores_later_records(fixtures: Path) -> None:
    outcome = invoke(
        "classify", str(fixtures / "paper-cases.json"), "--as-of", "2022-12-31", "--format", "json"
    )
    got = {r["patient_id"]: r for r in json.loads(outcome.stdout)}
    assert got["case-I"]["status"] == "insufficient_data"  # no course yet
    assert got["case-G"]["primary_criterion"] == "fdg_mismatch"
    assert got["case-G"]["cumulative_activity_mci"] == 205.0


def test_invalid_registry_exits_65(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"id": "X", "sex": "Q"}))
    assert invoke("classify", str(path)).code == 65
