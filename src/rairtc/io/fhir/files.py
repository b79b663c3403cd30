"""FHIR on disk: a folder of ``bundle-NNNNNN.json`` files, or one NDJSON file with a Bundle a
line; every Bundle read is validated against the FHIR models of ``fhir.resources`` (R4B,
identical to R4 for the resources used), and so is every Bundle the writer's tests write."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.messages import Problem
from rairtc.core.records import Patient
from rairtc.core.source import SourcePatient
from rairtc.io.fhir.read import BundleReader
from rairtc.io.fhir.write import patient_bundle
from rairtc.io.layout import Assembled
from rairtc.io.malformed import malformed

NDJSON_SUFFIXES = (".ndjson", ".jsonl")
FORMAT = "FHIR R4"


def fhir_problems(bundle: Any, where: str, patient_id: str | None) -> list[Problem]:
    """What ``fhir.resources`` finds wrong with a Bundle, one problem per element."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        Bundle.model_validate(bundle)
    except (TypeError, KeyError, AttributeError) as error:
        # fhir.resources' own validators can fail on shapes they did not foresee (a
        # resourceType that is an object): still invalid FHIR, said without a traceback
        reason = (
            f"not valid FHIR R4: a resource or element has the wrong shape ({type(error).__name__})"
        )
        return [
            Problem("validation.unreadable_value", patient_id, where, "entry", {"reason": reason})
        ]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = [str(p) for p in item["loc"]]
            record, path = where, loc
            if len(loc) >= 3 and loc[0] == "entry" and loc[2] == "resource":
                record = f"{where} entry[{loc[1]}]"
                path = loc[3:]
            field = ".".join(path) or None
            problems.append(
                Problem(
                    "validation.unreadable_value",
                    patient_id,
                    record,
                    field,
                    {"reason": f"not valid FHIR R4: {item['msg']}"},
                )
            )
        return problems
    return []


def write_fhir(patients: Sequence[Patient], path: FsPath, *, validate: bool = False) -> None:
    """Write the Bundles; ``validate`` checks each with ``fhir.resources`` first.

    Validation costs about 20 ms a Bundle (40 times the writing), so it runs on every read and
    in the tests of the writer, not on every export.
    """
    bundles = []
    for patient in patients:
        bundle = patient_bundle(patient)
        problems = fhir_problems(bundle, f"patient {patient.id}", patient.id) if validate else []
        if problems:  # the writer built something FHIR refuses: a bug, never the user's data
            raise AssertionError("; ".join(p.line() for p in problems))
        bundles.append(bundle)
    if path.suffix.lower() in NDJSON_SUFFIXES:
        with path.open("w", encoding="utf-8") as out:
            for bundle in bundles:
                out.write(json.dumps(bundle, ensure_ascii=False) + "\n")
        return
    path.mkdir(parents=True, exist_ok=True)
    width = max(6, len(str(len(bundles))))
    for number, bundle in enumerate(bundles, start=1):
        target = path / f"bundle-{number:0{width}d}.json"
        target.write_text(json.dumps(bundle, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _documents(path: FsPath) -> Iterator[tuple[str, str]]:
    """(location, JSON text) of every Bundle in a folder or an NDJSON file."""
    if path.is_dir():
        for file in sorted(path.glob("*.json")):
            yield file.name, _text(file)
        return
    for number, line in enumerate(_text(path).splitlines(), start=1):
        if line.strip():
            yield f"{path.name} line {number}", line


def _text(path: FsPath) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise malformed(path.name, FORMAT, f"not UTF-8 text (byte {error.start})") from None


def _patient_id(bundle: Any) -> str | None:
    """The registry id in a Bundle not validated yet, so that its problems can name it."""
    from rairtc.io.fhir.codes import IDENTIFIERS

    entries = bundle.get("entry") if isinstance(bundle, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or resource.get("resourceType") != "Patient":
            continue
        identifiers = resource.get("identifier")
        for item in identifiers if isinstance(identifiers, list) else []:
            if isinstance(item, dict) and item.get("system") == IDENTIFIERS["patient"]:
                value = item.get("value")
                return value if isinstance(value, str) else None
    return None


def read_fhir(path: FsPath, *, lenient: bool = False) -> Assembled:
    sources: list[SourcePatient] = []
    problems: list[Problem] = []
    orphans: list[dict[str, Any]] = []
    found = False
    for where, text in _documents(path):
        found = True
        try:
            bundle = json.loads(text)
        except json.JSONDecodeError as error:
            raise malformed(where, FORMAT, f"{error.msg} at column {error.colno}") from None
        if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
            raise malformed(where, FORMAT, "not a Bundle (resourceType must be Bundle)")
        pid = _patient_id(bundle)
        invalid = fhir_problems(bundle, where, pid)
        if invalid:
            problems += invalid
            orphans.append({"table": "fhir", "row": {"bundle": where}})
            continue
        reader = BundleReader(bundle, where, lenient=lenient)
        source = reader.read()
        problems += reader.problems
        if source is None:
            orphans.append({"table": "fhir", "row": {"bundle": where}})
        else:
            sources.append(source)
    if not found:
        raise malformed(path.name, FORMAT, "no Bundle found (bundle-*.json files or NDJSON lines)")
    return Assembled(sources, problems, orphans)


def looks_like_fhir(path: FsPath) -> bool:
    """A folder of Bundle JSON files, or a JSON/NDJSON file that starts with a FHIR resource."""
    if path.is_dir():
        first = next(iter(sorted(path.glob("*.json"))), None)
        return first is not None and looks_like_fhir(first)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            head = handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    start = head.lstrip()
    return start.startswith("{") and '"resourceType"' in start[:200]
