"""Writing the bulk result: CSV, JSON or Parquet, streamed batch by batch.

Only one batch of patients is in Python memory at a time. The CSV is byte-for-byte the
reference engine's ``classify --format csv`` (same columns, ``true``/``false``, empty cells
for unknown, mCi printed as Python prints a float, CRLF line ends as Python's csv module
writes). The JSON is ``classify --format json`` with every evidence list empty (``cli.md``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from rairtc.core.rules.terms import Criterion

FORMATS = ("csv", "json", "parquet")


def _text(column: pa.ChunkedArray | pa.Array, name: str) -> pa.Array:
    """One column as the reference CSV prints it ('' for unknown). ``pyarrow.compute`` is
    imported here: only the CSV needs it, and it costs the other outputs 0.03 s at start."""
    import pyarrow.compute as pc

    kind = column.type
    if name == "cumulative_activity_mci":
        values = [None if v is None else repr(float(v)) for v in column.to_pylist()]
        return pa.array(values, pa.string())
    if pa.types.is_boolean(kind):
        text = pc.if_else(column, "true", "false")
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = column
    else:
        text = pc.cast(column, pa.string())
    return pc.fill_null(text, "")


def csv_batch(batch: pa.RecordBatch, columns: tuple[str, ...]) -> pa.Table:
    return pa.table({name: _text(batch.column(name), name) for name in columns})


def write_csv(
    batches: Iterator[pa.RecordBatch],
    out: IO[bytes],
    columns: tuple[str, ...],
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """The header and one row per patient, quoted as Python's csv module quotes (the module
    the reference engine writes with)."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(columns)
    count = 0
    for batch in batches:
        table = csv_batch(batch, columns)
        writer.writerows(zip(*(table.column(c).to_pylist() for c in columns), strict=True))
        count += batch.num_rows
        progress(batch.num_rows)
    text.flush()
    text.detach()
    return count


def warnings(row: dict[str, Any], max_days: int) -> list[dict[str, Any]]:
    """The reference engine's warnings: each ignored post-therapy study, by date and modality."""
    from rairtc.core.codes import Modality
    from rairtc.core.rules.evidence import Evidence

    order = {m.value: i for i, m in enumerate(Modality)}
    studies = [item.split("|") for item in (row.get("ignored_studies") or "").split(";") if item]
    studies.sort(key=lambda s: (s[0], order[s[1]]))
    return [
        Evidence(
            "warning.post_therapy_study_ignored",
            {"study": modality, "date": day, "max_days": max_days},
        ).as_dict()
        for day, modality in studies
    ]


def json_object(row: dict[str, Any], max_days: int = 14) -> dict[str, Any]:
    """The reference JSON object of one patient, evidence left empty."""
    listed = [c for c in row["criteria"].split(";") if c] if row["criteria"] else []
    criteria = [
        {
            "code": code,
            "date": row[f"{code}_date"].isoformat(),
            "confirmed": bool(row[f"{code}_confirmed"]),
            "flags": [f for f in (row[f"{code}_flags"] or "").split(";") if f],
            "evidence": [],
        }
        for code in listed
    ]
    not_evaluable = [
        {"code": code, "reason": reason}
        for code, _, reason in (
            item.partition(":") for item in (row["not_evaluable"] or "").split(";") if item
        )
    ]
    return {
        "patient_id": row["patient_id"],
        "status": row["status"],
        "rair": bool(row["rair"]),
        "onset_date": None if row["onset_date"] is None else row["onset_date"].isoformat(),
        "primary_criterion": row["primary_criterion"],
        "criteria": criteria,
        "not_evaluable": not_evaluable,
        "cumulative_activity_mci": row["cumulative_activity_mci"],
        "follow_up_months": row["follow_up_months"],
        "stage": row["stage"],
        "stage_reason": row["stage_reason"],
        "ata_risk": row["ata_risk"],
        "risk_flags": [f for f in row["risk_flags"].split(";") if f],
        "response": row["response"],
        "response_reason": row["response_reason"],
        "response_flags": [f for f in row["response_flags"].split(";") if f],
        "warnings": warnings(row, max_days),
    }


def write_json(
    batches: Iterator[pa.RecordBatch],
    out: IO[bytes],
    progress: Callable[[int], None] = lambda n: None,
    replace: dict[str, dict[str, Any]] | None = None,
    max_days: int = 14,
) -> int:
    """A JSON list written object by object (``indent=1`` as the reference engine).

    ``replace`` maps patient ids to the reference engine's objects (``--explain``)."""
    out.write(b"[")
    count = 0
    chosen = replace or {}
    for batch in batches:
        for row in batch.to_pylist():
            item = chosen.get(row["patient_id"]) or json_object(row, max_days)
            text = json.dumps(item, ensure_ascii=False, indent=1)
            out.write((("\n" if count == 0 else ",\n") + _indent(text)).encode())
            count += 1
        progress(batch.num_rows)
    out.write(b"\n]\n" if count else b"]\n")
    return count


def _indent(text: str) -> str:
    return "\n".join(" " + line for line in text.split("\n"))


def write_parquet(
    batches: Iterator[pa.RecordBatch],
    path: Path,
    columns: tuple[str, ...],
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """The batches as one Parquet file. A second thread encodes and writes each batch while
    the backend produces the next one (both release the GIL), so the file's encoding is not
    added to the query's time; at most two batches are in memory."""
    from concurrent.futures import Future, ThreadPoolExecutor

    writer: pq.ParquetWriter | None = None
    pending: tuple[Future[None], int] | None = None
    count = 0

    def settle() -> None:
        nonlocal pending
        if pending is not None:
            future, rows = pending
            pending = None
            future.result()
            progress(rows)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rairtc-parquet") as pool:
        try:
            for batch in batches:
                table = pa.table({name: batch.column(name) for name in columns})
                if writer is None:
                    writer = pq.ParquetWriter(
                        str(path), table.schema, use_dictionary=_dictionary_columns(columns)
                    )
                settle()
                pending = (pool.submit(writer.write_table, table), batch.num_rows)
                count += batch.num_rows
            settle()
        finally:
            if pending is not None:
                pending[0].exception()  # wait for it before the file is closed
            if writer is not None:
                writer.close()
    return count


UNIQUE_COLUMNS = ("patient_id",)
"""Columns with one value per patient: dictionary-encoding them only builds a dictionary as
long as the column, which Parquet then abandons (0.05 s of the 0.35 s it took to encode a million
patients); every other column repeats a few codes or dates and keeps its dictionary."""


def _dictionary_columns(columns: tuple[str, ...]) -> list[str]:
    return [c for c in columns if c not in UNIQUE_COLUMNS]


CRITERION_CODES = tuple(c.value for c in Criterion)
