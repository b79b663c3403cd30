"""A folder of Parquet tables with typed columns (dates as ``date32``, booleans, doubles)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.messages import Problem
from rairtc.core.records import Patient
from rairtc.io.cells import Tally
from rairtc.io.folders import unread_files
from rairtc.io.grid import TableSet, assemble_set, rows_named, typed_table
from rairtc.io.headers import find_tables
from rairtc.io.layout import COLUMNS, TABLES, Assembled, Table
from rairtc.io.malformed import cell_error, malformed
from rairtc.io.sinks import TableSink


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
    sink = ParquetSink(folder)
    sink.add(patients)
    sink.close()


class ParquetSink(TableSink):
    """One Parquet writer a table; each chunk's rows become a row group."""

    def __init__(self, folder: FsPath) -> None:
        import pyarrow.parquet as pq

        super().__init__()
        folder.mkdir(parents=True, exist_ok=True)
        self.writers = {
            table: pq.ParquetWriter(folder / f"{table}.parquet", arrow_schema(table))
            for table in TABLES
        }

    def rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        self.writers[table].write_table(pa.Table.from_pylist(rows, schema=arrow_schema(table)))

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


def parquet_files(folder: FsPath, tally: Tally) -> tuple[dict[str, FsPath], list[Problem]]:
    """table -> its Parquet file, and the problems of the folder's file names."""
    files = {p.stem: p for p in sorted(folder.iterdir()) if p.suffix.lower() == ".parquet"}
    names, problems = find_tables(files, lambda stem: files[stem].name, tally)
    problems += unread_files(folder, [files[stem] for stem in names.values()], "Parquet")
    return {table: files[stem] for table, stem in names.items()}, problems


def read_arrow(path: FsPath) -> Any:
    """One Parquet file as an Arrow table; a corrupt file is malformed (exit 65)."""
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path)
    except Exception as error:  # pyarrow raises several types for corrupt files
        raise malformed(path.name, "Parquet", str(error).splitlines()[0]) from None


def read_parquet_folder(folder: FsPath, *, lenient: bool = False) -> Assembled:
    return assemble_set(parquet_table_set(folder, lenient=lenient), lenient)


def rows_table(
    table: str, path: FsPath, arrow: Any, tally: Tally, lenient: bool
) -> tuple[Table, list[Problem]]:
    """One Parquet table turned into Python rows."""
    columns = arrow.column_names
    try:
        rows = list(zip(*(arrow.column(c).to_pylist() for c in columns), strict=True))
    except (UnicodeDecodeError, OverflowError, ValueError) as error:
        raise malformed(path.name, "Parquet", cell_error(error)) from None
    return typed_table(
        table,
        path.name,
        columns,
        rows,
        row_text=rows_named(f"{path.name} row"),
        tally=tally,
        lenient=lenient,
    )


def parquet_table_set(folder: FsPath, *, lenient: bool = False) -> TableSet:
    """Every table as Python rows (the reference reader; ``rairtc.io.columnar`` keeps them
    as Arrow columns)."""
    tally = Tally()
    paths, problems = parquet_files(folder, tally)
    tables: dict[str, Table] = {}
    for table, path in paths.items():
        tables[table], found = rows_table(table, path, read_arrow(path), tally, lenient)
        problems += found
    return TableSet(tables, problems, tally)
