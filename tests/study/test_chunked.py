"""A registry analysed a chunk of patients at a time gives the results.json of the registry
analysed in memory: every key, every number, whatever the chunk size, the sample design or the
number of worker processes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import cache
from typing import Any

import pytest

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.records import Patient
from rairtc.examples import example_registry_path
from rairtc.io.registry import load_valid_registry
from rairtc.study.eligibility import Period, eligibility
from rairtc.study.run import StudyError, StudyOptions, run_study, run_study_chunks
from rairtc.synth.registry import synthetic_patients

EXAMPLES_AS_OF = date(2026, 12, 31)
SYNTHETIC_AS_OF = date(2024, 12, 31)
YEAR_2023 = Period(date(2023, 1, 1), date(2023, 12, 31))


@cache
def examples() -> tuple[Patient, ...]:
    loaded = load_valid_registry(example_registry_path(), today=EXAMPLES_AS_OF)
    return tuple(loaded.patients)


@cache
def synthetic() -> tuple[Patient, ...]:
    return tuple(synthetic_patients(600, seed=41))


def chunked(patients: Sequence[Patient], size: int) -> Callable[[], Iterator[list[Patient]]]:
    def chunks() -> Iterator[list[Patient]]:
        for start in range(0, len(patients), size):
            yield list(patients[start : start + size])

    return chunks


def text(results: dict[str, Any]) -> str:
    return json.dumps(results, ensure_ascii=False, indent=1, allow_nan=False)


def in_memory(patients: Sequence[Patient], options: StudyOptions) -> str:
    return text(run_study(list(patients), options, input_sha256="registry"))


@pytest.mark.parametrize("size", [1, 4, 1000])
def test_the_bundled_examples_in_chunks_give_the_same_results(size: int) -> None:
    options = StudyOptions(as_of=EXAMPLES_AS_OF, params=DEFAULT_PARAMETERS)
    expected = in_memory(examples(), options)
    results = run_study_chunks(chunked(examples(), size), options, input_sha256="registry")
    assert results["sensitivity"][1]["changed"] or results["sensitivity"][3]["changed"]
    assert text(results) == expected


SYNTHETIC_DESIGNS: dict[str, dict[str, Any]] = {
    "every eligible patient": {"period": YEAR_2023},
    "stratified draw": {"period": YEAR_2023, "sample_size": 150, "seed": 11, "strata": "sex"},
    "Epi Info sample": {"sample_size": "epiinfo", "seed": 3},
    "sample file, unconfirmed counted": {
        "sample_ids": "every third eligible patient",
        "params": DEFAULT_PARAMETERS.with_(count_unconfirmed_as_met=True),
    },
    "no sensitivity analysis": {"sensitivity": False},
}


@pytest.mark.parametrize("design", SYNTHETIC_DESIGNS)
def test_a_synthetic_registry_in_chunks_of_37_gives_the_same_results(design: str) -> None:
    settings = {"params": DEFAULT_PARAMETERS, **SYNTHETIC_DESIGNS[design]}
    patients = synthetic()
    if "sample_ids" in settings:
        flow = eligibility(patients, period=None, as_of=SYNTHETIC_AS_OF, params=DEFAULT_PARAMETERS)
        settings["sample_ids"] = tuple(e.patient.id for e in flow.eligible[::3])
    options = StudyOptions(as_of=SYNTHETIC_AS_OF, **settings)
    expected = in_memory(patients, options)
    results = run_study_chunks(chunked(patients, 37), options, input_sha256="registry")
    assert results["flow"]["analysed"] > 100
    assert text(results) == expected


def test_forked_workers_give_the_serial_results() -> None:
    options = StudyOptions(as_of=SYNTHETIC_AS_OF, params=DEFAULT_PARAMETERS)
    parallel = StudyOptions(as_of=SYNTHETIC_AS_OF, params=DEFAULT_PARAMETERS, workers=2)
    expected = in_memory(synthetic(), options)
    # batches of 450 then 150: the first is split over two processes, the second is not
    results = run_study_chunks(
        chunked(synthetic(), 100), parallel, input_sha256="registry", batch_size=450
    )
    assert text(results) == expected


def test_the_registry_is_read_twice_and_the_first_pass_ends_before_any_analysis() -> None:
    events: list[str] = []
    patients = examples()

    def chunks() -> Iterator[list[Patient]]:
        events.append("start")
        for start in range(0, len(patients), 5):
            yield list(patients[start : start + 5])
        events.append("end")

    def progress(items: Iterator[Any], total: int) -> Iterator[Any]:
        for item in items:
            events.append("analyse")
            yield item

    options = StudyOptions(as_of=EXAMPLES_AS_OF, params=DEFAULT_PARAMETERS)
    run_study_chunks(chunks, options, input_sha256="registry", progress=progress)
    assert events[:3] == ["start", "end", "start"]
    assert events[-1] == "end" and events.count("start") == 2
    assert (
        events.count("analyse")
        == run_study(list(patients), options, input_sha256="x")["flow"]["analysed"]
    )


def test_a_sample_id_outside_the_frame_is_refused_after_the_whole_first_pass() -> None:
    read: list[int] = []
    patients = examples()

    def chunks() -> Iterator[list[Patient]]:
        for start in range(0, len(patients), 5):
            read.append(start)
            yield list(patients[start : start + 5])

    options = StudyOptions(
        as_of=EXAMPLES_AS_OF, params=DEFAULT_PARAMETERS, sample_ids=("NOT-A-PATIENT",)
    )
    with pytest.raises(StudyError, match="NOT-A-PATIENT"):
        run_study_chunks(chunks, options, input_sha256="registry")
    assert read == list(range(0, len(patients), 5))
