"""``rairtc study --engine reference|bulk|auto``: the registry is validated first either way,
the bulk engine classifies only tables it reads as stored, and results.json is the same."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rairtc.examples import example_registry_path
from rairtc.io.registry import load_valid_registry, write_registry
from tests.cli.runner import invoke

AS_OF = "2026-12-31"


@pytest.fixture(scope="module")
def parquet_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    patients = load_valid_registry(example_registry_path(), today=date(2026, 12, 31)).patients
    folder = tmp_path_factory.mktemp("registry") / "tables"
    write_registry(patients, folder, parquet=True)
    return folder


def study(registry: Path, out: Path, *extra: str) -> tuple[dict[str, object], str]:
    outcome = invoke("study", str(registry), "--as-of", AS_OF, "--out", str(out), *extra)
    assert outcome.code == 0, outcome.stderr
    results: dict[str, object] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return results, outcome.stderr


def test_bulk_and_reference_engines_write_the_same_results(
    parquet_registry: Path, tmp_path: Path
) -> None:
    # identified outputs: pseudonyms are keyed afresh on every run
    reference, said = study(
        parquet_registry, tmp_path / "ref", "--engine", "reference", "--identified"
    )
    bulk, told = study(parquet_registry, tmp_path / "bulk", "--engine", "bulk", "--identified")
    assert bulk == reference
    assert reference["refractory_patients"]
    assert "bulk engine" not in said
    assert "with the bulk engine (the registry was validated in full first)" in told


@pytest.mark.parametrize("source", ["--demo", "json"])
def test_the_bulk_engine_needs_tables(source: str, tmp_path: Path) -> None:
    registry = ["--demo"] if source == "--demo" else [str(example_registry_path())]
    outcome = invoke("study", *registry, "--engine", "bulk", "--out", str(tmp_path / "out"))
    assert outcome.code == 2
    assert "--engine bulk reads a folder of Parquet or CSV tables" in outcome.stderr
    assert not (tmp_path / "out").exists()


def test_the_bulk_engine_refuses_tables_the_reader_changed(
    parquet_registry: Path, tmp_path: Path
) -> None:
    outcome = invoke(
        "study",
        str(parquet_registry),
        "--as-of",
        AS_OF,
        "--engine",
        "bulk",
        "--lenient",
        "--out",
        str(tmp_path / "out"),
    )
    assert outcome.code == 2
    assert "as stored" in outcome.stderr and "--engine reference or auto" in outcome.stderr
    assert not (tmp_path / "out").exists()


def test_auto_below_the_threshold_is_the_reference_engine(
    parquet_registry: Path, tmp_path: Path
) -> None:
    outcome = invoke(
        "study",
        str(parquet_registry),
        "--as-of",
        AS_OF,
        "--no-sensitivity",
        "--out",
        str(tmp_path / "out"),
    )
    assert outcome.code == 0
    assert "bulk engine" not in outcome.stderr
