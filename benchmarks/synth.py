"""1,000,000 synthetic patients written as Parquet tables (target: under 60 s on this machine).

Baseline, in the same run: writing the same in-memory tables with pyarrow alone (the I/O
floor), so the ratio shows what generating the histories adds.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from rairtc.synth.generator import generate
from rairtc.synth.tables import arrow_tables

N = 1_000_000
TARGET_S = 60.0


def main() -> None:
    start = time.perf_counter()
    columns = generate(N, 2023)
    tables = arrow_tables(columns)
    built = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        for name, table in tables.items():
            pq.write_table(table, Path(folder) / f"{name}.parquet")
        written = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(folder).iterdir())
    rows = sum(t.num_rows for t in tables.values())
    total = built + written
    verdict = "meets" if total < TARGET_S else "MISSES"
    print(
        f"synth: {N:,} patients, {rows:,} rows, {size / 1e6:.0f} MB of Parquet in {total:.1f} s "
        f"(generate {built:.1f} s + write {written:.1f} s); baseline pyarrow write alone {written:.1f} s; "
        f"ratio {total / written:.1f}x; {verdict} the {TARGET_S:.0f} s target"
    )


if __name__ == "__main__":
    main()
