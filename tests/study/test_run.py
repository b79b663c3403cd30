"""A whole study: the keys of results.json (cli.md), sampling options and the worst cases."""

from __future__ import annotations

import json
from datetime import date

import pytest

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.study.eligibility import Period
from rairtc.study.run import StudyError, StudyOptions, run_study
from tests.builders import course
from tests.study.cohort import refractory, sensitive

AS_OF = date(2024, 12, 31)
YEAR = Period(date(2023, 1, 1), date(2023, 12, 31))


def options(**kw):
    return StudyOptions(as_of=AS_OF, params=DEFAULT_PARAMETERS, period=YEAR, **kw)


def mixed(n_refractory: int = 6, n_sensitive: int = 24):
    patients = [
        refractory(f"R{i:03d}", sex="MF"[i % 2], birth=f"19{50 + i}-02-03")
        for i in range(n_refractory)
    ]
    patients += [
        sensitive(f"S{i:03d}", sex="FM"[i % 3 == 0], birth=f"19{45 + i}-04-05")
        for i in range(n_sensitive)
    ]
    return patients


def test_results_hold_every_key_of_the_contract() -> None:
    results = run_study(mixed(), options(), input_sha256="abc")
    for key in (
        "as_of",
        "rule_set",
        "rule_set_version",
        "parameters",
        "software_version",
        "input_sha256",
        "flow",
        "table1",
        "rair",
        "criteria",
        "status",
        "comparisons",
        "survival",
    ):
        assert key in results
    assert set(results["flow"]) >= {
        "records",
        "eligible",
        "sample_size",
        "sampled",
        "analysed",
        "excluded",
    }
    assert set(results["rair"]) >= {
        "n_refractory",
        "n_analysed",
        "proportion",
        "ci_wilson",
        "ci_exact",
        "ci_fpc",
    }
    assert results["rule_set"] == "study-2023" and results["rule_set_version"] == 1
    assert results["parameters"]["cumulative_threshold_mbq"] == 22200
    assert results["status"] == {
        "refractory": 6,
        "possibly_refractory": 0,
        "not_refractory": 24,
        "insufficient_data": 0,
    }
    assert results["criteria"]["nonavid_lesion"] == {"any": 6, "primary": 6}
    assert (
        sum(c["primary"] for c in results["criteria"].values()) == results["rair"]["n_refractory"]
    )
    json.dumps(results, allow_nan=False)  # plain JSON, no NaN


def test_epi_info_sized_sample_is_reproducible() -> None:
    first = run_study(mixed(), options(sample_size="epiinfo", seed=11), input_sha256="x")
    again = run_study(mixed(), options(sample_size="epiinfo", seed=11), input_sha256="x")
    assert first == again
    assert (
        first["flow"]["sample_size"] == 28
    )  # Epi Info, N = 30, 50 %, 5 %, 97 %: 470.9 / (1 + 470.9 / 30) = 28.2
    assert first["flow"]["analysed"] == 28


def test_a_sample_file_must_name_eligible_patients() -> None:
    with pytest.raises(StudyError, match="NOPE"):
        run_study(mixed(), options(sample_ids=("R000", "NOPE")), input_sha256="x")
    results = run_study(mixed(), options(sample_ids=("R000", "S001")), input_sha256="x")
    assert results["flow"]["analysed"] == 2


def test_a_drawn_sample_needs_a_seed() -> None:
    with pytest.raises(StudyError, match="seed"):
        run_study(mixed(), options(sample_size=10), input_sha256="x")


def test_no_refractory_patient_gives_results_and_notes() -> None:
    results = run_study(mixed(0, 10), options(), input_sha256="x")
    assert results["rair"]["proportion"] == 0.0
    assert all(c.get("p_value") is None for c in results["comparisons"])
    assert results["survival"]["events"] == 0


def test_all_refractory() -> None:
    results = run_study(mixed(8, 0), options(), input_sha256="x")
    assert results["rair"]["proportion"] == 1.0
    assert results["comparisons"][0]["test"] is None


def test_a_single_patient() -> None:
    results = run_study([refractory("only")], options(), input_sha256="x")
    assert results["flow"]["analysed"] == 1
    assert next(r for r in results["table1"] if r["level"] == "sd")["value"] is None


def test_missing_values_in_every_variable_that_can_be_missing() -> None:
    patients = [sensitive(f"S{i}", t=None, n=None, m=None) for i in range(5)] + [
        refractory("R1", t=None, m=None)
    ]
    results = run_study(patients, options(), input_sha256="x")
    stage = [r for r in results["table1"] if r["variable"] == "stage"]
    assert {r["level"]: r["n"] for r in stage}["missing"] == 6
    json.dumps(results, allow_nan=False)


def test_empty_registry() -> None:
    results = run_study([], options(), input_sha256="x")
    assert results["flow"]["analysed"] == 0 and results["rair"]["proportion"] is None


def test_refractory_patients_are_listed_with_their_evidence() -> None:
    results = run_study(mixed(2, 3), options(), input_sha256="x")
    listed = results["refractory_patients"]
    assert [p["patient_id"] for p in listed] == ["R000", "R001"]
    assert listed[0]["criteria"][0]["evidence"][0]["code"] == "evidence.nonavid_finding"


def test_courses_outside_the_period_are_excluded() -> None:
    patients = [sensitive("late", rai_courses=[course("2024-02-05")])]
    assert (
        run_study(patients, options(), input_sha256="x")["flow"]["excluded"]["no_course_in_period"]
        == 1
    )
