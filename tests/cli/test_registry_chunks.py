"""``rairtc validate`` and ``rairtc convert`` read a registry in chunks (rairtc.io.chunks):
what they print, exit with and write does not depend on the chunk size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rairtc.cli import registry_commands
from rairtc.io import chunks
from tests.cli.runner import Outcome, invoke

GOOD = {
    "id": "OK1",
    "sex": "M",
    "birth_date": "1970-01-01",
    "diagnosis_date": "2020-01-01",
    "histology": "follicular",
}


def registry(tmp_path: Path) -> Path:
    """Three patients in CSV tables: a valid one, one whose id the third shares, a lab row
    of nobody, and a histology no one has."""
    folder = tmp_path / "tables"
    folder.mkdir()
    rows = [
        {**GOOD},
        {**GOOD, "id": "TWIN"},
        {**GOOD, "id": "BAD1", "histology": "unknown"},
        {**GOOD, "id": "TWIN", "sex": "F"},
        {**GOOD, "id": "OK2"},
    ]
    header = list(GOOD)
    lines = [",".join(header)] + [",".join(str(r[c]) for c in header) for r in rows]
    (folder / "patients.csv").write_text("\n".join(lines) + "\n")
    labs = "patient_id,date,test,value,unit\nNOBODY,2021-01-01,tg,1.0,ng/mL\nOK2,2021-01-01,tg,2.0,ng/mL\n"
    (folder / "labs.csv").write_text(labs)
    return folder


def run(monkeypatch: pytest.MonkeyPatch, size: int, *args: str) -> Outcome:
    monkeypatch.setattr(chunks, "DEFAULT_CHUNK_SIZE", size)
    return invoke(*args)


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("workers", [False, True], ids=["one-process", "two-workers"])
def test_validate_says_the_same_whatever_the_chunk_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, workers: bool
) -> None:
    args = ("validate", str(registry(tmp_path)), "--today", "2025-01-01", "--format", fmt)
    whole = run(monkeypatch, 1000, *args)
    if workers:  # two worker processes however small the registry
        monkeypatch.setattr(registry_commands, "WORKERS_FROM", 0)
    one_by_one = run(monkeypatch, 1, *args)
    assert whole.code == one_by_one.code == 65
    assert (whole.stdout, whole.stderr) == (one_by_one.stdout, one_by_one.stderr)
    assert "validation.id_duplicate" in whole.stderr
    assert "validation.unknown_patient" in whole.stderr


def test_convert_refuses_an_error_in_the_last_chunk_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = registry(tmp_path)
    out = tmp_path / "out"
    outcome = run(monkeypatch, 1, "convert", str(source), str(out), "--today", "2025-01-01")
    assert outcome.code == 65
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]  # no output, no temporary
    assert "patient BAD1" in outcome.stderr


@pytest.mark.parametrize("name", ["out.json", "out.xlsx", "out.sqlite", "out"])
def test_convert_with_rejects_writes_the_same_whatever_the_chunk_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    source = registry(tmp_path)
    outcomes, written = [], []
    for size in (1000, 1, 2):
        place = tmp_path / f"size-{size}"
        place.mkdir()
        outcome = run(
            monkeypatch,
            size,
            "convert",
            str(source),
            str(place / name),
            "--rejects",
            str(place / "rejects.jsonl"),
            "--today",
            "2025-01-01",
        )
        assert outcome.code == 0
        outcomes.append(outcome.stderr.replace(str(place), "PLACE"))
        back = run(monkeypatch, 1000, "convert", str(place / name), str(place / "back.json"))
        assert back.code == 0
        rejects = (place / "rejects.jsonl").read_text().splitlines()
        written.append((json.loads((place / "back.json").read_text()), rejects))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    assert written[0] == written[1] == written[2]
    patients, rejects = written[0]
    assert [p["id"] for p in patients] == ["OK1", "OK2"]
    assert [json.loads(line)["patient_id"] for line in rejects] == ["TWIN", "BAD1", "TWIN", None]
