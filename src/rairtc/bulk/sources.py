"""The registry tables as typed Ibis tables, on DuckDB, PostgreSQL or Spark.

Every table of ``data-model.md`` is presented with every column of the layout and its type
(a column or table the input lacks is read as all-unknown), so that the rules never depend on
how a source spells an optional field. Records dated after ``as_of`` are cut here, once.

Input order: DuckDB keeps the patients' input order (``_ord``: the Parquet file row number,
the CSV line, the DuckDB ``rowid``). PostgreSQL and Spark tables have no row order; there the
output is ordered by patient id (a per-backend difference, documented in docs/bulk.md).

Row identity: where the backend gives each stored row a number for free, the imaging and
findings tables carry it as ``_row`` (DuckDB: the Parquet file row number, the CSV line, the
``rowid``), and the timeline uses it to tell studies and findings apart instead of numbering
them with a window over the whole table, which DuckDB runs on one thread (and Spark in one
partition). PostgreSQL has no such number; the timeline numbers its rows itself.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from rairtc.bulk.background import Background
from rairtc.core.errors import InputUnavailable, UsageError
from rairtc.i18n import translate
from rairtc.io.layout import COLUMNS, TABLES

IBIS_TYPES = {
    "string": "string",
    "date": "date",
    "int": "int64",
    "float": "float64",
    "bool": "boolean",
}
DATED = ("surgeries", "rai_courses", "imaging", "labs", "mdt")
NUMBERED = ("imaging", "findings")  # tables whose rows carry ``_row`` where the backend has one
POSITIONS = ("_ord", "_row")  # input order and row identity: not columns of the layout
BACKENDS = ("duckdb", "postgres", "spark")


@dataclass(frozen=True)
class Registry:
    """The typed tables of one registry on one backend, cut at ``as_of``."""

    backend: Any  # the Ibis backend (connection)
    name: str  # duckdb, postgres or spark
    as_of: date
    tables: dict[str, ir.Table]
    ordered: bool  # patients carry their input order in ``_ord``
    background: Background | None = None  # DuckDB: the timeline's tables, filled meanwhile

    def __getitem__(self, table: str) -> ir.Table:
        return self.tables[table]

    def settle(self) -> None:
        """Wait for the tables filled in the background; call before executing the plan."""
        if self.background is not None:
            self.background.settle()

    def close(self) -> None:
        """Close the connection this module opened (DuckDB: the in-memory database, its
        timeline tables and its spill files go with it; PostgreSQL: the session). A Spark
        session is left running: the caller may have passed it in, and stopping it is theirs.
        Tables still being filled in the background are abandoned first."""
        if self.background is not None:
            self.background.abandon()
        if self.name != "spark":
            self.backend.disconnect()


def is_database_url(text: str) -> bool:
    return text.startswith(("postgresql://", "postgres://"))


def _typed(raw: ir.Table | None, table: str, *, strings: bool) -> ir.Table:
    """Every layout column with its type; absent columns (or tables) read as unknown."""
    columns = COLUMNS[table]
    if raw is None:
        schema = ibis.schema({name: IBIS_TYPES[kind] for name, kind, _ in columns})
        return ibis.memtable(
            {name: [] for name, _, _ in columns}, schema=schema
        )  # an absent table holds no rows
    present = set(raw.columns)
    values: dict[str, ir.Value] = {}
    for name, kind, _ in columns:
        target = IBIS_TYPES[kind]
        if name not in present:
            values[name] = ibis.null(target)
            continue
        column = raw[name]
        if strings and kind == "bool":
            folded = column.lower()
            values[name] = ibis.cases(
                (folded.isin(("true", "1", "yes")), True),
                (folded.isin(("false", "0", "no")), False),
                else_=ibis.null("boolean"),
            )
        elif strings and kind != "string":
            values[name] = column.nullif("").cast(target)
        elif str(column.type()).rstrip("!") != target:
            values[name] = column.cast(target)
        else:
            values[name] = column
    for position in POSITIONS:
        if position in present:
            values[position] = raw[position].cast("int64")
    return raw.select(**values)


def _cut(tables: dict[str, ir.Table], as_of: date) -> dict[str, ir.Table]:
    out = dict(tables)
    for table in DATED:
        out[table] = tables[table].filter(tables[table].date <= ibis.literal(as_of))
    return out


MEMORY_FRACTION = 0.5
"""The bulk engine's DuckDB may use this share of the memory available when it starts (at
least :data:`MEMORY_FLOOR_BYTES`); beyond it, joins, aggregates, sorts and the timeline tables
spill to :func:`spill_directory`. ``RAIRTC_BULK_MEMORY_LIMIT`` (a DuckDB size, e.g. ``8GB``)
overrides it."""
MEMORY_FLOOR_BYTES = 1 << 30


def available_memory() -> int | None:
    """Bytes of memory available to a new process (Linux ``MemAvailable``; elsewhere the free
    physical pages), or None when the system does not say."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, OSError, ValueError):
        return None


def memory_limit() -> str | None:
    """DuckDB's ``memory_limit`` for the bulk engine (None: DuckDB's own default, 80 % of RAM)."""
    given = os.environ.get("RAIRTC_BULK_MEMORY_LIMIT", "").strip()
    if given:
        return given
    available = available_memory()
    if available is None:
        return None
    return f"{max(int(available * MEMORY_FRACTION), MEMORY_FLOOR_BYTES) // (1 << 20)}MiB"


def spill_directory() -> Path:
    """Where DuckDB spills (``RAIRTC_BULK_TEMP_DIRECTORY``, else ``rairtc-bulk-<pid>`` in the
    system's temporary folder). DuckDB creates it only when it spills and deletes its files
    when the connection closes; never the current folder (DuckDB's default, ``.tmp``)."""
    given = os.environ.get("RAIRTC_BULK_TEMP_DIRECTORY", "").strip()
    if given:
        return Path(given)
    return Path(tempfile.gettempdir()) / f"rairtc-bulk-{os.getpid()}"


def _duckdb_memory() -> Any:
    """An in-memory DuckDB; row order is restored from ``_ord`` at the end, so DuckDB need not
    preserve insertion order on the way (less memory, more parallelism). Its memory is bounded
    (:func:`memory_limit`) and it spills to :func:`spill_directory`. Extensions are never
    loaded or installed by themselves (rairtc runs offline; ``io.databases.OFFLINE``)."""
    from rairtc.io.databases import OFFLINE

    con = ibis.duckdb.connect(**OFFLINE)
    con.raw_sql("SET preserve_insertion_order = false")
    limit = memory_limit()
    if limit is not None:
        con.raw_sql(f"SET memory_limit = '{_quoted(limit)}'")
    con.raw_sql(f"SET temp_directory = '{_quoted(str(spill_directory()))}'")
    return con


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def _duckdb_folder(path: Path) -> tuple[Any, dict[str, ir.Table], bool]:
    names = {p.name for p in path.iterdir()}
    parquet = any(f"{t}.parquet" in names for t in TABLES)
    con = _duckdb_memory()
    raw: dict[str, ir.Table | None] = {}
    for table in TABLES:
        file = path / f"{table}.{'parquet' if parquet else 'csv'}"
        if not file.exists():
            raw[table] = None
            continue
        quoted = str(file).replace("'", "''")
        position = _position_column(table)
        if parquet:
            number = f", file_row_number AS {position}" if position else ""
            sql = f"SELECT *{number} FROM read_parquet('{quoted}', file_row_number = true)"
        else:
            number = f", row_number() OVER () AS {position}" if position else ""
            sql = (
                f"SELECT *{number} FROM read_csv('{quoted}', "
                "header = true, all_varchar = true, parallel = false)"
            )
        con.raw_sql(f'CREATE VIEW "{table}" AS {sql}')
        raw[table] = con.table(table)
    return con, {t: _typed(raw[t], t, strings=not parquet) for t in TABLES}, True


def _position_column(table: str) -> str | None:
    """``_ord`` for the patients (input order), ``_row`` for the imaging and findings (row
    identity), none for the other tables."""
    if table == "patients":
        return "_ord"
    return "_row" if table in NUMBERED else None


def _duckdb_file(path: Path) -> tuple[Any, dict[str, ir.Table], bool]:
    """The file attached read-only to an in-memory database, its tables seen through views."""
    con = _duckdb_memory()
    quoted = str(path).replace("'", "''")
    con.raw_sql(f"ATTACH '{quoted}' AS registry (READ_ONLY)")
    listed = con.con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'registry'"
    ).fetchall()
    present = {row[0] for row in listed}
    raw: dict[str, ir.Table | None] = {}
    for table in TABLES:
        if table not in present:
            raw[table] = None
            continue
        position = _position_column(table)
        number = f", rowid AS {position}" if position else ""
        con.raw_sql(f'CREATE VIEW "{table}" AS SELECT *{number} FROM registry."{table}"')
        raw[table] = con.table(table)
    return con, {t: _typed(raw[t], t, strings=False) for t in TABLES}, True


def _usage(code: str, **params: object) -> UsageError:
    """A usage error in English carrying its code, said in the user's language by the CLI."""
    return UsageError(translate(code, params), code=code, params=params)


def _database(con: Any) -> dict[str, ir.Table]:
    present = set(con.list_tables())
    if "patients" not in present:
        raise _usage("bulk.no_patients_table")
    return {t: _typed(con.table(t) if t in present else None, t, strings=False) for t in TABLES}


def spark_driver_memory(master: str) -> str | None:
    """``spark.driver.memory`` for a local master: half of the memory available at start (at
    least :data:`MEMORY_FLOOR_BYTES`), as DuckDB's bound. In local mode the driver's JVM runs
    every task, and Spark's default (1 GB) made a million patients spill and retry page
    allocations for minutes. On a cluster (other masters) the cluster's settings decide; a
    ``spark.driver.memory`` given in ``PYSPARK_SUBMIT_ARGS`` or ``RAIRTC_SPARK_DRIVER_MEMORY``
    wins."""
    given = os.environ.get("RAIRTC_SPARK_DRIVER_MEMORY", "").strip()
    if given:
        return given
    if not master.startswith("local") or "spark.driver.memory" in os.environ.get(
        "PYSPARK_SUBMIT_ARGS", ""
    ):
        return None
    available = available_memory()
    if available is None:
        return None
    return f"{max(int(available * MEMORY_FRACTION), MEMORY_FLOOR_BYTES) // (1 << 20)}m"


def spark_session(master: str = "local[*]") -> Any:
    """A Spark session for the bulk engine (UI off, few shuffle partitions for one machine,
    the driver's memory for local mode: :func:`spark_driver_memory`)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(master)
        .appName("rairtc-bulk")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
    )
    memory = spark_driver_memory(master)
    if memory is not None:
        builder = builder.config("spark.driver.memory", memory)
    return builder.getOrCreate()


def _spark_folder(path: Path, session: Any) -> tuple[Any, dict[str, ir.Table]]:
    """The tables as Spark temporary views. The imaging and findings rows carry ``_row``,
    Spark's ``monotonically_increasing_id()`` taken right at the file scan (partition number
    and position in it: the same on every recomputation of the same files), so that the
    timeline needs no window over a whole table, which Spark runs in one partition."""
    from pyspark.sql import functions

    con = ibis.pyspark.connect(session)
    names = {p.name for p in path.iterdir()}
    parquet = any(f"{t}.parquet" in names for t in TABLES)
    raw: dict[str, ir.Table | None] = {}
    for table in TABLES:
        file = path / f"{table}.{'parquet' if parquet else 'csv'}"
        if not file.exists():
            raw[table] = None
            continue
        if parquet:
            frame = session.read.parquet(str(file))
        else:
            frame = session.read.option("header", "true").csv(str(file))
        if table in NUMBERED:
            frame = frame.withColumn("_row", functions.monotonically_increasing_id())
        frame.createOrReplaceTempView(f"rairtc_{table}")
        raw[table] = con.table(f"rairtc_{table}")
    return con, {t: _typed(raw[t], t, strings=not parquet) for t in TABLES}


def open_registry(
    source: str | Path,
    as_of: date,
    *,
    backend: str = "duckdb",
    spark: Any = None,
    spark_master: str = "local[*]",
) -> Registry:
    """The registry at ``source`` (a Parquet or CSV folder, a ``.duckdb`` file or a
    ``postgresql://`` URL) on ``backend``, cut at ``as_of``."""
    text = str(source)
    if backend not in BACKENDS:
        raise _usage("bulk.backend_unknown", backend=backend, allowed=", ".join(BACKENDS))
    if is_database_url(text):
        con = ibis.connect(text.replace("postgres://", "postgresql://", 1))
        return Registry(con, "postgres", as_of, _cut(_database(con), as_of), False)
    path = Path(text)
    if not path.exists():
        code = "io.no_such_path"
        raise InputUnavailable(translate(code, {"path": path}), code=code, params={"path": path})
    if backend == "spark":
        if not path.is_dir():
            raise _usage("bulk.spark_needs_folder")
        con, tables = _spark_folder(path, spark or spark_session(spark_master))
        return Registry(con, "spark", as_of, _cut(tables, as_of), False)
    if path.is_dir():
        con, tables, ordered = _duckdb_folder(path)
    elif path.suffix.lower() == ".duckdb":
        con, tables, ordered = _duckdb_file(path)
    else:
        raise _usage("bulk.source_unknown", name=path.name)
    return Registry(con, "duckdb", as_of, _cut(tables, as_of), ordered, Background(con))
