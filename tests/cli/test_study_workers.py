"""``rairtc study`` reads a registry of tables on every core: each pass's chunks are read,
validated and analysed by forked worker processes, and results.json is the one a single
process gives from the registry held in memory, whatever the sample design or the engine."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rairtc.cli.study_input import RegistryChunks
from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.io.registry import load_registry, load_valid_registry, write_registry
from rairtc.study.eligibility import Period
from rairtc.study.in_bulk import BulkTables, bulk_above
from rairtc.study.run import MappedChunks, StudyOptions, run_study, run_study_chunks
from rairtc.synth.registry import synthetic_patients, write_synthetic_parquet

AS_OF = date(2024, 12, 31)
YEAR_2023 = Period(date(2023, 1, 1), date(2023, 12, 31))


def text(results: dict[str, Any]) -> str:
    return json.dumps(results, ensure_ascii=False, indent=1, allow_nan=False)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workers") / "tables"
    write_synthetic_parquet(450, 23, folder)
    return folder


def chunks_of(folder: Path, *, skip_invalid: bool = False) -> RegistryChunks:
    return RegistryChunks(
        folder,
        today=AS_OF,
        lenient=False,
        params=DEFAULT_PARAMETERS,
        skip_invalid=skip_invalid,
        csv=None,
        chunk_size=60,
    )


DESIGNS: dict[str, dict[str, Any]] = {
    "every eligible patient": {},
    "a period": {"period": YEAR_2023},
    "stratified draw": {"sample_size": 120, "seed": 11, "strata": "sex"},
    "Epi Info sample": {"sample_size": "epiinfo", "seed": 3},
    "no sensitivity analysis": {"sensitivity": False},
}


@pytest.mark.parametrize("design", DESIGNS)
def test_two_workers_give_the_results_of_one_process_in_memory(registry: Path, design: str) -> None:
    patients = load_valid_registry(registry, today=AS_OF).patients
    one = StudyOptions(as_of=AS_OF, params=DEFAULT_PARAMETERS, **DESIGNS[design])
    two = StudyOptions(as_of=AS_OF, params=DEFAULT_PARAMETERS, workers=2, **DESIGNS[design])
    chunks = chunks_of(registry)
    assert isinstance(chunks, MappedChunks)
    results = run_study_chunks(chunks, two, input_sha256="registry")
    assert chunks.passes == 2 and chunks.valid_patients == len(patients)
    assert results["flow"]["analysed"] > 50
    assert text(results) == text(run_study(patients, one, input_sha256="registry"))


def test_two_workers_with_the_bulk_engine_give_the_reference_results(registry: Path) -> None:
    patients = load_valid_registry(registry, today=AS_OF).patients
    options = StudyOptions(as_of=AS_OF, params=DEFAULT_PARAMETERS, workers=2)
    results = run_study_chunks(
        chunks_of(registry),
        options,
        input_sha256="registry",
        bulk=bulk_above(BulkTables(registry), 0),
    )
    expected = run_study(
        patients, StudyOptions(as_of=AS_OF, params=DEFAULT_PARAMETERS), input_sha256="registry"
    )
    assert results["refractory_patients"]
    assert text(results) == text(expected)


def test_the_workers_report_every_invalid_patient_and_skip_them(tmp_path: Path) -> None:
    patients = synthetic_patients(200, seed=5)
    broken = [
        p.model_copy(update={"birth_date": date(2030, 1, 1)}) if i % 40 == 0 else p
        for i, p in enumerate(patients)
    ]
    folder = tmp_path / "tables"
    write_registry(broken, folder, parquet=True)
    valid = load_registry(folder, today=AS_OF).patients
    options = StudyOptions(as_of=AS_OF, params=DEFAULT_PARAMETERS, workers=2)
    chunks = chunks_of(folder, skip_invalid=True)
    results = run_study_chunks(chunks, options, input_sha256="registry")
    one = StudyOptions(as_of=AS_OF, params=DEFAULT_PARAMETERS)
    assert chunks.invalid_patients == 5 == len(patients) - len(valid)
    assert {r.patient_id for r in chunks.rejected} == {p.id for p in broken[::40]}
    assert text(results) == text(run_study(valid, one, input_sha256="registry"))
