"""The bulk engine on PostgreSQL (a real server) and on Spark (local mode) gives the same
output as the reference engine, over a smaller sample than DuckDB's (issue 12)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from rairtc.bulk.api import classify_arrow
from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters
from rairtc.core.records import Patient
from tests.bulk.boundaries import as_of_dates, parameters, registries
from tests.bulk.equivalence import bulk_rows, differences, reference_rows, write_parquet

AS_OF = date(2024, 12, 31)
SAMPLE = max(3, settings.default.max_examples // 12)
SPARK_SAMPLE = max(1, settings.default.max_examples // 30)  # Spark plans a query in ~60 s


def published_and_examples(fixtures: Path) -> list[Patient]:
    from rairtc.io.registry import load_valid_registry

    cases = [
        Patient.model_validate(c) for c in json.loads((fixtures / "paper-cases.json").read_text())
    ]
    examples = Path(__file__).parents[2] / "src" / "rairtc" / "examples" / "registry.json"
    return cases + load_valid_registry(examples, today=date(2026, 1, 1)).patients


def on_postgres(
    url: str, patients: list[Patient], as_of: date, params: RuleParameters
) -> list[Any]:
    from rairtc.bulk.load import load_parquet_folder

    with tempfile.TemporaryDirectory() as tmp:
        load_parquet_folder(write_parquet(patients, Path(tmp) / "r"), url)
    bulk = bulk_rows(classify_arrow(url, as_of, params, details=True))
    return differences(reference_rows(patients, as_of, params), bulk)


def test_postgres_agrees_on_the_published_cases_and_examples(
    postgres_url: str, fixtures: Path
) -> None:
    assert (
        on_postgres(postgres_url, published_and_examples(fixtures), AS_OF, DEFAULT_PARAMETERS) == []
    )


@settings(max_examples=SAMPLE)
@given(patients=registries(max_size=12), params=parameters(), as_of=as_of_dates())
def test_postgres_agrees_at_the_boundaries(
    postgres_url: str, patients: list[Patient], params: RuleParameters, as_of: date
) -> None:
    assert on_postgres(postgres_url, patients, as_of, params) == []


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for the test session (start-up costs seconds)."""
    pytest.importorskip("pyspark")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from rairtc.bulk.sources import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


def on_spark(spark: Any, patients: list[Patient], as_of: date, params: RuleParameters) -> list[Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_parquet(patients, Path(tmp) / "r")
        bulk = bulk_rows(
            classify_arrow(folder, as_of, params, backend="spark", spark=spark, details=True)
        )
    return differences(reference_rows(patients, as_of, params), bulk)


@settings(max_examples=SPARK_SAMPLE)
@given(drawn=registries(max_size=30), params=parameters(), as_of=as_of_dates())
def test_spark_agrees_on_the_published_cases_examples_and_boundaries(
    spark: Any, drawn: list[Patient], params: RuleParameters, as_of: date
) -> None:
    from tests.conftest import FIXTURES

    patients = published_and_examples(FIXTURES) + drawn
    assert on_spark(spark, patients, as_of, params) == []
