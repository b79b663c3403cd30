"""``rairtc sample`` reads the registry in chunks (bounded memory) and draws exactly the
sample the whole-registry draw gives for the same seed and arguments: reproducibility is a
contract. The reference is :func:`rairtc.study.run.run_sample` over the registry held in
memory, the function the command called before it read in chunks."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from rairtc.cli.study_input import RegistryChunks
from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.examples import example_registry_path
from rairtc.io.registry import load_registry, write_registry
from rairtc.study.eligibility import Period
from rairtc.study.run import StudyOptions, Survey, run_sample, run_sample_chunks
from rairtc.synth.registry import synthetic_patients
from tests.cli.runner import invoke

AS_OF = date(2024, 12, 31)
EXAMPLES_AS_OF = date(2026, 12, 31)


@pytest.fixture(scope="module")
def registries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, date]]:
    root = tmp_path_factory.mktemp("sample")
    patients = synthetic_patients(500, seed=29)
    write_registry(patients, root / "parquet", parquet=True)
    write_registry(patients, root / "csv")
    write_registry(patients, root / "registry.jsonl")
    return {
        "examples (JSON)": (example_registry_path(), EXAMPLES_AS_OF),
        "synthetic Parquet": (root / "parquet", AS_OF),
        "synthetic CSV": (root / "csv", AS_OF),
        "synthetic JSON Lines": (root / "registry.jsonl", AS_OF),
    }


DESIGNS: dict[str, list[str]] = {
    "a number": ["--size", "5", "--seed", "20250630"],
    "Epi Info size": ["--size", "epiinfo", "--seed", "3", "--margin", "10"],
    "stratified by sex": ["--size", "4", "--seed", "7", "--strata", "sex"],
    "a period, stratified by histology": [
        "--size",
        "3",
        "--seed",
        "1",
        "--period",
        "2020-01-01:2023-12-31",
        "--strata",
        "histology",
    ],
}


def options_of(args: list[str], as_of: date) -> StudyOptions:
    given = dict(zip(args[::2], args[1::2], strict=True))
    period = None
    if "--period" in given:
        start, end = given["--period"].split(":")
        period = Period(date.fromisoformat(start), date.fromisoformat(end))
    size = given["--size"]
    return StudyOptions(
        as_of=as_of,
        params=DEFAULT_PARAMETERS,
        period=period,
        sample_size=size if size == "epiinfo" else int(size),
        seed=int(given["--seed"]),
        strata=given.get("--strata"),
        survey=Survey(margin=float(given.get("--margin", 5.0))),
    )


def drawn(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["patient_id"] for row in csv.DictReader(handle)]


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize(
    "kind", ["examples (JSON)", "synthetic Parquet", "synthetic CSV", "synthetic JSON Lines"]
)
def test_the_command_draws_the_sample_of_the_whole_registry(
    registries: dict[str, tuple[Path, date]], kind: str, design: str, tmp_path: Path
) -> None:
    path, as_of = registries[kind]
    args = DESIGNS[design]
    whole = load_registry(path, today=as_of).patients
    expected, frame = run_sample(whole, options_of(args, as_of))
    out = tmp_path / "sample.csv"
    outcome = invoke("sample", str(path), *args, "--as-of", as_of.isoformat(), "--out", str(out))
    assert outcome.code == 0, outcome.stderr
    assert drawn(out) == expected
    assert f"{len(expected)} of {frame} eligible patients drawn" in outcome.stderr


@pytest.mark.parametrize("design", DESIGNS)
def test_small_chunks_on_two_workers_draw_the_same_sample(
    registries: dict[str, tuple[Path, date]], design: str
) -> None:
    path, as_of = registries["synthetic Parquet"]
    options = options_of(DESIGNS[design], as_of)
    expected = run_sample(load_registry(path, today=as_of).patients, options)
    chunks = RegistryChunks(
        path,
        today=as_of,
        lenient=False,
        params=DEFAULT_PARAMETERS,
        skip_invalid=False,
        csv=None,
        chunk_size=37,
    )
    parallel = StudyOptions(**{**vars(options), "workers": 2})
    assert run_sample_chunks(chunks, parallel) == expected
    assert chunks.passes == 1
