"""Compare the bulk engine with the reference engine field by field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rairtc.bulk.classify import CSV_COLUMNS
from rairtc.bulk.output import csv_batch
from rairtc.cli.classify_commands import _csv_row
from rairtc.core.parameters import RuleParameters
from rairtc.core.records import Patient
from rairtc.core.rules.classify import classify
from rairtc.core.rules.terms import Criterion


def reference_rows(
    patients: Sequence[Patient], as_of: date, params: RuleParameters
) -> dict[str, dict[str, str]]:
    """The reference engine's CSV row of each patient, plus each listed criterion's
    ``confirmed`` and ``flags`` (JSON fields the CSV leaves out)."""
    rows = {}
    for p in patients:
        result = classify(p, as_of, params).as_dict()
        row = {k: str(v) for k, v in _csv_row(result).items()}
        listed = {c["code"]: c for c in result["criteria"]}
        for c in Criterion:
            item = listed.get(c.value)
            row[f"{c.value}_confirmed"] = "" if item is None else str(item["confirmed"]).lower()
            row[f"{c.value}_flags"] = "" if item is None else ";".join(item["flags"])
        rows[p.id] = row
    return rows


DETAILS = tuple(f"{c.value}_{part}" for c in Criterion for part in ("confirmed", "flags"))


def bulk_rows(table: Any) -> dict[str, dict[str, str]]:
    """The bulk result (a pyarrow table) formatted as the CSV prints it."""
    text = csv_batch(table, (*CSV_COLUMNS, *DETAILS)).to_pylist()
    return {row["patient_id"]: row for row in text}


def differences(
    reference: dict[str, dict[str, str]], bulk: dict[str, dict[str, str]]
) -> list[tuple[str, str, str, str]]:
    """(patient, field, reference value, bulk value) for every disagreement."""
    out = []
    assert set(reference) == set(bulk), "both engines classify the same patients"
    for pid, row in reference.items():
        for field, value in row.items():
            if bulk[pid][field] != value:
                out.append((pid, field, value, bulk[pid][field]))
    return out


def write_parquet(patients: Sequence[Patient], folder: Path) -> Path:
    from rairtc.io.parquet_tables import write_parquet_folder

    folder.mkdir(parents=True, exist_ok=True)
    write_parquet_folder(patients, folder)
    return folder
