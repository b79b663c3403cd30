"""A seeded mutation fuzzer over a valid registry in each of the seven formats.

Every mutated input must end in exit 0, 65 or 66 without a traceback; one that is accepted
must hold exactly what a strict re-read of its accepted records gives (it is converted to
JSON and read back: same patients). ``RAIRTC_FUZZ_CASES`` sets the cases per format (CI: a
few, about 30 s in all); ``HYPOTHESIS_PROFILE=thorough`` runs 40 times as many.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from rairtc.io.registry import load_registry, write_registry
from rairtc.synth.registry import synthetic_patients
from tests.cli.runner import invoke
from tests.fuzz.mutations import BY_FORMAT

TODAY = "2025-06-30"
_THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
CASES = int(os.environ.get("RAIRTC_FUZZ_CASES", "400" if _THOROUGH else "25"))
TARGETS = {
    "json": "registry.json",
    "jsonl": "registry.jsonl",
    "csv": "csv",
    "parquet": "parquet",
    "xlsx": "registry.xlsx",
    "sqlite": "registry.sqlite",
    "duckdb": "registry.duckdb",
}


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("originals")
    patients = synthetic_patients(3, seed=16)
    out = {}
    for fmt, name in TARGETS.items():
        out[fmt] = folder / name
        write_registry(patients, out[fmt], parquet=fmt == "parquet")
    return out


def _copy(source: Path, target: Path) -> Path:
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy(source, target)
    return target


@pytest.mark.parametrize("fmt", list(TARGETS))
def test_no_mutated_registry_crashes_or_is_half_read(
    fmt: str, originals: dict[str, Path], tmp_path: Path
) -> None:
    from datetime import date

    for case in range(CASES):
        rng = random.Random(f"{fmt}-{case}")
        case_dir = tmp_path / str(case)
        case_dir.mkdir()
        target = _copy(originals[fmt], case_dir / TARGETS[fmt])
        what = rng.choice(BY_FORMAT[fmt])(target, rng)
        outcome = invoke("validate", str(target), "--today", TODAY)
        context = f"{fmt} case {case} ({what}): exit {outcome.code}\n{outcome.stderr[-2000:]}"
        assert outcome.code in (0, 65, 66), context
        assert "Traceback" not in outcome.stderr and "internal error" not in outcome.stderr, context
        if outcome.code != 0:
            continue
        loaded = load_registry(target, today=date.fromisoformat(TODAY))
        back = case_dir / "back.json"
        converted = invoke("convert", str(target), str(back), "--today", TODAY)
        assert converted.code == 0, context + converted.stderr
        again = load_registry(back, today=date.fromisoformat(TODAY))
        assert again.patients == loaded.patients, context
