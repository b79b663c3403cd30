"""``rairtc stage``: the documented examples."""

from __future__ import annotations

import json

from tests.cli.runner import invoke


def test_stage_json_for_an_older_patient_with_central_nodes() -> None:
    outcome = invoke(
        "stage", "--age", "60", "--t", "T2", "--n", "N1a", "--m", "M0", "--format", "json"
    )
    assert json.loads(outcome.stdout) == {"stage": "II", "edition": 8, "reason": None}


def test_stage_cannot_decide_with_mx_and_still_exits_0() -> None:
    outcome = invoke(
        "stage", "--age", "60", "--t", "T2", "--n", "N0", "--m", "MX", "--format", "json"
    )
    assert outcome.code == 0
    assert json.loads(outcome.stdout) == {"stage": None, "edition": 8, "reason": "m_unknown"}


def test_edition_7_uses_extrathyroidal_extension() -> None:
    outcome = invoke(
        "stage",
        "--age",
        "50",
        "--t",
        "T1b",
        "--n",
        "N0",
        "--m",
        "M0",
        "--edition",
        "7",
        "--ete",
        "microscopic",
    )
    assert outcome.stdout.strip() == "III"


def test_edition_7_stage_ivc() -> None:
    assert (
        invoke(
            "stage", "--age", "50", "--t", "T1b", "--n", "N0", "--m", "M1", "--edition", "7"
        ).stdout.strip()
        == "IVC"
    )


def test_unknown_t_is_a_usage_error() -> None:
    outcome = invoke("stage", "--age", "50", "--t", "T5", "--n", "N0", "--m", "M0")
    assert outcome.code == 2 and "T1a" in outcome.stderr
