"""``rairtc study --pseudonym-key FILE`` and ``--identified``: one set of identifiers for
every output, the key written only when asked."""

from __future__ import annotations

import json
from pathlib import Path

from rairtc.report.pseudonyms import keyed_pseudonym
from tests.cli.runner import invoke
from tests.cli.test_study_commands import registry


def run(tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "r"
    outcome = invoke(
        "study", str(registry(tmp_path)), "--out", str(out), "--as-of", "2024-12-31", *extra
    )
    assert outcome.code == 0, outcome.stderr
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_the_key_is_written_only_when_asked_and_reused_when_present(tmp_path: Path) -> None:
    key_file = tmp_path / "keys" / "pseudonym.key"
    first = run(tmp_path, "--pseudonym-key", str(key_file))
    key = bytes.fromhex(key_file.read_text().strip())
    assert oct(key_file.stat().st_mode)[-3:] == "600"
    ids = [p["patient_id"] for p in first["refractory_patients"]]
    assert ids == [keyed_pseudonym(f"R{i:03d}", key) for i in range(6)]
    again = run(tmp_path, "--pseudonym-key", str(key_file))
    assert [p["patient_id"] for p in again["refractory_patients"]] == ids
    assert first["identifiers"]["mode"] == "pseudonymised"
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert all(f"<strong>{pid}</strong>" in html for pid in ids)


def test_without_a_key_file_no_key_is_stored_and_no_registry_id_is_written(tmp_path: Path) -> None:
    results = run(tmp_path)
    assert all(p["patient_id"].startswith("P-") for p in results["refractory_patients"])
    assert not list(tmp_path.glob("**/*.key"))
    text = (tmp_path / "r" / "results.json").read_text(encoding="utf-8")
    assert '"R000"' not in text


def test_identified_outputs_keep_registry_ids_and_say_so(tmp_path: Path) -> None:
    results = run(tmp_path, "--identified")
    assert results["identifiers"]["mode"] == "identified"
    assert results["refractory_patients"][0]["patient_id"] == "R000"
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "Contains identifiers" in html and "<strong>R000</strong>" in html
