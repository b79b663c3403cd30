"""Throughput of the reference engine (target: more than 5,000 patients/s on 2 cores).

Patients: the bundled example registry, copied with new ids and dates shifted by a seeded
random offset, so every kind of history (each criterion, insensitive and non-evaluable
cases) is in the mix. Baseline, in the same run: building the same patients from their JSON
dicts with pydantic (`Patient.model_validate`), the cost of merely reading them.
"""

from __future__ import annotations

import json
import random
import time
from datetime import date, timedelta
from typing import Any

from rairtc.core.records import Patient
from rairtc.core.rules.classify import classify
from rairtc.examples import example_registry_path

N = 20_000
TARGET = 5_000
AS_OF = date(2026, 12, 31)


def shift(value: Any, days: int) -> Any:
    if isinstance(value, dict):
        return {k: shift(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [shift(v, days) for v in value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
    return value


def generated(n: int, seed: int = 2023) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    templates = json.loads(example_registry_path().read_text())
    out = []
    for i in range(n):
        data = shift(rng.choice(templates), rng.randint(-400, 0))
        data["id"] = f"B{i:06d}"
        out.append(data)
    return out


def main() -> None:
    raw = generated(N)
    start = time.perf_counter()
    patients = [Patient.model_validate(d) for d in raw]
    parse = time.perf_counter() - start
    start = time.perf_counter()
    results = [classify(p, AS_OF) for p in patients]
    elapsed = time.perf_counter() - start
    rate = N / elapsed
    refractory = sum(r.rair for r in results)
    verdict = "meets" if rate > TARGET else "MISSES"
    print(
        f"classify_reference: {N} patients in {elapsed:.2f} s = {rate:,.0f} patients/s "
        f"({refractory} refractory); baseline pydantic parsing {N / parse:,.0f} patients/s "
        f"({parse:.2f} s); classification costs {elapsed / parse:.1f}x parsing; "
        f"{verdict} the {TARGET:,} patients/s target"
    )


if __name__ == "__main__":
    main()
