"""The paths the bulk engine takes for speed keep its output exact: the Parquet writer's second
thread keeps the order and passes errors on, DuckDB's stage table (from one JSON document) is the
core's stage table, a registry without stored row numbers (as PostgreSQL's) classifies alike,
Spark's driver gets memory in local mode only, and a bulk run does not import pandas."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rairtc.bulk import output, staging
from rairtc.bulk.api import classify_arrow
from rairtc.bulk.sources import open_registry, spark_driver_memory
from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters

AS_OF = date(2024, 12, 31)


def _batches(sizes: list[int], fail_after: int | None = None) -> Iterator[pa.RecordBatch]:
    first = 0
    for index, size in enumerate(sizes):
        if fail_after is not None and index == fail_after:
            raise RuntimeError("the backend failed mid-stream")
        ids = [f"P{n:03d}" for n in range(first, first + size)]
        yield pa.record_batch({"patient_id": ids, "extra": list(range(first, first + size))})
        first += size


def test_parquet_written_by_a_second_thread_keeps_every_patient_in_order(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    seen: list[int] = []
    count = output.write_parquet(_batches([3, 3, 1]), path, ("patient_id",), seen.append)
    table = pq.read_table(path)
    assert count == 7 and sum(seen) == 7
    assert table.column_names == ["patient_id"]
    assert table.column("patient_id").to_pylist() == [f"P{n:03d}" for n in range(7)]


def test_a_backend_failing_mid_stream_is_reported_not_hidden(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="mid-stream"):
        output.write_parquet(_batches([2, 2], fail_after=1), tmp_path / "x.parquet", ("extra",))


@pytest.mark.parametrize("params", [DEFAULT_PARAMETERS, RuleParameters(staging_edition=7)])
def test_duckdbs_stage_table_is_the_cores_stage_table(params: RuleParameters) -> None:
    con = ibis.duckdb.connect()
    on_duckdb = staging.stage_table(params, con).to_pyarrow()
    in_memory = con.to_pyarrow(staging.stage_table(params))
    keys = [(k, "ascending") for k in staging.STAGE_KEYS]
    assert on_duckdb.sort_by(keys).equals(in_memory.cast(on_duckdb.schema).sort_by(keys))


def test_without_stored_row_numbers_studies_and_findings_are_numbered_alike(
    registry_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL gives no row number: the timeline numbers the rows itself, same result."""
    stored = classify_arrow(registry_folder, AS_OF, details=True)
    import rairtc.bulk.sources as sources

    monkeypatch.setattr(sources, "NUMBERED", ())
    assert "_row" not in open_registry(registry_folder, AS_OF)["imaging"].columns
    assert classify_arrow(registry_folder, AS_OF, details=True).equals(stored)


def test_spark_driver_memory_is_set_for_local_mode_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAIRTC_SPARK_DRIVER_MEMORY", raising=False)
    monkeypatch.delenv("PYSPARK_SUBMIT_ARGS", raising=False)
    local = spark_driver_memory("local[2]")
    assert local is not None and local.endswith("m") and int(local[:-1]) >= 1024
    assert spark_driver_memory("spark://cluster:7077") is None
    monkeypatch.setenv("PYSPARK_SUBMIT_ARGS", "--conf spark.driver.memory=3g pyspark-shell")
    assert spark_driver_memory("local[*]") is None
    monkeypatch.setenv("RAIRTC_SPARK_DRIVER_MEMORY", "6g")
    assert spark_driver_memory("yarn") == "6g"


def test_a_bulk_classification_does_not_import_pandas(
    registry_folder: Path, tmp_path: Path
) -> None:
    """pandas costs a few tenths of a second at every start and nothing in the path needs it."""
    script = (
        "import sys\n"
        "from rairtc.cli.app import main\n"
        f"sys.argv = ['rairtc', 'classify', {str(registry_folder)!r}, '--engine', 'bulk',\n"
        f"    '--as-of', '2024-12-31', '--out', {str(tmp_path / 'r.parquet')!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print('pandas' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
