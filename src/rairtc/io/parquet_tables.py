"""A folder of Parquet tables with typed columns (dates as ``date32``, booleans, doubles)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.records import Patient
from rairtc.io.cells import Tally
from rairtc.io.folders import unread_files
from rairtc.io.grid import assemble_named, rows_named, typed_table
from rairtc.io.headers import find_tables
from rairtc.io.layout import COLUMNS, Assembled, Table, flatten
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


def _cell_error(error: BaseException) -> str:
    """Why a column could not be read, without the cell's value."""
    if isinstance(error, UnicodeDecodeError):
        return "a text column holds bytes that are not UTF-8"
    if isinstance(error, OverflowError):
        return "a date or number is out of range"
    return type(error).__name__


def read_parquet_folder(folder: FsPath, *, lenient: bool = False) -> Assembled:
    import pyarrow.parquet as pq

    tally = Tally()
    files = {p.stem: p for p in sorted(folder.iterdir()) if p.suffix.lower() == ".parquet"}
    names, problems = find_tables(files, lambda stem: files[stem].name, tally)
    problems += unread_files(folder, [files[stem] for stem in names.values()], "Parquet")
    tables: dict[str, Table] = {}
    for table, stem in names.items():
        path = files[stem]
        try:
            arrow = pq.read_table(path)
        except Exception as error:  # pyarrow raises several types for corrupt files
            raise malformed(path.name, "Parquet", str(error).splitlines()[0]) from None
        columns = arrow.column_names
        try:
            rows = list(zip(*(arrow.column(c).to_pylist() for c in columns), strict=True))
        except (UnicodeDecodeError, OverflowError, ValueError) as error:
            raise malformed(path.name, "Parquet", _cell_error(error)) from None
        tables[table], found = typed_table(
            table,
            path.name,
            columns,
            rows,
            row_text=rows_named(f"{path.name} row"),
            tally=tally,
            lenient=lenient,
        )
        problems += found
    return assemble_named(tables, problems, tally, lenient)
