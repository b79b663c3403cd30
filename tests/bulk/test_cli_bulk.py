"""``rairtc classify --engine bulk``: the same CSV and JSON as the reference engine (evidence
lists empty), ``--explain``, ``--out`` in three formats, and the inputs it accepts."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from rairtc.cli.app import app

EXAMPLES = Path(__file__).parents[2] / "src" / "rairtc" / "examples" / "registry.json"


def run(*args: str) -> str:
    outcome = CliRunner().invoke(app, list(args))
    assert outcome.exit_code == 0, outcome.output
    return outcome.stdout


def folder(tmp_path: Path, kind: str = "parquet") -> Path:
    target = tmp_path / kind
    run("convert", str(EXAMPLES), str(target), *(["--parquet"] if kind == "parquet" else []))
    return target


def test_bulk_csv_is_the_reference_csv_byte_for_byte(tmp_path: Path) -> None:
    source = str(folder(tmp_path))
    common = ("classify", source, "--as-of", "2024-12-31", "--format", "csv")
    assert run(*common, "--engine", "bulk") == run(*common, "--engine", "reference")


def test_bulk_json_is_the_reference_json_without_evidence(tmp_path: Path) -> None:
    source = str(folder(tmp_path, "duckdb.duckdb"))
    common = ("classify", source, "--as-of", "2024-12-31", "--format", "json")
    reference = json.loads(run(*common, "--engine", "reference"))
    for item in reference:
        for criterion in item["criteria"]:
            criterion["evidence"] = []
    assert json.loads(run(*common, "--engine", "bulk")) == reference


def test_explain_fills_the_evidence_of_the_chosen_patient_only(tmp_path: Path) -> None:
    source = str(folder(tmp_path))
    out = json.loads(
        run(
            "classify",
            source,
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
            "--engine",
            "bulk",
            "--explain",
            "KZ-0002",
        )
    )
    evidence = {r["patient_id"]: [len(c["evidence"]) for c in r["criteria"]] for r in out}
    assert evidence["KZ-0002"] and all(n > 0 for n in evidence["KZ-0002"])
    assert all(n == 0 for pid, counts in evidence.items() if pid != "KZ-0002" for n in counts)


def test_out_writes_csv_json_and_parquet_with_the_same_rows(tmp_path: Path) -> None:
    source = str(folder(tmp_path))
    for name in ("r.csv", "r.json", "r.parquet"):
        run(
            "classify",
            source,
            "--as-of",
            "2024-12-31",
            "--engine",
            "bulk",
            "--out",
            str(tmp_path / name),
        )
    table = pq.read_table(tmp_path / "r.parquet")
    items = json.loads((tmp_path / "r.json").read_text())
    lines = (tmp_path / "r.csv").read_text().splitlines()
    assert table.num_rows == len(items) == len(lines) - 1 == 9
    assert table.column("patient_id").to_pylist() == [i["patient_id"] for i in items]


def test_bulk_refuses_a_json_registry_and_says_how_to_convert_it() -> None:
    outcome = CliRunner().invoke(app, ["classify", str(EXAMPLES), "--engine", "bulk"])
    assert outcome.exit_code == 2
    assert "rairtc convert" in outcome.output


def test_auto_keeps_the_reference_engine_for_a_small_registry(tmp_path: Path) -> None:
    source = str(folder(tmp_path))
    out = json.loads(run("classify", source, "--as-of", "2024-12-31", "--format", "json"))
    assert any(c["evidence"] for r in out for c in r["criteria"])  # the reference engine ran


def test_a_postgresql_url_is_classified_in_the_database(postgres_url: str, tmp_path: Path) -> None:
    """``auto`` takes the bulk engine for a database URL (the reference engine cannot read it);
    PostgreSQL has no row order, so rows come by patient id."""
    from rairtc.bulk.load import load_parquet_folder

    source = folder(tmp_path)
    load_parquet_folder(source, postgres_url)
    common = ("--as-of", "2024-12-31", "--format", "csv")
    from_database = run("classify", postgres_url, *common).splitlines()
    reference = run("classify", str(source), *common, "--engine", "reference").splitlines()
    assert from_database[0] == reference[0]
    assert from_database[1:] == sorted(reference[1:])
