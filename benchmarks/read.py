"""Reading a registry of CSV tables through rairtc's readers (headers, cell rules, assembly).

Baselines, in the same run: parsing the same files with the standard library's csv module
alone (the I/O and parsing floor), and reading the same registry from JSON (typed values, no
cell rules, no assembly), so the ratios show what reading cells the way clinicians type them
(dates, decimal commas, aliases, NaN) and assembling patients from tables add.
"""

from __future__ import annotations

import csv
import tempfile
import time
from pathlib import Path

from rairtc.io.registry import read_sources, write_registry
from rairtc.synth.registry import synthetic_patients

N = 2_000


def main() -> None:
    patients = synthetic_patients(N, 2023)
    with tempfile.TemporaryDirectory() as folder:
        tables = Path(folder) / "tables"
        write_registry(patients, tables)
        start = time.perf_counter()
        rows = 0
        for path in sorted(tables.glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as text:
                rows += sum(1 for _ in csv.reader(text))
        floor = time.perf_counter() - start
        start = time.perf_counter()
        assembled = read_sources(tables)
        read = time.perf_counter() - start
        registry = Path(folder) / "r.json"
        write_registry(patients, registry)
        start = time.perf_counter()
        read_sources(registry)
        json_read = time.perf_counter() - start
    assert len(assembled.sources) == N
    print(
        f"read: {N:,} patients ({rows:,} CSV rows) read into source patients in {read:.2f} s; "
        f"baselines: csv module parse alone {floor:.2f} s (ratio {read / floor:.1f}x), "
        f"the same registry from JSON {json_read:.2f} s (ratio {read / json_read:.1f}x)"
    )


if __name__ == "__main__":
    main()
