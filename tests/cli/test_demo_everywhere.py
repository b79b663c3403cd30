"""Every command that reads a registry accepts ``--demo`` (issue 11): ``explain`` and ``export``
too, with the one positional argument taking the place the registry leaves."""

from __future__ import annotations

import json
from pathlib import Path

from rairtc.synth.registry import demo_patients
from tests.cli.runner import invoke


def test_explain_explains_a_demo_patient() -> None:
    first = demo_patients()[0].id
    outcome = invoke("explain", "--demo", first, "--as-of", "2024-12-31")
    assert outcome.code == 0, outcome.stderr
    assert outcome.stdout.startswith(f"Patient {first} as of 2024-12-31")


def test_explain_names_an_unknown_demo_patient() -> None:
    outcome = invoke("explain", "--demo", "NO-SUCH-ID")
    assert outcome.code == 2
    assert "NO-SUCH-ID" in outcome.stderr


def test_explain_without_an_id_says_how_to_give_it() -> None:
    outcome = invoke("explain", "--demo")
    assert outcome.code == 2
    assert "rairtc explain REGISTRY ID (or --demo ID)" in outcome.stderr


def test_explain_refuses_a_registry_and_demo_together(tmp_path: Path) -> None:
    outcome = invoke("explain", str(tmp_path / "r.json"), "P1", "--demo")
    assert outcome.code == 2


def test_export_pseudonymises_the_demo(tmp_path: Path) -> None:
    out, key = tmp_path / "export.json", tmp_path / "key.json"
    outcome = invoke("export", "--demo", str(out), "--pseudonymise", str(key))
    assert outcome.code == 0, outcome.stderr
    written = json.loads(out.read_text(encoding="utf-8"))
    ids = {p.id for p in demo_patients()}
    assert len(written) == len(ids)
    assert not {p["id"] for p in written} & ids


def test_export_counts_the_demo(tmp_path: Path) -> None:
    out = tmp_path / "counts.csv"
    outcome = invoke("export", "--demo", str(out), "--aggregate", "sex")
    assert outcome.code == 0, outcome.stderr
    assert out.read_text(encoding="utf-8").startswith("sex,")


def test_export_without_an_output_says_how_to_give_it() -> None:
    outcome = invoke("export", "--demo", "--aggregate", "sex")
    assert outcome.code == 2
    assert "rairtc export REGISTRY OUT (or --demo OUT)" in outcome.stderr
