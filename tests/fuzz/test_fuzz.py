"""A seeded mutation fuzzer over a valid registry in each of the seven formats.

Every mutated input must end in exit 0, 65 or 66 without a traceback, and rairtc is judged
against an independent strict reader of the mutated input (``strict_reader.py``):

- exit 0 and the strict reader accepts: the registry rairtc converts to JSON is the one the
  strict reader gives;
- exit 0 and the strict reader refuses the form: rairtc said so, with a normalisation or a
  reader's warning the unmutated registry did not have (never a silent accept); a form the
  strict reader accepts but the core's validation refuses must never be exit 0;
- exit 65 or 66: the strict reader refuses too (else rairtc refused a canonical registry).

``RAIRTC_FUZZ_CASES`` sets the cases per format (CI: 25), ``RAIRTC_FUZZ_FIRST`` the first seed
(new seeds, new cases); ``HYPOTHESIS_PROFILE=thorough`` runs 400. ``pytest tests/fuzz`` in CI:
39 s at load 13 on 2 cores (the round-trip oracle it replaced: 24 s in the same minute).
"""

from __future__ import annotations

import json
import os
import random
import shutil
from datetime import date
from pathlib import Path

import pytest

from rairtc.io.json_files import patient_to_json
from rairtc.io.registry import Loaded, load_registry, write_registry
from rairtc.synth.registry import synthetic_patients
from tests.cli.runner import invoke
from tests.fuzz import strict_reader
from tests.fuzz.mutations import BY_FORMAT

TODAY = "2025-06-30"
_THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
CASES = int(os.environ.get("RAIRTC_FUZZ_CASES", "400" if _THOROUGH else "25"))
FIRST = int(os.environ.get("RAIRTC_FUZZ_FIRST", "0"))
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


def _load(target: Path) -> Loaded:
    return load_registry(target, today=date.fromisoformat(TODAY))


def _report(loaded: Loaded) -> set[tuple[object, ...]]:
    """What the readers said: every normalisation and every problem of the files themselves."""
    said: set[tuple[object, ...]] = {
        (code, tuple(sorted(params.items()))) for code, _, params in loaded.tally.entries()
    }
    return said | {(p.code, p.record, p.field) for p in loaded.file_problems}


@pytest.mark.parametrize("fmt", list(TARGETS))
def test_the_strict_reader_accepts_what_rairtc_writes(fmt: str, originals: dict[str, Path]) -> None:
    """The oracle is no oracle if it refuses everything: the unmutated registry passes it."""
    expected = strict_reader.read(originals[fmt], today=date.fromisoformat(TODAY))
    assert not isinstance(expected, strict_reader.Reject), expected
    assert expected == [patient_to_json(p) for p in synthetic_patients(3, seed=16)]


@pytest.mark.parametrize("fmt", list(TARGETS))
def test_no_mutated_registry_crashes_or_is_misread(
    fmt: str, originals: dict[str, Path], tmp_path: Path
) -> None:
    before = _report(_load(originals[fmt]))
    failures = [
        failure
        for case in range(FIRST, FIRST + CASES)
        if (failure := _case(fmt, case, originals[fmt], tmp_path, before)) is not None
    ]
    assert not failures, f"{len(failures)} of {CASES} cases:\n" + "\n\n".join(failures[:5])


def _case(fmt: str, case: int, original: Path, tmp_path: Path, before: set[object]) -> str | None:
    """None when rairtc did right by the mutated input, else what went wrong."""
    rng = random.Random(f"{fmt}-{case}")
    case_dir = tmp_path / str(case)
    case_dir.mkdir()
    target = _copy(original, case_dir / TARGETS[fmt])
    what = rng.choice(BY_FORMAT[fmt])(target, rng)
    outcome = invoke("validate", str(target), "--today", TODAY)
    expected = strict_reader.read(target, today=date.fromisoformat(TODAY))
    verdict = expected if isinstance(expected, strict_reader.Reject) else "accepts"
    context = (
        f"{fmt} case {case} ({what}): exit {outcome.code}, strict reader {verdict}\n"
        f"{outcome.stderr[-1500:]}"
    )
    if outcome.code not in (0, 65, 66):
        return "exit code: " + context
    if "Traceback" in outcome.stderr or "internal error" in outcome.stderr:
        return "traceback: " + context
    if outcome.code != 0:
        return None if isinstance(expected, strict_reader.Reject) else "wrong reject: " + context
    if isinstance(expected, strict_reader.Reject):
        if expected.invalid:
            return "wrong accept: " + context
        return None if _report(_load(target)) - before else "silent accept: " + context
    back = case_dir / "back.json"
    converted = invoke("convert", str(target), str(back), "--today", TODAY)
    if converted.code != 0:
        return "convert failed: " + context + converted.stderr
    if json.loads(back.read_text(encoding="utf-8")) != expected:
        return "misread: " + context
    return None
