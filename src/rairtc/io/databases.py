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
from rairtc.io.grid import TableSet, assemble_set, rows_named, typed_table
from rairtc.io.headers import find_tables, unknown_tables
from rairtc.io.headers import unknown_table as _unknown
from rairtc.io.layout import COLUMNS, TABLES, Assembled, column_names
from rairtc.io.malformed import malformed
from rairtc.io.sinks import TableSink

_DUCK = {"string": "VARCHAR", "date": "DATE", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN"}
_LITE = {"string": "TEXT", "date": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER"}


def _ddl(table: str, types: dict[str, str]) -> str:
    columns = ", ".join(f'"{name}" {types[kind]}' for name, kind, _ in COLUMNS[table])
    return f'CREATE TABLE "{table}" ({columns})'


OFFLINE = {"autoload_known_extensions": False, "autoinstall_known_extensions": False}
"""DuckDB settings for every connection rairtc opens: never download an extension (rairtc
runs offline; a SQLite file named ``.duckdb`` would otherwise fetch ``sqlite_scanner``)."""


def connect_duckdb(path: str, *, read_only: bool = False) -> Any:
    """A DuckDB connection that never loads or installs an extension by itself."""
    import duckdb

    return duckdb.connect(path, read_only=read_only, config=dict(OFFLINE))


def write_duckdb(patients: Sequence[Patient], path: FsPath) -> None:
    sink = DuckdbSink(path)
    sink.add(patients)
    sink.close()


class DuckdbSink(TableSink):
    """Every table created first; each chunk's rows inserted as one Arrow batch."""

    def __init__(self, path: FsPath) -> None:
        super().__init__()
        path.unlink(missing_ok=True)
        self.con = connect_duckdb(str(path))
        for table in TABLES:
            self.con.execute(_ddl(table, _DUCK))

    def rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        from rairtc.io.parquet_tables import arrow_schema

        arrow = pa.Table.from_pylist(rows, schema=arrow_schema(table))  # noqa: F841
        self.con.execute(f'INSERT INTO "{table}" SELECT * FROM arrow')

    def close(self) -> None:
        self.con.close()


_PLAIN = frozenset(
    {"VARCHAR", "DATE", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "DOUBLE", "FLOAT", "BOOLEAN"}
)
"""DuckDB column types whose Arrow values are the Python values ``fetchall`` gives."""


def _plain(con: Any, quoted: str) -> bool:
    probe = con.execute(f'SELECT * FROM "{quoted}" LIMIT 0')
    plain = all(str(d[1]) in _PLAIN for d in probe.description)
    probe.fetchall()
    return plain


def _read_tables(con: Any, present: set[str], *, lenient: bool, columnar: bool = False) -> TableSet:
    """Every layout table the database holds (DuckDB and SQLite connections alike); a table
    or view that names none is reported, never silently skipped. ``columnar`` (DuckDB) keeps
    a table of plain column types as Arrow columns (``rairtc.io.columnar``)."""
    tally = Tally()
    names, problems = find_tables(present, lambda name: f"table {name}", tally)
    problems += unknown_tables(present, lambda name: f"table {name}")
    tables: dict[str, Any] = {}
    for table, name in names.items():
        quoted = name.replace('"', '""')
        if columnar and _plain(con, quoted):
            from rairtc.io.columnar import arrow_table

            read = arrow_table(
                table,
                f"table {name}",
                con.sql(f'SELECT * FROM "{quoted}"').to_arrow_table(),
                row_text=rows_named(f"table {name} row"),
                fmt="DuckDB",
                tally=tally,
                lenient=lenient,
            )
            if read is not None:
                tables[table], found = read
                problems += found
                continue
        cursor = con.execute(f'SELECT * FROM "{quoted}"')
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
    return TableSet(tables, problems, tally)


def _reason(error: BaseException, path: FsPath) -> str:
    """The first line of a driver's message, naming the file by its name only."""
    text = (str(error).splitlines() or [type(error).__name__])[0]
    for spelled in (str(path.resolve()), str(path)):
        text = text.replace(spelled, path.name)
    return text


_SQLITE_MAGIC = b"SQLite format 3\x00"


def read_duckdb(path: FsPath, *, lenient: bool = False) -> Assembled:
    """The tables of the main schema; tables in another schema are reported."""
    return assemble_set(duckdb_table_set(path, lenient=lenient), lenient)


def duckdb_table_set(path: FsPath, *, lenient: bool = False, columnar: bool = False) -> TableSet:
    """The tables of :func:`read_duckdb`, not yet assembled into patients (``columnar``: as
    Arrow columns where the types allow, for :mod:`rairtc.io.chunks`)."""
    import duckdb

    if path.stat().st_size == 0:
        raise malformed(path.name, "DuckDB", "the file is empty")
    with path.open("rb") as head:
        if head.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC:
            raise malformed(path.name, "DuckDB", "it is a SQLite file; name it .sqlite")
    try:
        con = connect_duckdb(str(path), read_only=True)
    except (duckdb.Error, RuntimeError, OSError) as error:
        raise malformed(path.name, "DuckDB", _reason(error, path)) from None
    try:
        with con:
            listed = con.execute(
                "SELECT table_schema, table_name FROM information_schema.tables"
            ).fetchall()
            present = {name for schema, name in listed if schema == "main"}
            elsewhere = sorted((s, n) for s, n in listed if s != "main")
            if columnar:
                con.execute("SET enable_progress_bar = false")
            read = _read_tables(con, present, lenient=lenient, columnar=columnar)
            read.after += [
                _unknown(f"table {schema}.{name}", name, f"it is in schema {schema}, not main")
                for schema, name in elsewhere
            ]
            return read
    except (duckdb.Error, RuntimeError, UnicodeDecodeError, OverflowError, ValueError) as error:
        raise malformed(path.name, "DuckDB", _reason(error, path)) from None


def _lite(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_sqlite(patients: Sequence[Patient], path: FsPath) -> None:
    sink = SqliteSink(path)
    sink.add(patients)
    sink.close()


class SqliteSink(TableSink):
    """Every table created first; each chunk's rows inserted in one transaction, committed
    when the sink closes."""

    def __init__(self, path: FsPath) -> None:
        super().__init__()
        path.unlink(missing_ok=True)
        self.con = sqlite3.connect(path)
        for table in TABLES:
            self.con.execute(_ddl(table, _LITE))

    def rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        names = column_names(table)
        marks = ", ".join("?" for _ in names)
        self.con.executemany(
            f'INSERT INTO "{table}" VALUES ({marks})',
            [[_lite(row[n]) for n in names] for row in rows],
        )

    def close(self) -> None:
        try:
            self.con.commit()
        finally:
            self.con.close()


def _sqlite_uri(path: FsPath) -> str:
    """A read-only URI for a plain path: ``#``, ``?`` and ``%41`` in a file name are the
    file name's own characters, never URI syntax."""
    from urllib.parse import quote

    return f"file:{quote(str(path.resolve()))}?mode=ro"


def read_sqlite(path: FsPath, *, lenient: bool = False) -> Assembled:
    """Tables and views alike: a view named ``labs`` is the labs table."""
    return assemble_set(sqlite_table_set(path, lenient=lenient), lenient)


def sqlite_table_set(path: FsPath, *, lenient: bool = False) -> TableSet:
    """The tables of :func:`read_sqlite`, not yet assembled into patients."""
    if path.stat().st_size == 0:
        raise malformed(path.name, "SQLite", "the file is empty")
    try:
        con = sqlite3.connect(_sqlite_uri(path), uri=True)
    except sqlite3.Error as error:
        raise malformed(path.name, "SQLite", _reason(error, path)) from None
    try:
        con.text_factory = _strict_text
        present = {
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                " AND name NOT LIKE 'sqlite_%'"
            )
        }
        return _read_tables(con, present, lenient=lenient)
    except (sqlite3.Error, UnicodeDecodeError, OverflowError, ValueError) as error:
        raise malformed(path.name, "SQLite", _reason(error, path)) from None
    finally:
        con.close()


def _strict_text(data: bytes) -> str:
    return data.decode("utf-8")
