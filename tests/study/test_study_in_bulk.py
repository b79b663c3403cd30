"""Above the threshold the bulk engine classifies the analysed patients (and each sensitivity
preset) and results.json is the one the reference engine gives: the threshold is lowered
through the parameter, on the bundled examples and a synthetic registry, as Parquet and CSV."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.records import Patient
from rairtc.examples import example_registry_path
from rairtc.io.chunks import load_chunks
from rairtc.io.registry import load_valid_registry, write_registry
from rairtc.study.eligibility import Period
from rairtc.study.in_bulk import BulkTables, bulk_above
from rairtc.study.run import StudyOptions, run_study_chunks
from rairtc.synth.registry import write_synthetic_parquet

EXAMPLES_AS_OF = date(2026, 12, 31)
SYNTHETIC_AS_OF = date(2024, 12, 31)


def chunks_of(folder: Path, today: date) -> Callable[[], Iterator[list[Patient]]]:
    def chunks() -> Iterator[list[Patient]]:
        for loaded in load_chunks(folder, today=today, chunk_size=50):
            assert not loaded.errors
            yield loaded.patients

    return chunks


def text(results: dict[str, Any]) -> str:
    return json.dumps(results, ensure_ascii=False, indent=1, allow_nan=False)


def both_engines(folder: Path, options: StudyOptions) -> tuple[str, str]:
    chunks = chunks_of(folder, options.as_of)
    reference = run_study_chunks(chunks, options, input_sha256="registry")
    bulk = run_study_chunks(
        chunks, options, input_sha256="registry", bulk=bulk_above(BulkTables(folder), 0)
    )
    return text(reference), text(bulk)


@pytest.fixture(scope="module")
def examples_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    patients = load_valid_registry(example_registry_path(), today=EXAMPLES_AS_OF).patients
    root = tmp_path_factory.mktemp("examples")
    write_registry(patients, root / "parquet", parquet=True)
    write_registry(patients, root / "csv")
    return {"parquet": root / "parquet", "csv": root / "csv"}


MAIN_ANALYSES = {
    "parquet": DEFAULT_PARAMETERS,
    "csv": DEFAULT_PARAMETERS.with_(progression_window_months=(12, 16)),  # every preset differs
}


@pytest.mark.parametrize("kind", MAIN_ANALYSES)
def test_the_bundled_examples_classified_in_bulk_give_the_reference_results(
    examples_tables: dict[str, Path], kind: str
) -> None:
    options = StudyOptions(as_of=EXAMPLES_AS_OF, params=MAIN_ANALYSES[kind])
    reference, bulk = both_engines(examples_tables[kind], options)
    results = json.loads(reference)
    assert results["refractory_patients"] and any(s["changed"] for s in results["sensitivity"])
    assert bulk == reference


def test_a_synthetic_registry_and_a_drawn_sample_in_bulk(tmp_path: Path) -> None:
    write_synthetic_parquet(400, 17, tmp_path / "synthetic")
    options = StudyOptions(
        as_of=SYNTHETIC_AS_OF,
        params=DEFAULT_PARAMETERS,
        period=Period(date(2023, 1, 1), date(2023, 12, 31)),
        sample_size=250,
        seed=5,
    )
    reference, bulk = both_engines(tmp_path / "synthetic", options)
    assert json.loads(reference)["flow"]["analysed"] == 250
    assert bulk == reference


def test_at_or_below_the_threshold_the_reference_engine_classifies() -> None:
    patients = load_valid_registry(example_registry_path(), today=EXAMPLES_AS_OF).patients
    options = StudyOptions(as_of=EXAMPLES_AS_OF, params=DEFAULT_PARAMETERS)
    nowhere = BulkTables(Path("/nonexistent/registry"))  # the bulk engine would fail to read it
    results = run_study_chunks(
        lambda: [patients],
        options,
        input_sha256="registry",
        bulk=bulk_above(nowhere, threshold=len(patients)),
    )
    assert results["flow"]["analysed"] <= len(patients)
