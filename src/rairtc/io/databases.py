"""DuckDB and SQLite files holding the tables of ``data-model.md``.

SQLite has no date or boolean type: dates are ISO text and booleans 0/1, which validation
reads back as dates and booleans.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.records import Patient
from rairtc.io.cells import Tally
from rairtc.io.grid import assemble_named, rows_named, typed_table
from rairtc.io.headers import find_tables
from rairtc.io.layout import COLUMNS, Assembled, Table, column_names, flatten
from rairtc.io.malformed import malformed

_DUCK = {"string": "VARCHAR", "date": "DATE", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN"}
_LITE = {"string": "TEXT", "date": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER"}


def _ddl(table: str, types: dict[str, str]) -> str:
    columns = ", ".join(f'"{name}" {types[kind]}' for name, kind, _ in COLUMNS[table])
    return f'CREATE TABLE "{table}" ({columns})'


def write_duckdb(patients: Sequence[Patient], path: FsPath) -> None:
    import duckdb
    import pyarrow as pa

    from rairtc.io.parquet_tables import arrow_schema

    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        for table, rows in flatten(patients).items():
            con.execute(_ddl(table, _DUCK))
            arrow = pa.Table.from_pylist(rows, schema=arrow_schema(table))  # noqa: F841
            con.execute(f'INSERT INTO "{table}" SELECT * FROM arrow')


def _read_tables(con: Any, present: set[str], *, lenient: bool) -> Assembled:
    """Every layout table the database holds (DuckDB and SQLite connections alike)."""
    tally = Tally()
    names, problems = find_tables(present, lambda name: f"table {name}", tally)
    tables: dict[str, Table] = {}
    for table, name in names.items():
        cursor = con.execute(f'SELECT * FROM "{name}"')
        columns = [d[0] for d in cursor.description]
        tables[table], found = typed_table(
            table,
            f"table {name}",
            columns,
            cursor.fetchall(),
            row_text=rows_named(f"table {name} row"),
            tally=tally,
            lenient=lenient,
        )
        problems += found
    return assemble_named(tables, problems, tally, lenient)


def read_duckdb(path: FsPath, *, lenient: bool = False) -> Assembled:
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise malformed(path.name, "DuckDB", str(error).splitlines()[0]) from None
    with con:
        present = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        return _read_tables(con, present, lenient=lenient)


def _lite(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_sqlite(patients: Sequence[Patient], path: FsPath) -> None:
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    try:
        for table, rows in flatten(patients).items():
            names = column_names(table)
            con.execute(_ddl(table, _LITE))
            marks = ", ".join("?" for _ in names)
            con.executemany(
                f'INSERT INTO "{table}" VALUES ({marks})',
                [[_lite(row[n]) for n in names] for row in rows],
            )
        con.commit()
    finally:
        con.close()


def read_sqlite(path: FsPath, *, lenient: bool = False) -> Assembled:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as error:
        raise malformed(path.name, "SQLite", str(error)) from None
    try:
        return _read_tables(con, present, lenient=lenient)
    finally:
        con.close()
