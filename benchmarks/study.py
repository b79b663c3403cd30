"""The statistics of `rairtc study` on 10,000 patients (target: under 10 s on this machine).

The default study classifies every analysed patient again under four rule presets (issue 13);
the script also times the study without them.

Patients: the bundled example registry copied with new ids, shifted dates and varied ages
(see classify_reference.py). Baseline, in the same run: classifying the same patients with the
reference engine alone, so the ratio shows what the statistics add.
"""

from __future__ import annotations

import time
from datetime import date

from classify_reference import generated

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.records import Patient
from rairtc.core.rules.classify import classify
from rairtc.study.run import StudyOptions, run_study

N = 10_000
TARGET_S = 10.0
AS_OF = date(2026, 12, 31)


def main() -> None:
    patients = [Patient.model_validate(d) for d in generated(N, seed=7)]
    start = time.perf_counter()
    for p in patients:
        classify(p, AS_OF)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    results = run_study(
        patients, StudyOptions(as_of=AS_OF, params=DEFAULT_PARAMETERS), input_sha256="bench"
    )
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    run_study(
        patients,
        StudyOptions(as_of=AS_OF, params=DEFAULT_PARAMETERS, sensitivity=False),
        input_sha256="bench",
    )
    main_only = time.perf_counter() - start
    print(
        f"study without the preset sensitivity (--no-sensitivity): {main_only:.2f} s; "
        f"the sensitivity adds {elapsed - main_only:.2f} s"
    )
    verdict = "meets" if elapsed < TARGET_S else "MISSES"
    print(
        f"study: {N} patients ({results['flow']['analysed']} analysed, "
        f"{results['rair']['n_refractory']} refractory) in {elapsed:.2f} s; baseline classification "
        f"alone {baseline:.2f} s; ratio {elapsed / baseline:.1f}x; {verdict} the {TARGET_S:.0f} s target"
    )


if __name__ == "__main__":
    main()
