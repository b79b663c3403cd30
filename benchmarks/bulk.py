"""The bulk engine at registry scale (issue 12).

Targets on the 2-core machine: 1,000,000 patients classified in <= 20 s and <= 6 GB peak
memory; >= 50x the reference engine; <= 5x the scan floor.

    python benchmarks/bulk.py --patients 1000000 [--backend spark] [--check]

The registry is a synthetic Parquet registry (``rairtc synth --parquet``), generated once and
reused (above 3,000,000 patients in parts of 1,000,000: see :func:`generate_in_parts`).
Figures, all from the same run:
- bulk: ``rairtc classify REGISTRY --engine bulk --out result.parquet`` in a child process,
  end to end (start-up, reading, rules, writing): wall time, peak RSS, patients/s, and the
  load average beside them (the machine may be shared). The timed commands run with their
  bytecode cached under ``--root`` after one untimed warm-up run, as an installed rairtc runs;
- reference: the reference engine timed on the first 20,000 patients of the same registry
  (records already read and validated), scaled to N;
- scan floor: DuckDB reading every column the rules need and grouping each table by patient.
``--check`` also compares both engines on those 20,000 patients, field by field.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import psutil

from rairtc.bulk.classify import PATIENT_FIELDS
from rairtc.bulk.timeline import FINDING_FIELDS

AS_OF = date(2024, 12, 31)
REFERENCE_SAMPLE = 20_000
TARGETS = {"seconds_per_million": 20.0, "peak_gb": 6.0, "vs_reference": 50.0, "vs_floor": 5.0}

# The columns the rules read, by table (the scan floor reads exactly these).
RULE_COLUMNS = {
    "patients": list(PATIENT_FIELDS),  # the engine's own list of the fields rules read
    "rai_courses": [
        "patient_id",
        "date",
        "activity_mci",
        "activity_gbq",
        "stimulation",
        "tsh_miu_l",
    ],
    "imaging": ["patient_id", "id", "date", "modality", "progression"],
    "findings": ["patient_id", "imaging_id", *FINDING_FIELDS],  # the engine's own list
    "surgeries": ["patient_id", "date"],
    "labs": [
        "patient_id",
        "date",
        "test",
        "value",
        "stimulated",
        "below_limit",
        "assay_upper_normal",
    ],
    "mdt": ["patient_id", "date"],
}


GENERATE_AT_ONCE = 3_000_000
"""Up to this many patients the registry is generated in one call (as ``rairtc synth``);
above it, in parts of :data:`GENERATE_PART` patients (seed ``seed * 1000 + part``, ids
``SYN<part>-…``) streamed to the Parquet files, because the generator holds all its columns in
memory (10,000,000 at once would not fit in 24 GB)."""
GENERATE_PART = 1_000_000


def registry(n: int, seed: int, root: Path) -> Path:
    folder = root / f"synth-{n}-{seed}"
    if not (folder / "patients.parquet").exists():
        start = time.perf_counter()
        if n <= GENERATE_AT_ONCE:
            from rairtc.synth.registry import write_synthetic_parquet

            write_synthetic_parquet(n, seed, folder)
        else:
            generate_in_parts(n, seed, folder)
        print(f"generated {n:,} patients in {time.perf_counter() - start:.1f} s -> {folder}")
    return folder


def generate_in_parts(n: int, seed: int, folder: Path) -> None:
    """A registry of ``n`` synthetic patients written part by part (row groups as
    ``rairtc synth`` writes them), into a hidden folder renamed at the end so that a half-written registry is
    never reused."""
    import shutil

    import pyarrow.parquet as pq

    from rairtc.synth.generator import generate
    from rairtc.synth.tables import arrow_tables

    partial = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    writers: dict[str, pq.ParquetWriter] = {}
    try:
        for part, first in enumerate(range(0, n, GENERATE_PART)):
            size = min(GENERATE_PART, n - first)
            tables = arrow_tables(generate(size, seed * 1000 + part, prefix=f"SYN{part:02d}-"))
            for name, table in tables.items():
                if name not in writers:
                    writers[name] = pq.ParquetWriter(str(partial / f"{name}.parquet"), table.schema)
                writers[name].write_table(table)
            print(f"  generated part {part + 1} ({first + size:,} of {n:,} patients)", flush=True)
    finally:
        for writer in writers.values():
            writer.close()
    partial.rename(folder)


def child_environment(root: Path) -> dict[str, str]:
    """The environment of the timed commands: bytecode cached under ``root`` (an installed
    rairtc has its modules compiled; with ``PYTHONDONTWRITEBYTECODE`` set, as in this sandbox,
    every run would recompile some 800 modules of rairtc, Ibis, sqlglot and pandas first)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(root / "pycache"), "SPARK_LOCAL_IP": "127.0.0.1"}


def warm_up(sample: Path, root: Path) -> None:
    """One untimed bulk run on the sample, so that the timed runs start with compiled modules."""
    command = [sys.executable, "-m", "rairtc.cli", "classify", str(sample), "--engine", "bulk"]
    command += ["--as-of", AS_OF.isoformat(), "--format", "csv"]
    subprocess.run(
        command,
        check=True,
        env=child_environment(root),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def children_cpu() -> float:
    """CPU seconds (user and system) of the finished child processes so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_bulk(folder: Path, out: Path, backend: str) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (GB, the process tree) and CPU seconds of the bulk classify
    command."""
    command = [
        sys.executable,
        "-m",
        "rairtc.cli",
        "classify",
        str(folder),
        "--engine",
        "bulk",
        "--as-of",
        AS_OF.isoformat(),
        "--out",
        str(out),
        "--backend",
        backend,
    ]
    if backend == "spark":
        command += ["--spark-master", "local[2]"]
    cpu = children_cpu()
    start = time.perf_counter()
    child = psutil.Popen(command, env=child_environment(out.parent))
    peak = 0
    seen: dict[int, float] = {}  # CPU seconds of each process of the tree (Spark's JVM too)
    while child.poll() is None:
        try:
            tree = [child, *child.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
            for p in tree:
                used = p.cpu_times()
                seen[p.pid] = used.user + used.system
        except psutil.Error:
            pass
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"bulk classify failed with exit code {child.returncode}")
    return elapsed, peak / 1e9, max(children_cpu() - cpu, sum(seen.values()))


def scan_floor(folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds for DuckDB to read the rules' columns and group every table by
    patient."""
    import duckdb

    con = duckdb.connect()
    cpu = time.process_time()
    start = time.perf_counter()
    for table, columns in RULE_COLUMNS.items():
        key = "id" if table == "patients" else "patient_id"
        aggregates = ", ".join(f"count({c})" for c in columns if c != key)
        path = str(folder / f"{table}.parquet")
        con.sql(
            f"SELECT {key}, {aggregates} FROM read_parquet('{path}') GROUP BY {key}"
        ).to_arrow_table()
    return time.perf_counter() - start, time.process_time() - cpu


def sample_folder(folder: Path, size: int, target: Path) -> Path:
    """The first ``size`` patients of ``folder`` with all their records."""
    import duckdb

    from rairtc.io.layout import TABLES

    target.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE chosen AS SELECT id FROM read_parquet('{folder / 'patients.parquet'}') LIMIT {size}"
    )
    for table in TABLES:
        path = folder / f"{table}.parquet"
        if not path.exists():
            continue
        key = "id" if table == "patients" else "patient_id"
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{path}') WHERE {key} IN (SELECT id FROM chosen)) "
            f"TO '{target / (table + '.parquet')}' (FORMAT parquet)"
        )
    return target


def reference_end_to_end(sample: Path) -> float:
    """Patients/s of ``rairtc classify --engine reference`` on the sample, end to end (reading,
    validation, rules, CSV output), as the bulk command is timed."""
    command = [
        sys.executable,
        "-m",
        "rairtc.cli",
        "classify",
        str(sample),
        "--engine",
        "reference",
        "--as-of",
        AS_OF.isoformat(),
        "--format",
        "csv",
    ]
    start = time.perf_counter()
    subprocess.run(
        command,
        check=True,
        env=child_environment(sample.parent),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    import duckdb

    count = (
        duckdb.connect()
        .execute(f"SELECT count(*) FROM '{sample / 'patients.parquet'}'")
        .fetchall()[0][0]
    )
    return int(count) / elapsed


def reference_rules_only(sample: Path, check: bool) -> float:
    """Patients/s of the reference engine's rules alone (records already read and validated);
    with ``check``, both engines are compared on the sample field by field."""
    from rairtc.core.parameters import DEFAULT_PARAMETERS
    from rairtc.core.rules.classify import classify
    from rairtc.io.registry import load_valid_registry

    patients = load_valid_registry(sample, today=date(2026, 1, 1)).patients
    start = time.perf_counter()
    for p in patients:
        classify(p, AS_OF)
    rate = len(patients) / (time.perf_counter() - start)
    if check:
        sys.path.insert(0, str(Path(__file__).parents[1]))
        from tests.bulk.equivalence import bulk_rows, differences, reference_rows

        from rairtc.bulk.api import classify_arrow

        found = differences(
            reference_rows(patients, AS_OF, DEFAULT_PARAMETERS),
            bulk_rows(classify_arrow(sample, AS_OF, details=True)),
        )
        print(
            f"check: {len(patients):,} patients, {len(found)} field(s) differ between the engines"
        )
        for item in found[:20]:
            print("   ", item)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "rairtc-bench")
    parser.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--check", action="store_true", help="compare the engines on the sample")
    args = parser.parse_args()
    folder = registry(args.patients, args.seed, args.root)
    n = args.patients
    size = min(REFERENCE_SAMPLE, n)
    sample = sample_folder(folder, size, args.root / f"sample-{n}-{args.seed}-{size}")
    warm_up(sample, args.root)
    load = os.getloadavg()[0]
    elapsed, peak, cpu = run_bulk(
        folder, args.root / f"result-{n}-{args.backend}.parquet", args.backend
    )
    floor, floor_cpu = scan_floor(folder)
    rate = reference_end_to_end(sample)
    rules_rate = reference_rules_only(sample, args.check)
    projected = n / rate
    per_million = elapsed * 1_000_000 / n
    print(
        f"bulk ({args.backend}): {n:,} patients in {elapsed:.2f} s, peak RSS {peak:.2f} GB, "
        f"{n / elapsed:,.0f} patients/s (load average {load:.2f} at the start, "
        f"{os.getloadavg()[0]:.2f} at the end)"
    )
    print(
        f"reference engine (rairtc classify, end to end): {rate:,.0f} patients/s on {size:,} of "
        f"them -> {projected:,.0f} s for {n:,}; bulk is {projected / elapsed:.0f}x faster "
        f"(target >= {TARGETS['vs_reference']:.0f}x); its rules alone: {rules_rate:,.0f} "
        f"patients/s (bulk {n / elapsed / rules_rate:.1f}x)"
    )
    print(
        f"scan floor (DuckDB, rule columns grouped by patient): {floor:.2f} s; bulk is "
        f"{elapsed / floor:.2f}x the floor (target <= {TARGETS['vs_floor']:.0f}x)"
    )
    print(
        f"CPU seconds (less sensitive to a shared machine): bulk {cpu:.1f} s, scan floor "
        f"{floor_cpu:.1f} s ({cpu / floor_cpu:.2f}x)"
    )
    print(
        f"targets at this size: {per_million:.1f} s per million (<= {TARGETS['seconds_per_million']:.0f}), "
        f"peak {peak:.2f} GB (<= {TARGETS['peak_gb']:.0f})"
    )


if __name__ == "__main__":
    main()
