"""Every format round-trips generated registries unchanged (data-model.md: lossless)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from rairtc.core.source import SourcePatient
from rairtc.core.validation import validate_registry
from rairtc.io.registry import load_valid_registry, write_registry
from tests.strategies import TODAY, registries

TARGETS = [
    ("r.json", False),
    ("r.jsonl", False),
    ("r.xlsx", False),
    ("r.duckdb", False),
    ("r.sqlite", False),
    ("tables", False),
    ("tables", True),
]


def there_and_back(patients, name: str, parquet: bool):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write_registry(patients, path, parquet=parquet)
        return load_valid_registry(path, today=TODAY).patients


def test_generated_patients_are_valid() -> None:
    @given(registries())
    def check(patients) -> None:
        sources = [SourcePatient(p.model_dump(mode="json")) for p in patients]
        results = validate_registry(sources, today=TODAY)
        assert all(r.ok for r in results), [
            p.line() for r in results for p in r.problems if p.is_error
        ]

    check()


@pytest.mark.parametrize(
    ("name", "parquet"), TARGETS, ids=[f"{n}{'-parquet' if p else ''}" for n, p in TARGETS]
)
def test_registry_with_ids_round_trips_exactly(name: str, parquet: bool) -> None:
    @given(registries(ids=True))
    def check(patients) -> None:
        assert there_and_back(patients, name, parquet) == patients

    check()


@pytest.mark.parametrize("name", ["tables", "r.xlsx", "r.sqlite"])
def test_tables_give_sub_records_ids_once_and_keep_them(name: str) -> None:
    @given(registries(ids=False, max_size=2))
    def check(patients) -> None:
        once = there_and_back(patients, name, False)
        assert [
            p.model_dump(exclude={"surgeries", "rai_courses", "imaging", "labs", "mdt"})
            for p in once
        ] == [
            p.model_dump(exclude={"surgeries", "rai_courses", "imaging", "labs", "mdt"})
            for p in patients
        ]
        for table in ("surgeries", "rai_courses", "imaging", "labs", "mdt"):
            for before, after in zip(patients, once, strict=True):
                strip = [r.model_copy(update={"id": None}) for r in getattr(after, table)]
                if table == "imaging":
                    strip = [
                        s.model_copy(
                            update={
                                "findings": tuple(
                                    f.model_copy(update={"id": None}) for f in s.findings
                                )
                            }
                        )
                        for s in strip
                    ]
                assert strip == list(getattr(before, table))
                assert all(r.id for r in getattr(after, table))
        assert there_and_back(once, name, False) == once

    check()
