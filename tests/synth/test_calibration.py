"""A 10,000-patient registry reproduces the seed's marginals, with refractoriness found by the
classifier in the records. Tolerances are absolute percentage points, sized for n = 10,000
(binomial SD below 0.5 pp for these shares) plus the generator's rounding."""

from __future__ import annotations

from datetime import date

import pytest

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.study.eligibility import Period
from rairtc.study.run import StudyOptions, run_study
from rairtc.synth.registry import synthetic_patients

SEED_N = 229


@pytest.fixture(scope="module")
def results():
    patients = synthetic_patients(10_000, 2024)
    options = StudyOptions(
        as_of=date(2024, 12, 31),
        params=DEFAULT_PARAMETERS.with_(staging_edition=7),
        period=Period(date(2023, 1, 1), date(2023, 12, 31)),
    )
    return run_study(patients, options, input_sha256="calibration")


def share(results, variable: str, level: str) -> float:
    return next(
        r["percent"] for r in results["table1"] if r["variable"] == variable and r["level"] == level
    )


@pytest.mark.parametrize(
    ("variable", "level", "seed_count", "tolerance"),
    [
        ("sex", "female", 164, 2.0),
        ("histology", "papillary", 133, 2.0),
        ("histology", "follicular", 96, 2.0),
        ("stage", "I", 85, 3.0),  # AJCC 7: replication.md
        ("stage", "II", 89, 3.0),
        ("stage", "III", 49, 3.0),
        ("stage", "IV", 6, 1.5),
        ("metastases", "yes", 66, 2.5),
        ("recurrence", "yes", 31, 2.0),
        ("course_number", "1", 161, 2.0),
        ("course_number", "2", 33, 1.5),
        ("course_number", "3", 20, 1.5),
        ("course_number", "4", 8, 1.0),
        ("course_number", "5", 7, 1.0),
    ],
)
def test_table_1_marginals(results, variable, level, seed_count, tolerance) -> None:
    assert share(results, variable, level) == pytest.approx(
        100 * seed_count / SEED_N, abs=tolerance
    )


def test_age_mean_and_range(results) -> None:
    age = {r["level"]: r["value"] for r in results["table1"] if r["variable"] == "age"}
    assert age["mean"] == pytest.approx(49, abs=1.0)
    assert (age["min"], age["max"]) == (18, 80)


def test_refractory_rate_arises_from_the_records(results) -> None:
    assert 100 * results["rair"]["proportion"] == pytest.approx(100 * 22 / SEED_N, abs=1.2)


@pytest.mark.parametrize(
    ("criterion", "seed_count", "tolerance"),
    [
        ("progression_despite_uptake", 18, 5.0),
        ("cumulative_activity", 2, 3.0),
        ("nonavid_lesion", 1, 2.5),
        ("fdg_mismatch", 1, 2.5),
        ("no_uptake", 0, 0.5),
    ],
)
def test_primary_criterion_shares(results, criterion, seed_count, tolerance) -> None:
    refractory = results["rair"]["n_refractory"]
    observed = 100 * results["criteria"][criterion]["primary"] / refractory
    assert observed == pytest.approx(100 * seed_count / 22, abs=tolerance)
