"""A second reading of a registry of tables for some patients only (the study's second pass
after a sample is drawn) gives those patients exactly as a whole read gives them, with every
record, whatever the format and the chunk size, and leaves the others out unread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rairtc.io.chunks import load_chunks
from rairtc.io.registry import load_registry, write_registry
from rairtc.synth.registry import synthetic_patients

TODAY = date(2025, 6, 30)


@pytest.fixture(scope="module")
def registries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("only")
    patients = synthetic_patients(120, seed=13)
    paths = {
        "parquet": root / "parquet",
        "csv": root / "csv",
        "duckdb": root / "registry.duckdb",
        "sqlite": root / "registry.sqlite",
    }
    for kind, path in paths.items():
        write_registry(patients, path, parquet=kind == "parquet")
    return paths


@pytest.mark.parametrize("size", [7, 50, 500])
@pytest.mark.parametrize("kind", ["parquet", "csv", "duckdb", "sqlite"])
def test_only_the_chosen_patients_come_out_whole(
    registries: dict[str, Path], kind: str, size: int
) -> None:
    whole = load_registry(registries[kind], today=TODAY).patients
    chosen = {p.id for p in whole[::9]} | {whole[-1].id}
    read = [
        patient
        for loaded in load_chunks(registries[kind], today=TODAY, chunk_size=size, only=chosen)
        for patient in loaded.patients
    ]
    assert read == [p for p in whole if p.id in chosen]
    assert any(p.rai_courses and p.imaging and p.labs for p in read)


def test_nothing_chosen_reads_no_patient(registries: dict[str, Path]) -> None:
    chunks = load_chunks(registries["parquet"], today=TODAY, chunk_size=40, only=())
    assert [len(loaded.patients) for loaded in chunks] == [0, 0, 0]
