"""What a role may read of a patient, as JSON: the full record for clinicians and managers;
for researchers the pages' rule (keyed pseudonym, no identifiers, no free text, birth year)."""

from __future__ import annotations

from typing import Any

from rairtc.core.records import Patient as Record
from rairtc.io.json_files import patient_to_json

IDENTIFIERS = ("full_name", "national_id", "mrn")
FREE_TEXT = {"rai_courses": ("centre",), "mdt": ("note",)}


def patient_json(record: Record, *, identified: bool, pseudonym: str) -> dict[str, Any]:
    data = patient_to_json(record)
    if identified:
        return data
    data = {k: v for k, v in data.items() if k not in IDENTIFIERS}
    data["id"] = pseudonym
    data["birth_year"] = int(str(data.pop("birth_date"))[:4])
    for kind, fields in FREE_TEXT.items():
        data[kind] = [{k: v for k, v in item.items() if k not in fields} for item in data[kind]]
    return data


def classification_json(
    result: dict[str, Any], *, identified: bool, pseudonym: str
) -> dict[str, Any]:
    return result if identified else {**result, "patient_id": pseudonym}
