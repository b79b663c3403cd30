"""Public entry points: a synthetic registry of any size, and the embedded demo registry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from rairtc.core.records import Patient
from rairtc.synth.generator import generate
from rairtc.synth.patients import demo_ineligible
from rairtc.synth.tables import to_patients, write_parquet

DEMO_SEED = 2023
DEMO_TODAY = date(2025, 1, 1)  # the demo's records end on 2024-12-31


def synthetic_columns(
    n: int, seed: int, *, index_year: int = 2023
) -> dict[str, dict[str, np.ndarray]]:
    return generate(n, seed, index_year=index_year)


def synthetic_patients(n: int, seed: int, *, index_year: int = 2023) -> list[Patient]:
    return to_patients(generate(n, seed, index_year=index_year), today=date(index_year + 2, 1, 1))


def write_synthetic_parquet(n: int, seed: int, folder: Path, *, index_year: int = 2023) -> None:
    write_parquet(generate(n, seed, index_year=index_year), folder)


def demo_patients() -> list[Patient]:
    """The embedded demo: 445 eligible patients with index admissions in 2023 and 26
    ineligible records (14 without a 2023 course, 9 aged outside 18-80, 3 poorly
    differentiated), fixed seed."""
    columns = generate(0, DEMO_SEED, ineligible=demo_ineligible(445), prefix="DEMO-")
    return to_patients(columns, today=DEMO_TODAY)
