"""Entry points of the bulk engine: an Arrow table or a pandas frame for the Python API, a
stream of Arrow batches for the command line, and the patient count that ``--engine auto``
compares with :data:`AUTO_BULK_THRESHOLD`."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from rairtc.bulk.sources import Registry

AUTO_BULK_THRESHOLD = 5_000
"""``--engine auto`` uses the bulk engine above this many patients. Below it the reference
engine (which also fills evidence) answers within seconds; above it the bulk engine is faster
by orders of magnitude (docs/decisions.md, issue 12)."""


def _table(
    source: str | Path,
    as_of: date,
    params: RuleParameters,
    backend: str,
    spark: Any,
    spark_master: str,
    details: bool,
) -> tuple[Registry, Any]:
    """The registry and its (not yet executed) result table. On DuckDB the timeline's tables
    are still being filled in the background: execute only after ``registry.settle()``."""
    from rairtc.bulk.classify import CSV_COLUMNS, DETAIL_COLUMNS, classify_table
    from rairtc.bulk.sources import open_registry

    registry = open_registry(source, as_of, backend=backend, spark=spark, spark_master=spark_master)
    columns = [*CSV_COLUMNS, *(DETAIL_COLUMNS if details else ())]
    try:
        with _memory_said(registry.backend):
            return registry, classify_table(registry, params).select(*columns)
    except BaseException:
        registry.close()  # stops the background tables too
        raise


@contextmanager
def _memory_said(backend: Any) -> Iterator[None]:
    """DuckDB running out of memory is said as what to change (its bound, its spill folder),
    not as an internal error: a registry larger than the machine allows is a situation a user
    can meet and fix."""
    try:
        yield
    except Exception as error:
        import duckdb

        if not isinstance(error, duckdb.OutOfMemoryException):
            raise
        from rairtc.bulk.sources import spill_directory
        from rairtc.core.errors import RairtcError
        from rairtc.i18n import translate

        code = "bulk.out_of_memory"
        values = {"limit": _bound(backend), "folder": spill_directory()}
        raise RairtcError(translate(code, values), code=code, params=values) from error


def _bound(backend: Any) -> str:
    """The memory bound as the user gave it (``RAIRTC_BULK_MEMORY_LIMIT``), else DuckDB's own
    (the one chosen at the start, not a figure read again now, when DuckDB holds most of the
    memory), asked on a cursor of its own: the failed query's connection may be busy."""
    given = os.environ.get("RAIRTC_BULK_MEMORY_LIMIT", "").strip()
    if given:
        return given
    cursor = backend.con.cursor()
    try:
        return str(cursor.execute("SELECT current_setting('memory_limit')").fetchone()[0])
    finally:
        cursor.close()


def classify_arrow(
    source: str | Path,
    as_of: date,
    params: RuleParameters = DEFAULT_PARAMETERS,
    *,
    backend: str = "duckdb",
    spark: Any = None,
    spark_master: str = "local[*]",
    details: bool = False,
) -> pa.Table:
    """Classify every patient of ``source`` in bulk (see :func:`classify_frame`)."""
    registry, table = _table(source, as_of, params, backend, spark, spark_master, details)
    try:
        if backend == "spark":
            import pyarrow as pa

            schema = table.schema().to_pyarrow()
            return pa.Table.from_batches(batches(table, 1_000_000), schema)
        with _memory_said(registry.backend):
            registry.settle()
            return table.to_pyarrow()
    finally:
        registry.close()


def classify_batches(
    source: str | Path,
    as_of: date,
    params: RuleParameters = DEFAULT_PARAMETERS,
    *,
    backend: str = "duckdb",
    spark: Any = None,
    spark_master: str = "local[*]",
    chunk_size: int = 100_000,
    details: bool = True,
) -> Generator[pa.RecordBatch, None, None]:
    """The result as a stream of Arrow batches, with the JSON detail columns unless
    ``details=False`` (the CSV and Parquet outputs have none; leaving them out spares the
    backend computing them)."""
    registry, table = _table(source, as_of, params, backend, spark, spark_master, details)
    try:
        yield from batches(table, chunk_size, registry)
    finally:
        registry.close()


def batches(
    table: Any, chunk_size: int, registry: Registry | None = None
) -> Iterator[pa.RecordBatch]:
    """Execute ``table`` and stream its rows (per-backend differences). On DuckDB through
    its own Arrow reader: Ibis 12's batch reader calls a method DuckDB 2.0 removed; the plan
    is compiled while ``registry``'s background tables are still being filled, then run once
    they are. On Spark through ``DataFrame.toArrow()``: Ibis 12 collects a PySpark result with
    ``toPandas()`` (row by row in Python unless Arrow is enabled) and converts the frame to
    Arrow again."""
    backend = table._find_backend()
    if backend.name == "duckdb":
        backend._run_pre_execute_hooks(table)  # registers the in-memory stage table
        sql = backend.compile(table)  # the caller closes the registry if this fails
        with _memory_said(backend):
            if registry is not None:
                registry.settle()
            yield from backend.con.sql(sql).to_arrow_reader(chunk_size)
        return
    if backend.name == "pyspark":
        from ibis.formats.pyarrow import PyArrowData

        backend._run_pre_execute_hooks(table)
        arrow = backend.raw_sql(backend.compile(table)).toArrow()
        yield from PyArrowData.convert_table(arrow, table.schema()).to_batches(chunk_size)
        return
    yield from table.to_pyarrow_batches(chunk_size=chunk_size)


def classify_frame(
    source: str | Path,
    as_of: date,
    params: RuleParameters = DEFAULT_PARAMETERS,
    *,
    backend: str = "duckdb",
    spark: Any = None,
    spark_master: str = "local[*]",
    details: bool = False,
) -> pd.DataFrame:
    """Classify every patient of ``source`` (a Parquet or CSV folder, a ``.duckdb`` file or a
    ``postgresql://`` URL) in bulk: one row per patient with the columns of
    ``rairtc classify --format csv``, typed (dates as dates, ``rair`` boolean,
    ``follow_up_months`` a nullable integer, flag lists '' when empty), in input order
    (patient id order on PostgreSQL and Spark). ``details=True`` adds, per criterion,
    ``<code>_confirmed`` and ``<code>_flags``."""
    import pandas as pd
    import pyarrow as pa

    arrow = classify_arrow(
        source,
        as_of,
        params,
        backend=backend,
        spark=spark,
        spark_master=spark_master,
        details=details,
    )
    return arrow.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get, date_as_object=True)


def is_table_source(source: str | Path) -> bool:
    """Whether the bulk engine reads ``source``: a folder (of Parquet or CSV tables), a
    ``.duckdb`` file or a ``postgresql://`` URL. JSON, Excel and SQLite files are not."""
    from rairtc.bulk.sources import is_database_url

    text = str(source)
    if is_database_url(text):
        return True
    path = Path(text)
    return path.is_dir() or path.suffix.lower() == ".duckdb"


def count_patients(source: str | Path, *, backend: str = "duckdb", spark: Any = None) -> int:
    """The number of patients (rows of ``patients``) without reading any other table."""
    from rairtc.bulk.sources import open_registry

    registry = open_registry(source, date.max, backend=backend, spark=spark)
    try:
        return int(registry["patients"].count().to_pyarrow().as_py())
    finally:
        registry.close()
