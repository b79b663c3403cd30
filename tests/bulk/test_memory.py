"""The bulk engine's DuckDB works within a memory bound and spills to a private folder, so that
a registry larger than memory is classified instead of exhausting the machine."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rairtc.bulk import sources
from rairtc.bulk.api import classify_arrow
from rairtc.cli.app import app
from rairtc.core.errors import RairtcError
from rairtc.core.records import Patient
from tests.bulk.equivalence import write_parquet

AS_OF = date(2024, 12, 31)
GIB = 1 << 30


def registry(folder: Path) -> Path:
    patient = Patient.model_validate(
        {
            "id": "A",
            "sex": "F",
            "birth_date": "1970-01-01",
            "diagnosis_date": "2020-01-01",
            "histology": "papillary",
            "rai_courses": [{"date": "2020-02-01", "activity_mci": 100}],
        }
    )
    return write_parquet([patient], folder)


def setting(source: Path, name: str) -> str:
    con = sources.open_registry(source, AS_OF).backend.con
    return str(con.execute(f"SELECT current_setting('{name}')").fetchone()[0])


def test_half_of_the_available_memory_is_the_default_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RAIRTC_BULK_MEMORY_LIMIT", raising=False)
    monkeypatch.setattr(sources, "available_memory", lambda: 8 * GIB)
    assert sources.memory_limit() == "4096MiB"


def test_a_nearly_full_machine_still_leaves_the_engine_one_gib(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RAIRTC_BULK_MEMORY_LIMIT", raising=False)
    monkeypatch.setattr(sources, "available_memory", lambda: 300 << 20)
    assert sources.memory_limit() == "1024MiB"


def test_an_unknown_amount_of_memory_leaves_duckdb_its_own_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RAIRTC_BULK_MEMORY_LIMIT", raising=False)
    monkeypatch.setattr(sources, "available_memory", lambda: None)
    assert sources.memory_limit() is None


def test_the_spill_folder_is_private_and_never_the_current_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("RAIRTC_BULK_TEMP_DIRECTORY", raising=False)
    folder = registry(tmp_path / "registry")
    spill = Path(setting(folder, "temp_directory"))
    assert spill.parent == Path(tempfile.gettempdir())
    assert spill.name.startswith("rairtc-bulk-")


def test_the_bound_and_the_spill_folder_can_be_chosen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RAIRTC_BULK_MEMORY_LIMIT", "2GB")
    monkeypatch.setenv("RAIRTC_BULK_TEMP_DIRECTORY", str(tmp_path / "spill"))
    folder = registry(tmp_path / "registry")
    assert setting(folder, "memory_limit") == "1.8 GiB"
    assert setting(folder, "temp_directory") == str(tmp_path / "spill")


def test_a_small_bound_gives_the_same_classification(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = registry(tmp_path / "registry")
    expected = classify_arrow(folder, AS_OF)
    monkeypatch.setenv("RAIRTC_BULK_MEMORY_LIMIT", "64MB")
    monkeypatch.setenv("RAIRTC_BULK_TEMP_DIRECTORY", str(tmp_path / "spill"))
    assert classify_arrow(folder, AS_OF).equals(expected)


def test_running_out_of_memory_says_which_setting_to_change(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Not an internal error: the bound and the spill folder are the user's to change."""
    folder = registry(tmp_path / "registry")
    monkeypatch.setenv("RAIRTC_BULK_MEMORY_LIMIT", "1MB")
    monkeypatch.setenv("RAIRTC_BULK_TEMP_DIRECTORY", str(tmp_path / "spill"))
    with pytest.raises(RairtcError) as raised:
        classify_arrow(folder, AS_OF)
    said = str(raised.value)
    assert raised.value.code == "bulk.out_of_memory"
    assert "1MB" in said and "RAIRTC_BULK_MEMORY_LIMIT" in said and str(tmp_path / "spill") in said


def test_the_command_line_says_it_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = registry(tmp_path / "registry")
    monkeypatch.setenv("RAIRTC_BULK_MEMORY_LIMIT", "1MB")
    outcome = CliRunner().invoke(
        app, ["classify", str(folder), "--engine", "bulk", "--format", "csv", "--lang", "ru"]
    )
    assert outcome.exit_code == 1
    assert "не хватило памяти" in outcome.output and "internal" not in outcome.output


def test_without_a_bound_of_its_own_the_message_names_duckdbs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When rairtc could not read the memory available, DuckDB keeps its own default bound,
    and that is the one named."""
    import duckdb
    import ibis

    from rairtc.bulk import api

    monkeypatch.delenv("RAIRTC_BULK_MEMORY_LIMIT", raising=False)
    monkeypatch.setattr(sources, "available_memory", lambda: None)
    con = ibis.duckdb.connect()
    con.raw_sql("SET memory_limit = '3GB'")
    with pytest.raises(RairtcError, match=r"2\.7 GiB"), api._memory_said(con):
        raise duckdb.OutOfMemoryException("could not allocate")
