"""``rairtc convert``: same records in another format; invalid input writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.runner import invoke


def registry(tmp_path: Path, *, broken: bool) -> Path:
    good = {
        "id": "OK1",
        "sex": "M",
        "birth_date": "1970-01-01",
        "diagnosis_date": "2020-01-01",
        "histology": "follicular",
    }
    bad = {**good, "id": "BAD1", "histology": "unknown"}
    path = tmp_path / "in.json"
    path.write_text(json.dumps([good, bad] if broken else [good]))
    return path


def test_convert_writes_the_records_in_the_named_format(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    outcome = invoke(
        "convert", str(registry(tmp_path, broken=False)), str(out), "--today", "2025-01-01"
    )
    assert outcome.code == 0
    assert json.loads(out.read_text().splitlines()[0])["id"] == "OK1"


def test_invalid_input_writes_nothing_and_exits_65(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    outcome = invoke(
        "convert", str(registry(tmp_path, broken=True)), str(out), "--today", "2025-01-01"
    )
    assert outcome.code == 65
    assert not out.exists()
    assert "patient BAD1" in outcome.stderr and "field histology" in outcome.stderr


def test_rejects_file_takes_the_invalid_records(tmp_path: Path) -> None:
    out, rejects = tmp_path / "out.json", tmp_path / "rejects.jsonl"
    outcome = invoke(
        "convert",
        str(registry(tmp_path, broken=True)),
        str(out),
        "--rejects",
        str(rejects),
        "--today",
        "2025-01-01",
    )
    assert outcome.code == 0
    assert [p["id"] for p in json.loads(out.read_text())] == ["OK1"]
    rejected = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [r["patient_id"] for r in rejected] == ["BAD1"]
    assert rejected[0]["problems"][0]["code"] == "validation.field_enum"


def test_parquet_folder_and_back(tmp_path: Path) -> None:
    folder = tmp_path / "pq"
    assert (
        invoke(
            "convert",
            str(registry(tmp_path, broken=False)),
            str(folder),
            "--parquet",
            "--today",
            "2025-01-01",
        ).code
        == 0
    )
    assert (folder / "patients.parquet").exists()
    back = tmp_path / "back.json"
    assert invoke("convert", str(folder), str(back), "--today", "2025-01-01").code == 0
    assert json.loads(back.read_text())[0]["histology"] == "follicular"


def test_unknown_output_format_exits_2(tmp_path: Path) -> None:
    outcome = invoke("convert", str(registry(tmp_path, broken=False)), str(tmp_path / "o.txt"))
    assert outcome.code == 2


def test_version() -> None:
    outcome = invoke("--version")
    assert outcome.code == 0 and outcome.stdout.startswith("rairtc ")
