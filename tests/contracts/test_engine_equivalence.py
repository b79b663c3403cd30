"""The core guarantee of issue 12: the bulk engine and the reference engine give identical
output on every patient and every field (the CSV columns, and each listed criterion's
``confirmed`` and ``flags``), on registries generated at every boundary of the rules, on the
bundled examples, the published cases and a synthetic registry.

PostgreSQL and Spark run the same comparison over a smaller sample (``tests/bulk``).
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings

from rairtc.bulk.api import classify_arrow
from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters, preset
from rairtc.core.records import Patient
from tests.bulk.boundaries import as_of_dates, parameters, registries
from tests.bulk.equivalence import bulk_rows, differences, reference_rows, write_parquet

AS_OF = date(2024, 12, 31)


def assert_engines_agree(
    patients: list[Patient], folder: Path, as_of: date, params: RuleParameters
) -> None:
    write_parquet(patients, folder)
    bulk = bulk_rows(classify_arrow(folder, as_of, params, details=True))
    assert differences(reference_rows(patients, as_of, params), bulk) == []


@settings(max_examples=max(10, settings.default.max_examples // 2))
@given(registries(max_size=16), parameters(), as_of_dates())
def test_engines_agree_on_registries_built_at_every_boundary(
    patients: list[Patient], params: RuleParameters, as_of: date
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert_engines_agree(patients, Path(tmp) / "registry", as_of, params)


@pytest.mark.parametrize(
    "params",
    [
        DEFAULT_PARAMETERS,  # the study's definitions
        preset("literal_12_16"),  # progression only 12-16 months after the course
        DEFAULT_PARAMETERS.with_(staging_edition=7, count_unconfirmed_as_met=True),
    ],
)
def test_engines_agree_on_the_bundled_examples(params: RuleParameters, tmp_path: Path) -> None:
    from rairtc.io.registry import load_valid_registry

    examples = Path(__file__).parents[2] / "src" / "rairtc" / "examples" / "registry.json"
    patients = load_valid_registry(examples, today=date(2026, 1, 1)).patients
    assert_engines_agree(patients, tmp_path / "examples", AS_OF, params)


def test_engines_agree_on_the_published_cases(fixtures: Path, tmp_path: Path) -> None:
    cases = json.loads((fixtures / "paper-cases.json").read_text())
    patients = [Patient.model_validate(case) for case in cases]
    assert_engines_agree(patients, tmp_path / "cases", AS_OF, DEFAULT_PARAMETERS)


def test_engines_agree_on_a_synthetic_registry(tmp_path: Path) -> None:
    """2,000 patients here; ``benchmarks/bulk.py --check`` compares 20,000."""
    from rairtc.synth.registry import synthetic_patients

    patients = synthetic_patients(2_000, seed=12)
    assert_engines_agree(patients, tmp_path / "synth", AS_OF, DEFAULT_PARAMETERS)
