"""From generated column arrays to the registry: Parquet tables (the fast path for millions of
patients) or validated :class:`~rairtc.core.records.Patient` records (read back through the
ordinary table reader, so a synthetic registry is checked exactly like an import)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from rairtc.core.records import Patient
from rairtc.core.validation import validate_registry
from rairtc.io.layout import TABLES, Table, assemble, column_names, locator
from rairtc.io.parquet_tables import arrow_schema


def _python(values: np.ndarray) -> list[Any]:
    if np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[D]").astype(object).tolist()  # type: ignore[no-any-return]
    out = values.tolist()
    return [None if isinstance(v, float) and np.isnan(v) else v for v in out]


def arrow_tables(columns: dict[str, dict[str, np.ndarray]]) -> dict[str, Any]:
    import pyarrow as pa

    out = {}
    for table in TABLES:
        schema = arrow_schema(table)
        data = columns[table]
        size = max((len(v) for v in data.values()), default=0)
        arrays = []
        for field in schema:
            values = data.get(field.name)
            if values is None:
                arrays.append(pa.nulls(size, field.type))
            elif np.issubdtype(values.dtype, np.datetime64):
                arrays.append(pa.array(values.astype("datetime64[D]"), type=field.type))
            else:
                arrays.append(
                    pa.array(
                        values.tolist() if values.dtype == object else values,
                        type=field.type,
                        from_pandas=True,
                    )
                )
        out[table] = pa.Table.from_arrays(arrays, schema=schema)
    return out


def write_parquet(columns: dict[str, dict[str, np.ndarray]], folder: Path) -> None:
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for table, arrow in arrow_tables(columns).items():
        pq.write_table(arrow, folder / f"{table}.parquet")


def to_patients(columns: dict[str, dict[str, np.ndarray]], *, today: date) -> list[Patient]:
    """Validated records, in patient id order; any invalid record is a generator bug."""
    tables = {}
    for table in TABLES:
        names = column_names(table)
        data = columns[table]
        size = max((len(v) for v in data.values()), default=0)
        cols = [_python(data[name]) if name in data else [None] * size for name in names]
        tables[table] = Table(
            names, list(zip(*cols, strict=True)), locator(f"synthetic {table} row {{row}}", table)
        )
    assembled = assemble(tables)
    results = validate_registry(assembled.sources, today=today)
    errors = [problem.line() for r in results for problem in r.problems if problem.is_error]
    if errors or assembled.problems:
        raise AssertionError("the generator wrote invalid records:\n" + "\n".join(errors[:20]))
    return [r.patient for r in results if r.patient is not None]
