"""JSON (one patient object or a list) and JSON Lines (one patient object a line)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.records import Patient
from rairtc.core.source import SourcePatient, json_locations
from rairtc.io.layout import Assembled
from rairtc.io.malformed import malformed


def _text(path: FsPath, fmt: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise malformed(path.name, fmt, f"not UTF-8 text (byte {error.start})") from None


def _as_patient(value: Any, where: str, path: FsPath, fmt: str) -> SourcePatient:
    if not isinstance(value, dict):
        raise malformed(
            path.name, fmt, f"{where} is a {type(value).__name__}, not a patient object"
        )
    return SourcePatient(value, json_locations(value, where))


def read_json(path: FsPath) -> Assembled:
    text = _text(path, "JSON")
    if not text.strip():
        raise malformed(path.name, "JSON", "the file is empty")
    try:
        data = json.loads(text)
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
            data = json.loads(line)
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
