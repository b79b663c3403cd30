"""Aggregate outputs: counts by patient fields, cells below --min-cell suppressed."""

from __future__ import annotations

import csv
from pathlib import Path

from rairtc.core.records import Patient
from rairtc.io.aggregate import counts
from tests.cli.runner import invoke
from tests.io.exchange.conftest import EXAMPLE


def test_small_cells_lose_their_count(synthetic: list[Patient]) -> None:
    cells = counts(synthetic, ["sex"], min_cell=1)
    assert sum(c.count or 0 for c in cells) == len(synthetic)
    smallest = min(c.count or 0 for c in cells)
    suppressed = counts(synthetic, ["sex"], min_cell=smallest + 1)
    assert [c.values for c in suppressed] == [c.values for c in cells]
    for before, after in zip(cells, suppressed, strict=True):
        assert after.count == (None if before.count == smallest else before.count)


def test_export_aggregate_writes_counts_and_hides_small_cells(tmp_path: Path) -> None:
    out = tmp_path / "counts.csv"
    outcome = invoke(
        "export", str(EXAMPLE), str(out), "--aggregate", "sex", "--min-cell", "3",
        "--today", "2026-01-01",
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["sex", "n", "suppressed"]
    for row in rows:
        assert (row["n"] == "") == (row["suppressed"] == "true")
        assert row["n"] == "" or int(row["n"]) >= 3


def test_an_unknown_or_identifying_field_cannot_be_counted(tmp_path: Path) -> None:
    outcome = invoke("export", str(EXAMPLE), str(tmp_path / "c.csv"), "--aggregate", "mrn")
    assert outcome.code == 2 and "cannot count by mrn" in outcome.stderr


def test_min_cell_belongs_to_aggregate_outputs(tmp_path: Path) -> None:
    outcome = invoke(
        "export", str(EXAMPLE), str(tmp_path / "x.json"), "--pseudonymise",
        str(tmp_path / "k.txt"), "--min-cell", "5",
    )  # fmt: skip
    assert outcome.code == 2 and "--aggregate" in outcome.stderr
