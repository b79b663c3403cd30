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

Registry (``--patients N``): synthetic Parquet registries (``rairtc synth --parquet``)
generated once under ``--root`` and reused. Every command runs in a child process, end to end:
reading and validating the registry twice, the bulk engine above 5,000 analysed patients,
the statistics, results.json and every report (HTML, PDF, Word, Excel, figures), with
``--identified`` so that two runs' results.json can be compared byte for byte. Printed for
each: wall seconds, CPU seconds of the process tree (forked workers included: on a shared
machine far steadier than wall time), and peak memory as the sum of the proportional set
sizes of the process tree (``validate_memory.measure_tree``). In the same run:

1. baseline: on ``--baseline`` patients (default 100,000; N if smaller), the study as it ran
   before both passes were spread over the cores (one process reads and validates both
   passes, only the reference engine's batches forked), followed by the same reports;
2. ``rairtc study`` on the same registry, its ratio to the baseline, and a check that the two
   results.json are identical;
3. ``rairtc study`` on N patients (when N is larger), against the 8 GB target, with the
   baseline projected linearly to N.

Unattended at a million patients (about 25-35 minutes on a quiet 2-core machine):

    python benchmarks/study.py --patients 1000000
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

from validate_memory import Measured, measure_tree, registry

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


BEFORE = """
import json, sys
from datetime import date
from pathlib import Path
from rairtc.cli.study_input import RegistryChunks, StudyEngine, bulk_chooser, workers
from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.io.checksum import input_sha256
from rairtc.report.build import write_report
from rairtc.report.pseudonyms import identify_outputs
from rairtc.study.run import StudyOptions, run_study_chunks

folder, as_of, out = Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), Path(sys.argv[3])
chunks = RegistryChunks(folder, today=max(as_of, date.today()), lenient=False,
                        params=DEFAULT_PARAMETERS, skip_invalid=False, csv=None)
options = StudyOptions(as_of=as_of, params=DEFAULT_PARAMETERS, workers=workers())
# a plain callable: both passes read here, as before the chunks were mapped over the cores
results = run_study_chunks(lambda: chunks(), options, input_sha256=input_sha256(folder),
                           bulk=bulk_chooser(StudyEngine.AUTO, folder, chunks))
results = identify_outputs(results, key_file=None, identified_outputs=True)
text = json.dumps(results, ensure_ascii=False, indent=1, allow_nan=False)
out.mkdir(parents=True, exist_ok=True)
(out / "results.json").write_text(text + "\\n", encoding="utf-8")
write_report(results, out, "en")
"""

WARM_UP = (
    "import rairtc.cli.app, rairtc.cli.study_commands, rairtc.report.build, rairtc.report.pdf, "
    "rairtc.report.excel, rairtc.report.word, rairtc.bulk.api, rairtc.study.in_bulk"
)


def child_environment(root: Path) -> dict[str, str]:
    """Compiled modules cached under ``root`` (this sandbox sets PYTHONDONTWRITEBYTECODE: every
    run would recompile rairtc, Ibis, pandas and matplotlib first), English reports."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(root / "pycache"), "RAIRTC_LANG": "en"}


def timed(label: str, command: list[str], root: Path, n: int) -> Measured:
    run = measure_tree(command, child_environment(root), root / f"{label}.stderr")
    if run.code != 0:
        raise SystemExit(f"{label} failed with exit code {run.code}: see {root / label}.stderr")
    print(
        f"{label}: {n:,} patients in {run.seconds:.1f} s ({n / run.seconds:,.0f} patients/s), "
        f"CPU {run.cpu:.1f} s, peak PSS {run.peak_gb:.2f} GB",
        flush=True,
    )
    return run


def study_command(folder: Path, out: Path) -> list[str]:
    return [
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


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def on_registry(n: int, seed: int, root: Path, baseline: int) -> None:
    b = min(n, baseline)
    small = registry(b, root, seed)
    print(f"load average {load()} ({os.cpu_count()} cores)", flush=True)
    subprocess.run([sys.executable, "-c", WARM_UP], check=True, env=child_environment(root))
    before_out, after_out = root / f"study-before-{b}-{seed}", root / f"study-{b}-{seed}"
    before = timed(
        "baseline (one process reads both passes) + reports",
        [sys.executable, "-c", BEFORE, str(small), REGISTRY_AS_OF.isoformat(), str(before_out)],
        root,
        b,
    )
    after = timed("rairtc study (reports included)", study_command(small, after_out), root, b)
    same = (before_out / "results.json").read_bytes() == (after_out / "results.json").read_bytes()
    print(
        f"ratio to the baseline at {b:,}: wall {after.seconds / before.seconds:.2f}x, CPU "
        f"{after.cpu / before.cpu:.2f}x, memory {after.peak_gb / before.peak_gb:.2f}x; "
        f"results.json {'identical' if same else 'DIFFERENT'}",
        flush=True,
    )
    if not same:
        raise SystemExit("the two results.json differ")
    if n > b:
        folder = registry(n, root, seed)
        print(f"load average {load()}", flush=True)
        run = timed(
            "rairtc study (reports included)",
            study_command(folder, root / f"study-{n}-{seed}"),
            root,
            n,
        )
        projected = before.seconds * n / b
        verdict = "meets" if run.peak_gb <= TARGET_GB else "MISSES"
        print(
            f"at {n:,}: {verdict} the {TARGET_GB:.0f} GB target; the baseline projected "
            f"linearly to {n:,}: {projected:,.0f} s ({projected / run.seconds:.2f}x this run)"
        )
    print(f"load average after: {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=None, help="study a synthetic registry")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "rairtc-bench")
    parser.add_argument(
        "--baseline", type=int, default=100_000, help="patients of the same-run baseline"
    )
    args = parser.parse_args()
    if args.patients is None:
        in_memory(N)
    else:
        on_registry(args.patients, args.seed, args.root, args.baseline)


if __name__ == "__main__":
    main()
