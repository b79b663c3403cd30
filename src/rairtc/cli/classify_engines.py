"""``classify --engine reference|bulk|auto``: which engine runs, and the bulk engine's
streamed output (``--out``, ``--explain``, ``--backend``).

``auto`` runs the bulk engine when the registry is a table source (a Parquet or CSV folder, a
``.duckdb`` file or a ``postgresql://`` URL) holding more than
:data:`rairtc.bulk.AUTO_BULK_THRESHOLD` patients, and the reference engine otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rairtc.core.parameters import RuleParameters


class Engine(StrEnum):
    REFERENCE = "reference"
    BULK = "bulk"
    AUTO = "auto"


class ClassifyFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    PARQUET = "parquet"


class Backend(StrEnum):
    DUCKDB = "duckdb"
    POSTGRES = "postgres"
    SPARK = "spark"


EngineOption = Annotated[
    Engine | None,
    typer.Option(
        "--engine",
        help="reference (per patient, validated, with evidence; the default), bulk (tables, at "
        "registry scale, not validated: run validate first) or auto (bulk above 5,000 patients "
        "in a table source). A postgresql:// REGISTRY or --backend spark implies bulk.",
    ),
]
BackendOption = Annotated[
    Backend | None,
    typer.Option(
        "--backend",
        help="Bulk engine backend: duckdb (default), postgres (implied by a postgresql:// "
        "REGISTRY) or spark.",
    ),
]
SparkMaster = Annotated[
    str, typer.Option("--spark-master", help="Spark master URL for --backend spark.")
]
Explain = Annotated[
    list[str] | None,
    typer.Option(
        "--explain",
        metavar="ID",
        help="Fill the evidence of this patient from the reference engine (repeatable; JSON).",
    ),
]
Out = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Write to FILE instead of the terminal (.csv, .json or .parquet; --format wins).",
    ),
]


def is_table_source(registry: str) -> bool:
    from rairtc.bulk.api import is_table_source as readable_in_bulk

    return readable_in_bulk(registry)


def choose_engine(engine: Engine | None, registry: str | None, backend: Backend | None) -> Engine:
    """The engine asked for; without ``--engine``, the reference engine (it validates every
    record, all or nothing) unless only the bulk engine can read the source (a database URL)
    or run where asked (Spark). ``auto`` switches to bulk above a patient count."""
    if engine in (Engine.REFERENCE, Engine.BULK):
        return engine
    from rairtc.bulk.sources import is_database_url

    if registry is not None and (backend is Backend.SPARK or is_database_url(registry)):
        return Engine.BULK  # only the bulk engine reads a database URL or runs on Spark
    if engine is None or registry is None or not is_table_source(registry):
        return Engine.REFERENCE
    from rairtc.bulk import AUTO_BULK_THRESHOLD, count_patients

    if count_patients(registry) > AUTO_BULK_THRESHOLD:
        return Engine.BULK
    return Engine.REFERENCE


def backend_of(registry: str, backend: Backend | None) -> str:
    from rairtc.bulk.sources import is_database_url
    from rairtc.cli.errors import usage_error

    if is_database_url(registry):
        if backend not in (None, Backend.POSTGRES):
            raise usage_error("cli.database_url_backend", backend=backend)
        return Backend.POSTGRES.value
    if backend is Backend.POSTGRES:
        raise usage_error("cli.postgres_needs_url")
    return (backend or Backend.DUCKDB).value


def output_kind(fmt: str, out: Path | None, default_table: bool) -> str:
    """table, csv, json or parquet: ``--format`` when given, else the suffix of ``--out``."""
    if not default_table or out is None:
        return fmt
    suffix = out.suffix.lower().lstrip(".")
    return suffix if suffix in ("csv", "json", "parquet") else "csv"


class Progress:
    """Patients written so far, on stderr when it is a terminal (silent in pipes and CI)."""

    def __init__(self, total: int | None) -> None:
        self.total, self.bar, self.task = total, None, None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress as Bar

            self.bar = Bar(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("classifying (bulk)", total=total)

    def __call__(self, n: int) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task, n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run_bulk(
    registry: str,
    *,
    as_of: date,
    params: RuleParameters,
    kind: str,
    out: Path | None,
    backend: str,
    spark_master: str,
    explain: list[str],
    today: date,
    print_table: Callable[[list[dict[str, Any]], date], None],
) -> None:
    """Classify with the bulk engine and stream the result to ``out`` (or stdout)."""
    from rairtc.bulk import output
    from rairtc.bulk.api import classify_batches
    from rairtc.bulk.classify import CSV_COLUMNS
    from rairtc.cli.errors import say, usage_error

    if explain and kind != "json":
        raise usage_error("cli.explain_needs_json")
    if kind == "parquet" and out is None:
        raise usage_error("cli.parquet_needs_out")
    print(say("cli.bulk_not_validated"), file=sys.stderr)
    explained: dict[str, dict[str, Any]] = {}
    if explain:
        from rairtc.bulk.explain import explain as explain_patients

        explained = explain_patients(registry, explain, as_of, params, today=today, backend=backend)
    batches = classify_batches(
        registry,
        as_of,
        params,
        backend=backend,
        spark_master=spark_master,
        details=kind in ("json", "table"),  # CSV and Parquet carry no detail columns
    )
    progress = Progress(None)
    try:
        if kind == "parquet":
            assert out is not None
            output.write_parquet(batches, out, CSV_COLUMNS, progress)
        elif kind == "table":
            rows = [
                output.json_object(r, params.post_therapy_max_days)
                for b in batches
                for r in b.to_pylist()
            ]
            print_table(rows, as_of)
        else:
            with _open(out) as stream:
                if kind == "csv":
                    output.write_csv(batches, stream, CSV_COLUMNS, progress)
                else:
                    output.write_json(
                        batches,
                        stream,
                        progress,
                        replace=explained,
                        max_days=params.post_therapy_max_days,
                    )
    finally:
        batches.close()  # the engine's connection and spill files, now (also after an error)
        progress.close()


class _open:
    """A binary stream for ``out``, or stdout's."""

    def __init__(self, out: Path | None) -> None:
        self.out = out
        self.stream: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        if self.out is None:
            sys.stdout.flush()
            return sys.stdout.buffer
        self.stream = self.out.open("wb")
        return self.stream

    def __exit__(self, *exc: object) -> None:
        if self.stream is not None:
            self.stream.close()
        else:
            sys.stdout.buffer.flush()
