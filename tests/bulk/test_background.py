"""The timeline's tables filled on a worker thread while the plan is built: the same result
as filling them in turn, absent registry tables included; a failing table is reported and
stops the queue; an abandoned plan stops it too; the registry's database is closed after
classifying."""

from __future__ import annotations

import dataclasses
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pytest

import rairtc.bulk.sources as sources
from rairtc.bulk.api import classify_arrow
from rairtc.bulk.background import Background

AS_OF = date(2024, 12, 31)


def _in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registries opened from now on fill their tables in turn (no background)."""
    original = sources.open_registry

    def without_background(*args: Any, **kwargs: Any) -> sources.Registry:
        return dataclasses.replace(original(*args, **kwargs), background=None)

    monkeypatch.setattr(sources, "open_registry", without_background)


def test_tables_filled_in_the_background_classify_as_tables_filled_in_turn(
    registry_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meanwhile = classify_arrow(registry_folder, AS_OF, details=True)
    _in_turn(monkeypatch)
    assert meanwhile.equals(classify_arrow(registry_folder, AS_OF, details=True))


def test_a_registry_without_findings_is_classified_alike_in_the_background(
    registry_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An absent table is an Ibis in-memory table, which only the main connection sees: the
    tables reading it are filled there, after the queue."""
    partial = tmp_path / "no-findings"
    partial.mkdir()
    for file in registry_folder.iterdir():
        if file.name != "findings.parquet":
            (partial / file.name).write_bytes(file.read_bytes())
    meanwhile = classify_arrow(partial, AS_OF, details=True)
    assert meanwhile.num_rows > 0
    _in_turn(monkeypatch)
    assert meanwhile.equals(classify_arrow(partial, AS_OF, details=True))


def _source() -> Any:
    con = ibis.duckdb.connect()
    con.raw_sql("CREATE TABLE source AS SELECT range AS n, 'x' AS text FROM range(1000)")
    return con


def test_a_failing_background_table_is_reported_and_stops_the_queue() -> None:
    con = _source()
    background = Background(con)
    source = con.table("source")
    background.table(source.select(value=source.text.cast("int64")))  # 'x' is no integer
    background.table(source.select("n"))
    with pytest.raises(duckdb.ConversionException):
        background.settle()
    assert background._pool is None and background._cursor is None


def test_an_abandoned_plan_interrupts_the_background_at_once() -> None:
    con = _source()
    background = Background(con)
    a, b, c = (con.table("source").select(**{k: "n"}) for k in "abc")
    endless = a.cross_join(b).cross_join(c)  # 10^9 rows
    background.table(endless.aggregate(total=(endless.a * endless.b + endless.c).sum()))
    start = time.perf_counter()
    background.abandon()
    assert time.perf_counter() - start < 5
    assert background._pool is None and background._cursor is None


def test_the_registrys_database_is_closed_after_classifying(
    registry_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing it removes DuckDB's spill files at once, not whenever Python collects it."""
    opened: list[sources.Registry] = []
    original = sources.open_registry

    def remembered(*args: Any, **kwargs: Any) -> sources.Registry:
        opened.append(original(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(sources, "open_registry", remembered)
    classify_arrow(registry_folder, AS_OF)
    [registry] = opened
    with pytest.raises(duckdb.ConnectionException):
        registry.backend.con.execute("SELECT 1")


def test_a_background_table_reads_dates_in_the_main_sessions_time_zone() -> None:
    """A cursor is a new session: without the main one's settings, a time stamp with a time
    zone would fall on another day in the timeline's tables than in the final query."""
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'America/New_York'")
    con.raw_sql("CREATE TABLE stamps AS SELECT TIMESTAMPTZ '2024-03-01 00:30:00+00' AS at")
    stamps = con.table("stamps")
    as_dates = stamps.select(day=stamps.at.date())
    background = Background(con)
    filled = background.table(as_dates)
    background.settle()
    assert filled.to_pyarrow().equals(as_dates.to_pyarrow())
    assert filled.day.to_pyarrow().to_pylist() == [date(2024, 2, 29)]
