"""`rairtc study` speed and memory (issues 12 and 13).

Two measurements:

    python benchmarks/study.py                       # 10,000 patients in memory, < 10 s
    python benchmarks/study.py --patients 1000000    # a synthetic Parquet registry, < 8 GB

In memory (the default): the statistics of the study on 10,000 patients with the preset
sensitivity analysis (target: under 10 s on the 2-core machine). Patients: the bundled example
registry copied with new ids, shifted dates and varied ages (see classify_reference.py).
Imports are warmed up first by a 300-patient study. Figures from the same run: the study as
the command line runs it (forked workers on every core), the same study in one process, the
study without the sensitivity analysis, and the baseline, classifying the same patients with
the reference engine alone.

Registry (``--patients N``): a synthetic Parquet registry (``rairtc synth --parquet``)
generated once under ``--root`` and reused; ``rairtc study REGISTRY --engine auto`` in a child
process, end to end (reading and validating the registry twice, the bulk engine above 5,000
analysed patients, statistics, results.json and the reports): wall time and peak RSS of the
process tree (target: within 8 GB). Baseline in the same run: the study computation alone
(``run_study_chunks`` without the reports) in another child process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

N = 10_000
TARGET_S = 10.0
TARGET_GB = 8.0
AS_OF = date(2026, 12, 31)
REGISTRY_AS_OF = date(2024, 12, 31)


def in_memory(n: int) -> None:
    from classify_reference import generated

    from rairtc.core.parameters import DEFAULT_PARAMETERS
    from rairtc.core.records import Patient
    from rairtc.core.rules.classify import classify
    from rairtc.study.run import StudyOptions, run_study

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    patients = [Patient.model_validate(d) for d in generated(n, seed=7)]
    warm = StudyOptions(as_of=AS_OF, params=DEFAULT_PARAMETERS)
    run_study(patients[:300], warm, input_sha256="bench")

    def timed(**options: object) -> tuple[float, dict[str, object]]:
        chosen = StudyOptions(as_of=AS_OF, params=DEFAULT_PARAMETERS, **options)  # type: ignore[arg-type]
        start = time.perf_counter()
        results = run_study(patients, chosen, input_sha256="bench")
        return time.perf_counter() - start, results

    start = time.perf_counter()
    for p in patients:
        classify(p, AS_OF)
    baseline = time.perf_counter() - start
    elapsed, results = timed(workers=cores or 1)
    serial, _ = timed(workers=1)
    main_only, _ = timed(workers=1, sensitivity=False)
    flow, rate = results["flow"], results["rair"]
    assert isinstance(flow, dict) and isinstance(rate, dict)
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores)")
    print(
        f"in one process: {serial:.2f} s with the sensitivity analysis, {main_only:.2f} s "
        f"without (--no-sensitivity)"
    )
    verdict = "meets" if elapsed < TARGET_S else "MISSES"
    print(
        f"study: {n} patients ({flow['analysed']} analysed, {rate['n_refractory']} refractory) "
        f"in {elapsed:.2f} s on {cores} worker(s); baseline classification alone "
        f"{baseline:.2f} s; ratio {elapsed / baseline:.1f}x; {verdict} the {TARGET_S:.0f} s target"
    )


def registry(n: int, seed: int, root: Path) -> Path:
    folder = root / f"synth-{n}-{seed}"
    if not (folder / "patients.parquet").exists():
        from rairtc.synth.registry import write_synthetic_parquet

        start = time.perf_counter()
        write_synthetic_parquet(n, seed, folder)
        print(f"generated {n:,} patients in {time.perf_counter() - start:.1f} s -> {folder}")
    return folder


def peak_of(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (GB) of the process tree (forked workers included)."""
    import psutil

    start = time.perf_counter()
    child = psutil.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0
    while child.poll() is None:
        try:
            tree = [child, *child.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} ... failed with exit code {child.returncode}")
    return elapsed, peak / 1e9


COMPUTATION = """
import json, sys
from datetime import date
from pathlib import Path
from rairtc.cli.study_input import RegistryChunks, StudyEngine, bulk_chooser, workers
from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.study.run import StudyOptions, run_study_chunks

folder = Path(sys.argv[1])
chunks = RegistryChunks(folder, today=date.today(), lenient=False, params=DEFAULT_PARAMETERS,
                        skip_invalid=False, csv=None)
options = StudyOptions(as_of=date.fromisoformat(sys.argv[2]), params=DEFAULT_PARAMETERS,
                       workers=workers())
results = run_study_chunks(chunks, options, input_sha256="bench",
                           bulk=bulk_chooser(StudyEngine.AUTO, folder, chunks))
Path(sys.argv[3]).write_text(json.dumps(results))
"""


def on_registry(n: int, seed: int, root: Path) -> None:
    folder = registry(n, seed, root)
    out = root / f"study-{n}-{seed}"
    command = [
        sys.executable,
        "-m",
        "rairtc.cli",
        "study",
        str(folder),
        "--as-of",
        REGISTRY_AS_OF.isoformat(),
        "--identified",
        "--out",
        str(out),
    ]
    computation = [
        sys.executable,
        "-c",
        COMPUTATION,
        str(folder),
        REGISTRY_AS_OF.isoformat(),
        str(root / f"results-{n}-{seed}.json"),
    ]
    alone, alone_peak = peak_of(computation)
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores)")
    print(
        f"study computation alone (run_study_chunks, no reports): {alone:.1f} s, "
        f"peak RSS {alone_peak:.2f} GB"
    )
    elapsed, peak = peak_of(command)
    verdict = "meets" if peak <= TARGET_GB else "MISSES"
    print(
        f"rairtc study: {n:,} patients in {elapsed:.1f} s ({n / elapsed:,.0f} patients/s), "
        f"peak RSS {peak:.2f} GB; {verdict} the {TARGET_GB:.0f} GB target; the reports add "
        f"{elapsed - alone:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=None, help="study a synthetic registry")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "rairtc-bench")
    args = parser.parse_args()
    if args.patients is None:
        in_memory(N)
    else:
        on_registry(args.patients, args.seed, args.root)


if __name__ == "__main__":
    main()
