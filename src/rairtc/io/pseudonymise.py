"""Pseudonymised research exports: nothing left that identifies a patient directly.

- The registry id becomes :func:`~rairtc.report.pseudonyms.keyed_pseudonym` (HMAC-SHA256 under
  the manager's key): the same key gives the same pseudonyms in every export, so exports can
  be linked to one another; without the key they cannot be linked back to the registry.
- Every date of a patient, the birth date included, moves back by one secret number of days
  (1 to :data:`MAX_SHIFT_DAYS`) derived from the key and the registry id, so intervals are
  exact and no date lands in the future. Among the candidate offsets the first that keeps the
  patient's age in completed years on every dated record is taken (a shift across 29 February
  can otherwise change an age by one day's worth), so staging by age and the study's age
  limits give the same answers.
- The identifier fields (``full_name``, ``national_id``, ``mrn``) and free text (MDT notes,
  the centre of a course) are removed; sub-record ids, which may be accession numbers, become
  their position (``surgery-1``).

The key file holds the key as hex; it is created when absent (readable by its owner only)
and never overwritten.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rairtc.core.dates import completed_years
from rairtc.core.errors import UsageError
from rairtc.core.records import Patient
from rairtc.report.pseudonyms import KEY_BYTES, keyed_pseudonym, new_key

MAX_SHIFT_DAYS = 1825
_ATTEMPTS = 64
_HEADER = "# rairtc pseudonymisation key. Keep it with the registry manager, never with an export:"
_WARNING = "# with it and the registry, exported pseudonyms and dates lead back to the patients."


def _usage(code: str, **params: object) -> UsageError:
    """A usage error in English carrying its code, said in the user's language by the CLI."""
    from rairtc.i18n import translate

    return UsageError(translate(code, params), code=code, params=params)


def write_new_key(path: Path) -> bytes:
    """Create the key file; refuses (never overwrites) a path that exists."""
    key = new_key()
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise _usage("io.key_exists", path=path) from None
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(f"{_HEADER}\n{_WARNING}\nkey={key.hex()}\n")
    return key


def read_key(path: Path) -> bytes:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise _usage("io.key_unreadable", path=path, error=type(error).__name__) from None
    for line in lines:
        if line.startswith("key="):
            try:
                key = bytes.fromhex(line[4:].strip())
            except ValueError:
                break
            if len(key) == KEY_BYTES:
                return key
    raise UsageError(
        f"{path} is not a rairtc key file (a line key=<{KEY_BYTES * 2} hex digits>); "
        "give the manager's key file, or a new path to create one"
    )


def load_or_create_key(path: Path) -> tuple[bytes, bool]:
    """The key and whether it was created now."""
    if path.exists():
        return read_key(path), False
    return write_new_key(path), True


def _candidates(patient_id: str, key: bytes) -> Iterator[int]:
    for attempt in range(_ATTEMPTS):
        message = f"date-shift\x00{patient_id}\x00{attempt}".encode()
        digest = hmac.new(key, message, hashlib.sha256).digest()
        yield -(int.from_bytes(digest[:8], "big") % MAX_SHIFT_DAYS + 1)
    yield -1461 * 4  # 16 years: keeps month and day, hence every age, from 1901 to 2099


def patient_dates(patient: Patient) -> list[date]:
    """Every date of a record, the birth date first."""
    out = [patient.birth_date, patient.diagnosis_date]
    out += [d for d in (patient.last_follow_up, patient.deceased_date) if d is not None]
    for items in (
        patient.surgeries,
        patient.rai_courses,
        patient.imaging,
        patient.labs,
        patient.mdt,
    ):
        out += [item.date for item in items]
    return out


def date_offset(patient: Patient, key: bytes) -> int:
    """The patient's secret shift in days (negative), one that keeps every age."""
    birth, *others = patient_dates(patient)
    for offset in _candidates(patient.id, key):
        shift = timedelta(days=offset)
        if all(
            completed_years(birth + shift, d + shift) == completed_years(birth, d) for d in others
        ):
            return offset
    raise AssertionError("the 16-year shift keeps every age")  # pragma: no cover


def _shift(day: date | None, shift: timedelta) -> date | None:
    return None if day is None else day + shift


def pseudonymise_patient(patient: Patient, key: bytes) -> Patient:
    shift = timedelta(days=date_offset(patient, key))

    def moved(items: Sequence[Any], prefix: str, **update: object) -> tuple[Any, ...]:
        return tuple(
            item.model_copy(update={"id": f"{prefix}-{n}", "date": item.date + shift, **update})
            for n, item in enumerate(items, start=1)
        )

    imaging = tuple(
        study.model_copy(
            update={
                "id": f"imaging-{n}",
                "date": study.date + shift,
                "findings": tuple(
                    f.model_copy(update={"id": f"finding-{n}-{m}"})
                    for m, f in enumerate(study.findings, start=1)
                ),
            }
        )
        for n, study in enumerate(patient.imaging, start=1)
    )
    return patient.model_copy(
        update={
            "id": keyed_pseudonym(patient.id, key),
            "full_name": None,
            "national_id": None,
            "mrn": None,
            "birth_date": patient.birth_date + shift,
            "diagnosis_date": patient.diagnosis_date + shift,
            "last_follow_up": _shift(patient.last_follow_up, shift),
            "deceased_date": _shift(patient.deceased_date, shift),
            "surgeries": moved(patient.surgeries, "surgery"),
            "rai_courses": moved(patient.rai_courses, "course", centre=None),
            "imaging": imaging,
            "labs": moved(patient.labs, "lab"),
            "mdt": moved(patient.mdt, "mdt", note=None),
        }
    )


def pseudonymise(patients: Sequence[Patient], key: bytes) -> list[Patient]:
    return [pseudonymise_patient(p, key) for p in patients]
