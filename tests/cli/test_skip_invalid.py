"""``--skip-invalid``: a registry with a few bad patients still gives a study of the rest, and
the patients left out are named with their record, field and code."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from rairtc.io.registry import write_registry
from tests.cli.runner import invoke
from tests.study.test_run import mixed


def partly_bad_registry(tmp_path: Path) -> Path:
    """30 patients; R001 has a negative activity and S003 an unknown sex."""
    path = tmp_path / "registry.json"
    write_registry(mixed(), path)
    patients = json.loads(path.read_text())
    by_id = {p["id"]: p for p in patients}
    by_id["R001"]["rai_courses"][0]["activity_mci"] = -5
    by_id["S003"]["sex"] = "X"
    path.write_text(json.dumps(patients), encoding="utf-8")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_without_the_flag_nothing_is_analysed_and_the_message_names_the_flag(
    tmp_path: Path,
) -> None:
    outcome = invoke("study", str(partly_bad_registry(tmp_path)), "--out", str(tmp_path / "r"))
    assert outcome.code == 65
    assert "validation.activity_not_positive" in outcome.stderr
    assert "--skip-invalid" in outcome.stderr
    assert not (tmp_path / "r" / "results.json").exists()


def test_study_runs_on_the_valid_rest_and_counts_the_invalid_in_the_flow(
    tmp_path: Path,
) -> None:
    out = tmp_path / "report"
    outcome = invoke(
        "study",
        str(partly_bad_registry(tmp_path)),
        "--skip-invalid",
        "--out",
        str(out),
        "--as-of",
        "2024-12-31",
        "--format",
        "json",
        "--lang",
        "en",
    )
    assert outcome.code == 0, outcome.stderr
    flow = json.loads(outcome.stdout)["flow"]
    assert flow["records"] == 30 and flow["analysed"] == 28
    assert flow["excluded"]["excluded_invalid_record"] == 2
    rejected = rows(out / "rejected.csv")
    assert {(r["patient_id"], r["field"], r["code"]) for r in rejected} == {
        ("R001", "activity_mci", "validation.activity_not_positive"),
        ("S003", "sex", "validation.field_enum"),
    }
    assert all(r["record"].startswith("$[") for r in rejected)  # JSON path of the record
    assert "left out (--skip-invalid): patient R001" in outcome.stderr
    assert "Invalid record (left out with --skip-invalid)" in (out / "report.html").read_text()


def test_the_report_translates_the_invalid_records_step(tmp_path: Path) -> None:
    out = tmp_path / "report"
    outcome = invoke(
        "study",
        str(partly_bad_registry(tmp_path)),
        "--skip-invalid",
        "--out",
        str(out),
        "--as-of",
        "2024-12-31",
        "--lang",
        "ru",
    )
    assert outcome.code == 0, outcome.stderr
    assert "Запись с ошибками (исключена с --skip-invalid)" in (out / "report.html").read_text()
    assert "исключён (--skip-invalid): пациент R001" in outcome.stderr


def test_classify_leaves_the_invalid_out_and_lists_them(tmp_path: Path) -> None:
    rejected = tmp_path / "out" / "rejected.csv"
    outcome = invoke(
        "classify",
        str(partly_bad_registry(tmp_path)),
        "--skip-invalid",
        "--rejected",
        str(rejected),
        "--as-of",
        "2024-12-31",
        "--format",
        "json",
    )
    assert outcome.code == 0, outcome.stderr
    ids = [r["patient_id"] for r in json.loads(outcome.stdout)]
    assert len(ids) == 28 and "R001" not in ids and "S003" not in ids
    assert {r["patient_id"] for r in rows(rejected)} == {"R001", "S003"}


def test_sample_writes_rejected_beside_its_output(tmp_path: Path) -> None:
    out = tmp_path / "draw" / "sample.csv"
    outcome = invoke(
        "sample",
        str(partly_bad_registry(tmp_path)),
        "--skip-invalid",
        "--size",
        "10",
        "--seed",
        "1",
        "--out",
        str(out),
        "--as-of",
        "2024-12-31",
    )
    assert outcome.code == 0, outcome.stderr
    drawn = {r["patient_id"] for r in rows(out)}
    assert len(drawn) == 10 and not drawn & {"R001", "S003"}
    assert {r["patient_id"] for r in rows(tmp_path / "draw" / "rejected.csv")} == {"R001", "S003"}


@pytest.mark.parametrize("command", ["classify", "sample", "study"])
def test_a_registry_without_any_valid_patient_is_still_refused(
    tmp_path: Path, command: str
) -> None:
    path = tmp_path / "registry.json"
    write_registry(mixed(1, 0), path)
    patients = json.loads(path.read_text())
    patients[0]["sex"] = "X"
    path.write_text(json.dumps(patients), encoding="utf-8")
    extra = ["--size", "1", "--seed", "1", "--out", str(tmp_path / "s.csv")]
    args = [command, str(path), "--skip-invalid", "--rejected", str(tmp_path / "r.csv")]
    if command == "sample":
        args = [command, str(path), "--skip-invalid", *extra]
    elif command == "study":
        args = [command, str(path), "--skip-invalid", "--out", str(tmp_path / "o")]
    outcome = invoke(*args)
    assert outcome.code == 65
    assert "no valid patient" in outcome.stderr
