"""JSON (one patient object or a list) and JSON Lines (one patient object a line)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.messages import Problem
from rairtc.core.records import Patient
from rairtc.core.source import Path, SourcePatient, json_locations
from rairtc.io.layout import Assembled
from rairtc.io.malformed import malformed


def _text(path: FsPath, fmt: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise malformed(path.name, fmt, f"not UTF-8 text (byte {error.start})") from None


@dataclass(frozen=True)
class NonFinite:
    """``NaN``, ``Infinity`` or a number too large for a float, as written in the file."""

    text: str


def _constant(text: str) -> NonFinite:
    return NonFinite(text)


def _float(text: str) -> float | NonFinite:
    number = float(text)
    return number if math.isfinite(number) else NonFinite(text)


def loads(text: str) -> Any:
    """JSON where a non-finite number is a :class:`NonFinite` marker, never a float."""
    return json.loads(text, parse_constant=_constant, parse_float=_float)


def _non_finite(value: Any, path: Path) -> Iterator[Path]:
    if isinstance(value, NonFinite):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _non_finite(item, (*path, i))


def _cleared(value: Any) -> Any:
    if isinstance(value, NonFinite):
        return None
    if isinstance(value, dict):
        return {k: _cleared(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleared(v) for v in value]
    return value


def _as_patient(value: Any, where: str, path: FsPath, fmt: str) -> SourcePatient:
    """A patient object; every ``NaN`` or ``Infinity`` in it is an error naming its field."""
    if not isinstance(value, dict):
        raise malformed(
            path.name, fmt, f"{where} is a {type(value).__name__}, not a patient object"
        )
    bad = list(_non_finite(value, ()))
    if not bad:
        return SourcePatient(value, json_locations(value, where))
    data = _cleared(value)
    source = SourcePatient(data, json_locations(data, where))
    pid = source.patient_id
    problems = []
    for place in bad:
        record, field = source.where(place)
        marker: Any = value
        for step in place:
            marker = marker[step]
        problems.append(
            Problem("validation.not_finite", pid, record, field, {"value": marker.text})
        )
    return SourcePatient(data, source.locations, problems=tuple(problems))


def read_json(path: FsPath) -> Assembled:
    text = _text(path, "JSON")
    if not text.strip():
        raise malformed(path.name, "JSON", "the file is empty")
    try:
        data = loads(text)
    except json.JSONDecodeError as error:
        raise malformed(
            path.name, "JSON", f"{error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    if isinstance(data, list):
        return Assembled(
            [_as_patient(item, f"$[{i}]", path, "JSON") for i, item in enumerate(data)]
        )
    return Assembled([_as_patient(data, "$", path, "JSON")])


def read_jsonl(path: FsPath) -> Assembled:
    text = _text(path, "JSON Lines")
    if not text.strip():
        raise malformed(path.name, "JSON Lines", "the file is empty")
    sources = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = loads(line)
        except json.JSONDecodeError as error:
            raise malformed(path.name, "JSON Lines", f"line {number}: {error.msg}") from None
        sources.append(_as_patient(data, f"line {number} $", path, "JSON Lines"))
    return Assembled(sources)


def patient_to_json(patient: Patient) -> dict[str, Any]:
    """A patient as a JSON object: unknown (null) fields left out, lists kept."""
    data: dict[str, Any] = patient.model_dump(mode="json", exclude_none=True)
    return data


def write_json(patients: Sequence[Patient], path: FsPath) -> None:
    payload = [patient_to_json(p) for p in patients]
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_jsonl(patients: Sequence[Patient], path: FsPath) -> None:
    with path.open("w", encoding="utf-8") as out:
        for patient in patients:
            out.write(json.dumps(patient_to_json(patient), ensure_ascii=False) + "\n")
