"""Pseudonymised exports: no identifier and no true date left, intervals and ages kept."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rairtc.core.dates import completed_years
from rairtc.core.errors import UsageError
from rairtc.core.records import Patient
from rairtc.io.pseudonymise import (
    MAX_SHIFT_DAYS,
    date_offset,
    load_or_create_key,
    patient_dates,
    pseudonymise,
    read_key,
    write_new_key,
)
from rairtc.io.registry import load_valid_registry
from rairtc.report.pseudonyms import keyed_pseudonym
from tests.cli.runner import invoke
from tests.io.exchange.conftest import EXAMPLE, TODAY
from tests.strategies import registries

KEYS = st.binary(min_size=32, max_size=32)


@given(registries(), KEYS)
def test_no_identifier_free_text_or_original_id_is_left(
    patients: list[Patient], key: bytes
) -> None:
    for before, after in zip(patients, pseudonymise(patients, key), strict=True):
        assert after.id == keyed_pseudonym(before.id, key) != before.id
        assert (after.full_name, after.national_id, after.mrn) == (None, None, None)
        assert all(entry.note is None for entry in after.mdt)
        assert all(course.centre is None for course in after.rai_courses)
        ids = [r.id for t in ("surgeries", "rai_courses", "labs", "mdt") for r in getattr(after, t)]
        ids += [s.id for s in after.imaging] + [f.id for s in after.imaging for f in s.findings]
        assert all(i is not None and i.split("-")[0].isalpha() for i in ids)


@given(registries(), KEYS)
def test_every_date_moves_back_by_the_patients_one_offset(
    patients: list[Patient], key: bytes
) -> None:
    for before, after in zip(patients, pseudonymise(patients, key), strict=True):
        old, new = patient_dates(before), patient_dates(after)
        shifts = {(n - o).days for o, n in zip(old, new, strict=True)}
        assert len(shifts) == 1  # one offset: every interval is unchanged
        (shift,) = shifts
        assert -4 * 1461 <= shift < 0  # no original date is left, none lands in the future
        assert all(n != o for o, n in zip(old, new, strict=True))


@given(registries(), KEYS)
def test_ages_in_completed_years_are_kept(patients: list[Patient], key: bytes) -> None:
    for before, after in zip(patients, pseudonymise(patients, key), strict=True):
        (birth, *rest), (new_birth, *new_rest) = patient_dates(before), patient_dates(after)
        assert [completed_years(birth, d) for d in rest] == [
            completed_years(new_birth, d) for d in new_rest
        ]


@given(registries(max_size=2), KEYS, KEYS)
def test_the_same_key_gives_the_same_export_and_another_key_another(
    patients: list[Patient], key: bytes, other: bytes
) -> None:
    assert pseudonymise(patients, key) == pseudonymise(patients, key)
    if other != key:
        assert [p.id for p in pseudonymise(patients, key)] != [
            p.id for p in pseudonymise(patients, other)
        ]


def test_offsets_stay_within_five_years_for_ordinary_records(example: list[Patient]) -> None:
    key = bytes(range(32))
    assert all(-MAX_SHIFT_DAYS <= date_offset(p, key) <= -1 for p in example)


def test_a_birthday_on_29_february_keeps_its_age(example: list[Patient]) -> None:
    patient = example[0].model_copy(
        update={"birth_date": date(1980, 2, 29), "diagnosis_date": date(2023, 2, 28)}
    )
    for seed in range(30):
        (after,) = pseudonymise([patient], bytes([seed]) * 32)
        assert completed_years(after.birth_date, after.diagnosis_date) == 42


def test_the_example_export_holds_no_identifier_text(example: list[Patient]) -> None:
    text = json.dumps([p.model_dump(mode="json") for p in pseudonymise(example, b"k" * 32)])
    for patient in example:
        for value in (patient.id, patient.mrn, patient.national_id, patient.full_name):
            assert value is None or value not in text
        assert patient.birth_date.isoformat() not in text


def test_a_key_file_is_created_private_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "key.txt"
    key, created = load_or_create_key(path)
    assert created and len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == (key, False)
    with pytest.raises(UsageError, match="never overwritten"):
        write_new_key(path)
    assert read_key(path) == key


def test_a_file_that_is_not_a_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("remember the milk\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not a rairtc key file"):
        read_key(path)


@pytest.mark.parametrize(
    ("out", "to"), [("export.json", None), ("records.csv", "redcap"), ("fhir", "fhir")]
)
def test_export_writes_a_valid_pseudonymised_registry(
    tmp_path: Path, example: list[Patient], out: str, to: str | None
) -> None:
    key = tmp_path / "manager" / "key.txt"
    key.parent.mkdir()
    args = ["export", str(EXAMPLE), str(tmp_path / out), "--pseudonymise", str(key)]
    outcome = invoke(*args, *(["--to", to] if to else []), "--today", "2026-01-01")
    assert outcome.code == 0, outcome.stderr
    assert "created" in outcome.stderr
    back = load_valid_registry(tmp_path / out, today=TODAY).patients
    assert back == pseudonymise(example, read_key(key))
    again = invoke(*args, *(["--to", to] if to else []), "--today", "2026-01-01")
    assert again.code == 0 and "used" in again.stderr


def test_the_key_may_not_be_written_into_the_export(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    outcome = invoke("export", str(EXAMPLE), str(out), "--pseudonymise", str(out / "key.txt"))
    assert outcome.code == 2 and "apart from the export" in outcome.stderr
    assert not out.exists()


def test_an_export_without_pseudonymise_or_aggregate_is_refused(tmp_path: Path) -> None:
    outcome = invoke("export", str(EXAMPLE), str(tmp_path / "x.json"))
    assert outcome.code == 2 and "--pseudonymise KEYFILE" in outcome.stderr


def test_an_invalid_registry_writes_nothing_and_creates_no_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps([{"id": "B1", "sex": "X", "birth_date": "1970-01-01",
                     "diagnosis_date": "2020-01-01", "histology": "papillary"}]),
        encoding="utf-8",
    )  # fmt: skip
    key = tmp_path / "key.txt"
    outcome = invoke("export", str(bad), str(tmp_path / "o.json"), "--pseudonymise", str(key))
    assert outcome.code == 65 and "patient B1" in outcome.stderr and "field sex" in outcome.stderr
    assert not key.exists() and not (tmp_path / "o.json").exists()
