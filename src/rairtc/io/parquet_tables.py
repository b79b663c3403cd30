"""A folder of Parquet tables with typed columns (dates as ``date32``, booleans, doubles)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.records import Patient
from rairtc.io.layout import COLUMNS, TABLES, Assembled, Table, assemble, flatten, locator
from rairtc.io.malformed import malformed


def arrow_schema(table: str) -> Any:
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "date": pa.date32(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
    }
    return pa.schema([(name, types[kind]) for name, kind, _ in COLUMNS[table]])


def write_parquet_folder(patients: Sequence[Patient], folder: FsPath) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in flatten(patients).items():
        schema = arrow_schema(table)
        arrow = pa.Table.from_pylist(rows, schema=schema)
        pq.write_table(arrow, folder / f"{table}.parquet")


def read_parquet_folder(folder: FsPath, *, lenient: bool = False) -> Assembled:
    import pyarrow.parquet as pq

    tables: dict[str, Table] = {}
    for table in TABLES:
        path = folder / f"{table}.parquet"
        if not path.exists():
            continue
        try:
            arrow = pq.read_table(path)
        except Exception as error:  # pyarrow raises several types for corrupt files
            raise malformed(path.name, "Parquet", str(error).splitlines()[0]) from None
        columns = arrow.column_names
        rows = [tuple(r[c] for c in columns) for r in arrow.to_pylist()]
        tables[table] = Table(columns, rows, locator(path.name + " row {row}", path.name))
    return assemble(tables, lenient=lenient)
