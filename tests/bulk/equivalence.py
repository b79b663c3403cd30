"""Compare the bulk engine with the reference engine field by field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rairtc.bulk.classify import CSV_COLUMNS
from rairtc.bulk.output import csv_batch
from rairtc.core.parameters import RuleParameters
from rairtc.core.records import Patient
from rairtc.core.rules.classify import classify
from rairtc.core.rules.terms import Criterion
from rairtc.results import csv_row


def reference_rows(
    patients: Sequence[Patient], as_of: date, params: RuleParameters
) -> dict[str, dict[str, str]]:
    """The reference engine's CSV row of each patient, plus each listed criterion's
    ``confirmed`` and ``flags`` (JSON fields the CSV leaves out)."""
    rows = {}
    for p in patients:
        result = classify(p, as_of, params).as_dict()
        row = {k: str(v) for k, v in csv_row(result).items()}
        listed = {c["code"]: c for c in result["criteria"]}
        for c in Criterion:
            item = listed.get(c.value)
            row[f"{c.value}_confirmed"] = "" if item is None else str(item["confirmed"]).lower()
            row[f"{c.value}_flags"] = "" if item is None else ";".join(item["flags"])
        row["ignored_studies"] = ";".join(
            sorted(f"{w['params']['date']}|{w['params']['study']}" for w in result["warnings"])
        )
        rows[p.id] = row
    return rows


DETAILS = (
    *(f"{c.value}_{part}" for c in Criterion for part in ("confirmed", "flags")),
    "ignored_studies",
)


def bulk_rows(table: Any) -> dict[str, dict[str, str]]:
    """The bulk result (a pyarrow table) formatted as the CSV prints it."""
    text = csv_batch(table, (*CSV_COLUMNS, *DETAILS)).to_pylist()
    for row in text:
        row["ignored_studies"] = ";".join(sorted(i for i in row["ignored_studies"].split(";") if i))
    return {row["patient_id"]: row for row in text}


def differences(
    reference: dict[str, dict[str, str]], bulk: dict[str, dict[str, str]]
) -> list[tuple[str, str, str, str]]:
    """(patient, field, reference value, bulk value) for every disagreement: every field is
    compared exactly."""
    assert set(reference) == set(bulk), "both engines classify the same patients"
    return [
        (pid, field, value, bulk[pid][field])
        for pid, row in reference.items()
        for field, value in row.items()
        if bulk[pid][field] != value
    ]


def write_parquet(patients: Sequence[Patient], folder: Path) -> Path:
    from rairtc.io.parquet_tables import write_parquet_folder

    folder.mkdir(parents=True, exist_ok=True)
    write_parquet_folder(patients, folder)
    return folder
