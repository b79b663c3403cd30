"""Peak memory and time of ``rairtc convert`` to .xlsx and to a CSV folder (issue 16: under
2 GB at 200,000 patients).

Each command runs in its own process, its peak resident set read from ``wait4``. Baseline,
in the same run: ``rairtc validate`` of the same input (read and validate, write nothing), so
the ratio shows what writing adds to reading. ``--patients N`` (default 200,000); the
synthetic registry is generated once into ``--root`` and reused.

    python benchmarks/convert_memory.py --patients 200000
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rairtc.synth.registry import write_synthetic_parquet

LIMIT_MB = 2048


def measure(*args: str) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of ``rairtc <args>`` in a fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "rairtc.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"rairtc {' '.join(args)} failed")
    return usage.ru_maxrss / 1024, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=200_000)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "rairtc-bench")
    args = parser.parse_args()
    n = args.patients
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores")
    source = args.root / f"synth-{n}-16"
    if not (source / "patients.parquet").exists():
        # In a child process: Linux keeps a process's peak RSS across exec, so a parent grown by
        # generating the registry would lend its size to every command measured after it.
        generate = multiprocessing.get_context("spawn").Process(
            target=write_synthetic_parquet, args=(n, 16, source)
        )
        generate.start()
        generate.join()
    with tempfile.TemporaryDirectory() as folder:
        today = ["--today", "2025-06-30"]
        base_mb, base_s = measure("validate", str(source), *today)
        print(f"baseline: validate {n:,} patients: peak {base_mb:,.0f} MB, {base_s:.1f} s")
        for name in ("registry.xlsx", "csv"):
            mb, seconds = measure("convert", str(source), str(Path(folder) / name), *today)
            verdict = "under" if mb < LIMIT_MB else "OVER"
            print(
                f"convert {n:,} patients to {name}: peak {mb:,.0f} MB ({verdict} {LIMIT_MB:,} MB; "
                f"{mb / base_mb:.2f}x validate), {seconds:.1f} s ({seconds / base_s:.2f}x)"
            )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
