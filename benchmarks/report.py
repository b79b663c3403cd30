"""The whole report for 10,000 patients, PDF included (target: under 30 s on this machine).

Patients as in study.py. Baseline, in the same run: the statistics alone (run_study), so the
ratio shows what the figures, HTML, PDF and Excel add.
"""

from __future__ import annotations

import json
import tempfile
import time
from datetime import date
from pathlib import Path

from classify_reference import generated

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.records import Patient
from rairtc.report.build import write_report
from rairtc.study.run import StudyOptions, run_study

N = 10_000
TARGET_S = 30.0


def main() -> None:
    patients = [Patient.model_validate(d) for d in generated(N, seed=7)]
    start = time.perf_counter()
    results = run_study(
        patients,
        StudyOptions(as_of=date(2026, 12, 31), params=DEFAULT_PARAMETERS),
        input_sha256="bench",
    )
    results = json.loads(json.dumps(results))
    statistics = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_report(results, Path(folder), "ru")
        report = time.perf_counter() - start
        pages = (Path(folder) / "report.pdf").stat().st_size
    total = statistics + report
    verdict = "meets" if total < TARGET_S else "MISSES"
    print(
        f"report: {N} patients ({results['rair']['n_refractory']} refractory, at most 300 listed in the PDF): statistics "
        f"{statistics:.2f} s + report {report:.2f} s = {total:.2f} s (PDF {pages / 1e6:.1f} MB); baseline "
        f"statistics alone {statistics:.2f} s; ratio {total / statistics:.1f}x; {verdict} the {TARGET_S:.0f} s target"
    )


if __name__ == "__main__":
    main()
