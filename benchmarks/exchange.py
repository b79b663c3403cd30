"""Write and read speed of the exchange formats (REDCap, FHIR, OMOP) and the pseudonymiser.

Patients: a synthetic registry (``rairtc.synth``). Baseline, in the same run: writing and
reading the same registry as JSON (the registry's own lossless format). No target is set by
the issue; the ratio shows what each format costs over plain JSON (FHIR validates every Bundle
with ``fhir.resources`` on both sides).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rairtc.io.exchange import Exchange, write_to
from rairtc.io.pseudonymise import pseudonymise
from rairtc.io.registry import load_valid_registry, write_registry
from rairtc.synth.registry import synthetic_patients

N = 1_000
TODAY = date(2026, 1, 1)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    patients = synthetic_patients(N, seed=15)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        json_path = base / "r.json"
        write_json = timed(lambda: write_registry(patients, json_path))
        read_json = timed(lambda: load_valid_registry(json_path, today=TODAY))
        print(
            f"baseline JSON: write {write_json:.2f} s, read+validate {read_json:.2f} s ({N} patients)"
        )
        for to, name in (
            (Exchange.REDCAP, "r.csv"),
            (Exchange.FHIR, "r.ndjson"),
            (Exchange.OMOP, "omop"),
        ):
            path = base / name
            write = timed(lambda: write_to(patients, path, to))  # noqa: B023
            read = timed(lambda: load_valid_registry(path, today=TODAY))  # noqa: B023
            print(
                f"{to}: write {write:.2f} s ({write / write_json:.1f}x JSON), "
                f"read+validate {read:.2f} s ({read / read_json:.1f}x JSON)"
            )
    spent = timed(lambda: pseudonymise(patients, b"k" * 32))
    print(f"pseudonymise: {N / spent:,.0f} patients/s")


if __name__ == "__main__":
    main()
