"""Peak memory and time of ``rairtc validate`` on a large Parquet registry (issue 12 item 4:
1,000,000 patients within 8 GB).

``rairtc validate`` reads the registry in chunks (``rairtc.io.chunks``). Baseline, in the
same run: the whole-registry read it replaced (``rairtc.io.registry.load_registry``, every
patient held at once) on ``--baseline`` patients of the same generator, from which the
memory a whole read of N patients would need is projected linearly. Each command runs in its
own process; peak memory is the largest proportional set size (PSS) of its process tree,
sampled (shared pages counted once).

    python benchmarks/validate_memory.py --patients 1000000

The synthetic registry is generated once into ``--root`` (default: the temporary folder's
``rairtc-bench``, shared with ``benchmarks/bulk.py``) and reused.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

LIMIT_GB = 8.0
TODAY = "2025-06-30"
SEED = 7
WHOLE = (
    "import sys; from datetime import date; from pathlib import Path; "
    "from rairtc.io.registry import load_registry; "
    "loaded = load_registry(Path(sys.argv[1]), today=date.fromisoformat(sys.argv[2])); "
    "print(len(loaded.validated), len(loaded.problems))"
)


def registry(n: int, root: Path, seed: int = SEED) -> Path:
    """The synthetic Parquet registry of ``n`` patients under ``root``, generated once."""
    folder = root / f"synth-{n}-{seed}"
    if not (folder / "patients.parquet").exists():
        from rairtc.synth.registry import write_synthetic_parquet

        start = time.perf_counter()
        write_synthetic_parquet(n, seed, folder)
        print(f"generated {n:,} patients in {time.perf_counter() - start:.1f} s -> {folder}")
    return folder


@dataclass(frozen=True)
class Measured:
    """One command's wall seconds, CPU seconds of its whole process tree, peak memory (GB)
    and exit code."""

    seconds: float
    cpu: float
    peak_gb: float
    code: int


def measure(command: list[str]) -> tuple[float, float, int]:
    """(seconds, peak memory in GB, exit code) of ``command`` (see :func:`measure_tree`)."""
    run = measure_tree(command)
    return run.seconds, run.peak_gb, run.code


def measure_tree(
    command: list[str], env: dict[str, str] | None = None, stderr: Path | None = None
) -> Measured:
    """``command`` run to its end. Memory is the sum over the process tree (``validate`` and
    ``study`` fork workers on large registries) of the proportional set size, so pages the
    workers share with the parent count once; RSS when PSS cannot be read. CPU is the user
    and system time of the command and every descendant it waited for (this process's
    ``RUSAGE_CHILDREN`` before and after)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(stderr or os.devnull, "w", encoding="utf-8") as errors:
        child = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        peak = 0
        while child.poll() is None:
            total = 0
            for process in [child, *_children(child)]:
                try:
                    info = process.memory_full_info()
                    total += getattr(info, "pss", info.rss)
                except psutil.Error:
                    continue
            peak = max(peak, total)
            time.sleep(0.2)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(seconds, cpu, peak / 1e9, child.returncode)


def _children(process: psutil.Process) -> list[psutil.Process]:
    try:
        return list(process.children(recursive=True))
    except psutil.Error:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--baseline", type=int, default=20_000)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "rairtc-bench")
    args = parser.parse_args()
    n, b = args.patients, args.baseline
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores")

    small = registry(b, args.root)
    base_s, base_gb, code = measure([sys.executable, "-c", WHOLE, str(small), TODAY])
    if code != 0:
        raise SystemExit(f"baseline failed with exit code {code}")
    print(
        f"baseline (whole-registry read, load_registry) of {b:,} patients: "
        f"{base_s:.1f} s, {b / base_s:,.0f} patients/s, peak {base_gb:.2f} GB "
        f"-> {base_gb / b * n:,.1f} GB projected for {n:,}"
    )
    chunked_small_s, chunked_small_gb, _ = measure(
        [sys.executable, "-m", "rairtc.cli", "validate", str(small), "--today", TODAY]
    )
    print(
        f"rairtc validate (chunks) of the same {b:,}: {chunked_small_s:.1f} s, "
        f"peak {chunked_small_gb:.2f} GB ({chunked_small_gb / base_gb:.2f}x the baseline's memory)"
    )

    folder = registry(n, args.root)
    seconds, peak, code = measure(
        [sys.executable, "-m", "rairtc.cli", "validate", str(folder), "--today", TODAY]
    )
    if code not in (0, 65):
        raise SystemExit(f"rairtc validate failed with exit code {code}")
    verdict = "within" if peak <= LIMIT_GB else "OVER"
    print(
        f"rairtc validate of {n:,} patients: {seconds:.1f} s, {n / seconds:,.0f} patients/s "
        f"({(n / seconds) / (b / base_s):.2f}x the baseline's rate), peak {peak:.2f} GB "
        f"({verdict} {LIMIT_GB:.0f} GB; {peak / (base_gb / b * n):.3f}x the projected whole read)"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
