"""Registries the exchange tests share: the bundled example and a small synthetic one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import rairtc.examples
from rairtc.core.records import Patient
from rairtc.io.registry import load_valid_registry
from rairtc.synth.registry import synthetic_patients

EXAMPLE = Path(rairtc.examples.__file__).parent / "registry.json"
TODAY = date(2026, 1, 1)


@pytest.fixture(scope="session")
def example() -> list[Patient]:
    return load_valid_registry(EXAMPLE, today=TODAY).patients


@pytest.fixture(scope="session")
def synthetic() -> list[Patient]:
    return synthetic_patients(40, seed=15)
