"""``rairtc sample-size``, ``rairtc sample`` and ``rairtc study`` as a user runs them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from rairtc.io.registry import write_registry
from tests.cli.runner import invoke
from tests.study.test_run import mixed


def test_sample_size_json_row() -> None:
    outcome = invoke(
        "sample-size",
        "--population",
        "445",
        "--expected",
        "50",
        "--margin",
        "5",
        "--confidence",
        "97",
        "--format",
        "json",
    )
    assert json.loads(outcome.stdout)["rows"] == [
        {"confidence": 97, "n_per_cluster": 229, "n_total": 229}
    ]


def test_sample_size_table_has_seven_rows() -> None:
    outcome = invoke(
        "sample-size",
        "--population",
        "999999",
        "--expected",
        "50",
        "--margin",
        "5",
        "--format",
        "json",
    )
    assert [r["n_total"] for r in json.loads(outcome.stdout)["rows"]] == [
        164,
        270,
        384,
        471,
        663,
        1082,
        1512,
    ]


def test_sample_size_openepi() -> None:
    outcome = invoke(
        "sample-size",
        "--population",
        "445",
        "--expected",
        "50",
        "--margin",
        "5",
        "--confidence",
        "97",
        "--method",
        "openepi",
        "--format",
        "json",
    )
    assert json.loads(outcome.stdout)["rows"][0]["n_total"] == 230


def test_impossible_sample_size_input_is_a_usage_error() -> None:
    assert invoke("sample-size", "--population", "0", "--expected", "50", "--margin", "5").code == 2


def registry(tmp_path: Path) -> Path:
    path = tmp_path / "registry.json"
    write_registry(mixed(), path)
    return path


def test_sample_writes_the_drawn_ids(tmp_path: Path) -> None:
    out = tmp_path / "sample.csv"
    outcome = invoke(
        "sample",
        str(registry(tmp_path)),
        "--size",
        "epiinfo",
        "--seed",
        "3",
        "--period",
        "2023-01-01:2023-12-31",
        "--out",
        str(out),
        "--as-of",
        "2024-12-31",
    )
    assert outcome.code == 0, outcome.stderr
    ids = [r["patient_id"] for r in csv.DictReader(out.open())]
    assert len(ids) == 28 and ids == sorted(ids)  # Epi Info size for a frame of 30


def test_study_uses_a_sample_file_and_writes_results(tmp_path: Path) -> None:
    path = registry(tmp_path)
    sample = tmp_path / "sample.csv"
    invoke(
        "sample",
        str(path),
        "--size",
        "10",
        "--seed",
        "3",
        "--out",
        str(sample),
        "--as-of",
        "2024-12-31",
    )
    out = tmp_path / "report"
    outcome = invoke(
        "study",
        str(path),
        "--sample",
        str(sample),
        "--out",
        str(out),
        "--as-of",
        "2024-12-31",
        "--format",
        "json",
    )
    assert outcome.code == 0, outcome.stderr
    results = json.loads(outcome.stdout)
    assert results == json.loads((out / "results.json").read_text())
    assert results["flow"]["analysed"] == 10 and results["sampling"]["method"] == "file"
    assert len(results["input_sha256"]) == 64


def test_study_summary_rounds_what_results_keep_exact(tmp_path: Path) -> None:
    outcome = invoke(
        "study", str(registry(tmp_path)), "--out", str(tmp_path / "r"), "--as-of", "2024-12-31"
    )
    assert outcome.code == 0
    assert "Refractory: 6 of 30 = 20.0 %" in outcome.stdout


def test_sample_id_outside_the_frame_is_invalid_input(tmp_path: Path) -> None:
    sample = tmp_path / "s.csv"
    sample.write_text("patient_id\nNOPE\n")
    outcome = invoke(
        "study", str(registry(tmp_path)), "--sample", str(sample), "--out", str(tmp_path / "r")
    )
    assert outcome.code == 65 and "NOPE" in outcome.stderr


def test_bad_period_is_a_usage_error(tmp_path: Path) -> None:
    outcome = invoke("study", str(registry(tmp_path)), "--period", "2023-12-31:2023-01-01")
    assert outcome.code == 2


def test_study_writes_the_whole_report_in_the_chosen_language(tmp_path: Path) -> None:
    out = tmp_path / "r"
    outcome = invoke(
        "study", str(registry(tmp_path)), "--out", str(out), "--as-of", "2024-12-31", "--lang", "kk"
    )
    assert outcome.code == 0, outcome.stderr
    for name in (
        "results.json",
        "report.html",
        "report.pdf",
        "tables.xlsx",
        "figures/kaplan_meier.svg",
        "figures/flow.png",
    ):
        assert (out / name).exists(), name
    assert '<html lang="kk">' in (out / "report.html").read_text(encoding="utf-8")


def test_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    assert invoke("study", str(registry(tmp_path)), "--lang", "de").code == 2
