"""JSON (one patient object or a list) and JSON Lines (one patient object a line)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.messages import Problem
from rairtc.core.records import FIELDS, LIST_FIELDS, Patient
from rairtc.core.source import Path, SourcePatient, json_locations
from rairtc.io.cells import Tally, Unreadable, kind_of, read_date
from rairtc.io.layout import Assembled
from rairtc.io.malformed import malformed


def _text(path: FsPath, fmt: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise malformed(path.name, fmt, f"not UTF-8 text (byte {error.start})") from None


@dataclass(frozen=True)
class Rejected:
    """A JSON value the strict reader refuses, with the problem it reports in its place:
    ``NaN``/``Infinity``, an integer beyond 64 bits, ``true`` where a number belongs, a number
    where a date belongs, a lone surrogate."""

    code: str
    params: tuple[tuple[str, str], ...]


def _rejected(code: str, **params: str) -> Rejected:
    return Rejected(code, tuple(params.items()))


_INT64 = 2**63
MAX_DEPTH = 12  # a registry nests 5 levels (list, patient, imaging, finding, value)


class DuplicateKey(ValueError):
    """Two members of one JSON object with the same name (the last would silently win)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise DuplicateKey(f"the key '{_short(twice)}' appears twice in one object")
    return data


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _constant(text: str) -> Rejected:
    return _rejected("validation.not_finite", value=text)


def _float(text: str) -> float | Rejected:
    number = float(text)
    return (
        number if math.isfinite(number) else _rejected("validation.not_finite", value=_short(text))
    )


def _int(text: str) -> int | Rejected:
    digits = text.lstrip("-")
    if len(digits) > 19 or not -_INT64 <= int(text) < _INT64:
        return _rejected(
            "validation.number_unreadable",
            value=_short(text),
            expected="a number of at most 19 digits",
        )
    return int(text)


def loads(text: str) -> Any:
    """Strict JSON: a non-finite number or an integer beyond 64 bits is a :class:`Rejected`
    marker, never a float or a big integer; a repeated key raises :class:`DuplicateKey`."""
    return json.loads(
        text,
        parse_constant=_constant,
        parse_float=_float,
        parse_int=_int,
        object_pairs_hook=_pairs,
    )


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects (iteratively: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack += [
                    (v, level + 1) for v in (item.values() if isinstance(item, dict) else item)
                ]
    return deepest


def _parse(text: str, where: str, name: str, fmt: str) -> Any:
    try:
        data = loads(text)
    except json.JSONDecodeError as error:
        raise malformed(
            name, fmt, f"{where}{error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except DuplicateKey as error:
        raise malformed(name, fmt, f"{where}{error}") from None
    except RecursionError:
        raise malformed(name, fmt, f"{where}nested too deeply") from None
    if _depth(data) > MAX_DEPTH:
        raise malformed(name, fmt, f"{where}nested more than {MAX_DEPTH} levels deep")
    return data


_NESTED = {"imaging": ("findings", "findings"), "mdt": ("recommendations", None)}


_NUMBER_KIND = {int: "a whole number", float: "a number"}
_EXPECTED: dict[type, str] = {**_NUMBER_KIND, bool: "true or false"}


def _checked(table: str | None, key: str, value: Any) -> Any:
    """``value`` as the strict reader keeps it: its JSON type must fit the field's kind."""
    if isinstance(value, Rejected) or value is None:
        return value
    if isinstance(value, str):
        if not _unicode(value):
            return _rejected("validation.text_not_unicode")
        if table is None or not value.strip():
            return value  # a blank value is unknown in every format (data-model.md)
        kind = kind_of(table, key)
        if kind is date and isinstance(read_date(value, Tally()), Unreadable):
            return _rejected("validation.date_invalid", value=_short(value))
        if kind in _EXPECTED:  # numbers are numbers and yes/no is true/false, never text
            return _rejected("validation.field_type", value=_short(value), expected=_EXPECTED[kind])
        return value
    if table is None or isinstance(value, dict | list):
        return value
    kind = kind_of(table, key)
    if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
        return _rejected("validation.field_type", value=_short(str(value)), expected="text")
    if kind is date:
        return _rejected("validation.date_invalid", value=_short(str(value)))
    if kind in (int, float) and isinstance(value, bool):
        return _rejected(
            "validation.field_type", value=str(value).lower(), expected=_NUMBER_KIND[kind]
        )
    if kind is bool and not isinstance(value, bool):
        return _rejected(
            "validation.field_type", value=_short(str(value)), expected="true or false"
        )
    return value


def _unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _strict_record(table: str | None, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if not _unicode(key):
            out[key] = value
            continue
        if table == "patients" and key in LIST_FIELDS and isinstance(value, list):
            out[key] = [_strict_record(key, v) if isinstance(v, dict) else v for v in value]
        elif table == "patients" and key == "molecular" and isinstance(value, dict):
            out[key] = {k: _checked("patients", f"molecular_{k}", v) for k, v in value.items()}
        elif table in _NESTED and key == _NESTED[table][0] and isinstance(value, list):
            inner = _NESTED[table][1]
            out[key] = [
                _strict_record(inner, v) if isinstance(v, dict) else _checked(None, key, v)
                for v in value
            ]
        elif table is not None and key in FIELDS.get(_KINDS.get(table, table), ()):
            out[key] = _checked(table, key, value)
        else:
            out[key] = _checked(None, key, value)
    return out


_KINDS = {"patients": "patient"}


def _marked(value: Any, path: Path) -> Iterator[tuple[Path, Rejected]]:
    if isinstance(value, Rejected):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _marked(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _marked(item, (*path, i))


def _cleared(value: Any) -> Any:
    if isinstance(value, Rejected):
        return None
    if isinstance(value, dict):
        return {k: _cleared(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleared(v) for v in value]
    return value


def _as_patient(value: Any, where: str, path: FsPath, fmt: str) -> SourcePatient:
    """A patient object; every value the strict reader refuses is an error naming its field."""
    if not isinstance(value, dict):
        raise malformed(
            path.name, fmt, f"{where} is a {type(value).__name__}, not a patient object"
        )
    if any(not _unicode(k) for k in _keys(value)):
        raise malformed(path.name, fmt, f"{where} has a key that is not Unicode text")
    value = _strict_record("patients", value)
    bad = list(_marked(value, ()))
    if not bad:
        return SourcePatient(value, json_locations(value, where))
    data = _cleared(value)
    source = SourcePatient(data, json_locations(data, where))
    pid = source.patient_id
    problems = []
    for place, marker in bad:
        record, field = source.where(place)
        problems.append(Problem(marker.code, pid, record, field, dict(marker.params)))
    return SourcePatient(data, source.locations, problems=tuple(problems))


def _keys(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield from item.keys()
            stack += item.values()
        elif isinstance(item, list):
            stack += item


def read_json(path: FsPath) -> Assembled:
    text = _text(path, "JSON")
    if not text.strip():
        raise malformed(path.name, "JSON", "the file is empty")
    data = _parse(text, "", path.name, "JSON")
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
        data = _parse(line, f"line {number}: ", path.name, "JSON Lines")
        sources.append(_as_patient(data, f"line {number} $", path, "JSON Lines"))
    return Assembled(sources)


def stream_jsonl(path: FsPath) -> Iterator[SourcePatient]:
    """The patients of a JSON Lines file one line at a time, as :func:`read_jsonl` reads
    them (same line numbers, same strict reader, the same first error) without holding the
    file's text."""
    _check_utf8(path)
    empty = True
    number = 0
    with path.open("rb") as stream:
        for physical in stream:
            try:
                decoded = physical.decode("utf-8-sig" if number == 0 else "utf-8")
            except UnicodeDecodeError:
                _text(path, "JSON Lines")  # raises the whole file's error, naming the byte
                raise
            for line in decoded.splitlines() or [""]:
                number += 1
                if not line.strip():
                    continue
                empty = False
                data = _parse(line, f"line {number}: ", path.name, "JSON Lines")
                yield _as_patient(data, f"line {number} $", path, "JSON Lines")
    if empty:
        raise malformed(path.name, "JSON Lines", "the file is empty")


def _check_utf8(path: FsPath) -> None:
    """Text that is not UTF-8 anywhere in the file is its first error, as for a whole read."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with path.open("rb") as stream:
        try:
            while block := stream.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            _text(path, "JSON Lines")  # raises the whole file's error, naming the byte
            raise


def patient_to_json(patient: Patient) -> dict[str, Any]:
    """A patient as a JSON object: unknown (null) fields left out, lists kept."""
    data: dict[str, Any] = patient.model_dump(mode="json", exclude_none=True)
    return data


def write_json(patients: Sequence[Patient], path: FsPath) -> None:
    sink = JsonSink(path)
    sink.add(patients)
    sink.close()


def write_jsonl(patients: Sequence[Patient], path: FsPath) -> None:
    sink = JsonlSink(path)
    sink.add(patients)
    sink.close()


class JsonSink:
    """A JSON list written one patient at a time, byte for byte what ``json.dumps(list,
    indent=1)`` writes for the whole list."""

    def __init__(self, path: FsPath) -> None:
        self.out = path.open("w", encoding="utf-8")
        self.count = 0

    def add(self, patients: Sequence[Patient]) -> None:
        for patient in patients:
            text = json.dumps(patient_to_json(patient), ensure_ascii=False, indent=1)
            self.out.write(("[\n " if self.count == 0 else ",\n ") + text.replace("\n", "\n "))
            self.count += 1

    def close(self) -> None:
        self.out.write("[]\n" if self.count == 0 else "\n]\n")
        self.out.close()


class JsonlSink:
    """One JSON object a line, appended as the chunks come."""

    def __init__(self, path: FsPath) -> None:
        self.out = path.open("w", encoding="utf-8")

    def add(self, patients: Sequence[Patient]) -> None:
        for patient in patients:
            self.out.write(json.dumps(patient_to_json(patient), ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.out.close()
