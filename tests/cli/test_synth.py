"""``rairtc synth``: any size, any format; Parquet is the fast path."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from rairtc.io.registry import load_valid_registry
from tests.cli.runner import invoke


def test_synth_writes_json_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    assert invoke("synth", "--patients", "40", "--seed", "9", "--out", str(out)).code == 0
    assert len(json.loads(out.read_text())) == 40
    assert invoke("validate", str(out), "--today", "2026-01-01").code == 0


def test_synth_parquet_folder_reads_back_the_same_patients(tmp_path: Path) -> None:
    folder, json_file = tmp_path / "pq", tmp_path / "s.json"
    assert (
        invoke("synth", "--patients", "60", "--seed", "9", "--out", str(folder), "--parquet").code
        == 0
    )
    assert invoke("synth", "--patients", "60", "--seed", "9", "--out", str(json_file)).code == 0
    from_parquet = load_valid_registry(folder, today=date(2026, 1, 1)).patients
    from_json = load_valid_registry(json_file, today=date(2026, 1, 1)).patients
    assert [p.id for p in from_parquet] == [p.id for p in from_json]
    assert from_parquet == from_json


def test_zero_patients_is_a_usage_error(tmp_path: Path) -> None:
    assert (
        invoke("synth", "--patients", "0", "--seed", "1", "--out", str(tmp_path / "x.json")).code
        == 2
    )
