"""The embedded demo registry and `rairtc demo` end to end."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.study.eligibility import Period, eligibility
from rairtc.synth.registry import demo_patients
from tests.cli.runner import invoke


def test_demo_registry_has_445_eligible_patients_and_a_meaningful_flow() -> None:
    patients = demo_patients()
    flow = eligibility(
        patients,
        period=Period(date(2023, 1, 1), date(2023, 12, 31)),
        as_of=date(2024, 12, 31),
        params=DEFAULT_PARAMETERS,
    )
    assert flow.records == 471 and len(flow.eligible) == 445
    assert flow.counts() == {
        "no_course_in_period": 14,
        "histology_missing": 0,
        "histology_not_differentiated": 3,
        "birth_date_missing": 0,
        "age_outside_18_80": 9,
    }


def test_demo_registry_is_fixed() -> None:
    assert [p.model_dump() for p in demo_patients()[:20]] == [
        p.model_dump() for p in demo_patients()[:20]
    ]


def test_rairtc_demo_runs_the_study_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    outcome = invoke("demo", "--out", str(out))
    assert outcome.code == 0, outcome.stderr
    results = json.loads((out / "results.json").read_text())
    assert results["as_of"] == "2024-12-31"
    assert results["flow"]["eligible"] == 445 and results["flow"]["sample_size"] == 229
    assert results["flow"]["analysed"] == 229
    assert results["rair"]["n_refractory"] > 0
    for name in (
        "report.html",
        "report.pdf",
        "tables.xlsx",
        "registry.json",
        "sample.csv",
        "figures/flow.svg",
    ):
        assert (out / name).exists(), name
    assert "Refractory:" in outcome.stdout and "report.html" in outcome.stdout
    sample = (out / "sample.csv").read_text().splitlines()
    assert sample[0] == "patient_id" and len(sample) == 230


def test_demo_input_for_classify() -> None:
    outcome = invoke("classify", "--demo", "--as-of", "2024-12-31", "--format", "json")
    assert len(json.loads(outcome.stdout)) == 471


def test_registry_or_demo_but_not_both(tmp_path: Path) -> None:
    assert invoke("classify").code == 2
