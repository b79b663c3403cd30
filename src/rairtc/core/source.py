"""A patient as read from a file, before validation: raw fields plus where each part came from.

Readers (in :mod:`rairtc.io`) produce these; :mod:`rairtc.core.validation` turns them into
:class:`~rairtc.core.records.Patient` records or into problems that point back at the exact
record (``rai_courses.csv line 4`` or ``$[2].imaging[0].findings[1]``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rairtc.core.messages import Problem

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class SourcePatient:
    """Raw nested fields of one patient and the location of every sub-record.

    ``columns`` names the column of a field where the reader knows it (``column G`` of a
    sheet); ``fields`` names the field of a record that is a single value (one row of
    ``mdt_recommendations``); ``problems`` are what the reader could not read (a cell that
    is no date), reported before validation's own.
    """

    data: Mapping[str, Any]
    locations: Mapping[Path, str] = field(default_factory=dict)
    columns: Mapping[Path, Mapping[str, str]] = field(default_factory=dict)
    fields: Mapping[Path, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    @property
    def patient_id(self) -> str | None:
        value = self.data.get("id")
        return None if value is None or value == "" else str(value)

    def where(self, path: Path) -> tuple[str, str | None]:
        """The record location (with the column when known) and the field name for a path
        into :attr:`data`."""
        for cut in range(len(path), -1, -1):
            key = path[:cut]
            if key in self.locations:
                rest = [str(p) for p in path[cut:] if isinstance(p, str)]
                name = ".".join(rest) or self.fields.get(key)
                record = self.locations[key]
                shown = self.columns.get(key, {}).get(name or "")
                return (f"{record}, {shown}" if shown else record), name
        return "record", ".".join(str(p) for p in path if isinstance(p, str)) or None


def json_locations(data: Mapping[str, Any], root: str) -> dict[Path, str]:
    """Locations as JSON paths (``$[2].rai_courses[0]``) for a nested patient object."""
    locations: dict[Path, str] = {(): root}
    for key, value in data.items():
        if isinstance(value, list):
            for i, item in enumerate(value):
                locations[(key, i)] = f"{root}.{key}[{i}]"
                if isinstance(item, Mapping):
                    for sub, subvalue in item.items():
                        if isinstance(subvalue, list) and sub == "findings":
                            for j in range(len(subvalue)):
                                locations[(key, i, sub, j)] = f"{root}.{key}[{i}].{sub}[{j}]"
    return locations


def blank_to_none(value: Any) -> Any:
    """An empty (or all-blank) string is an unknown value in every format."""
    if isinstance(value, str) and value.strip() == "":
        return None
    if isinstance(value, Mapping):
        return {k: blank_to_none(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [blank_to_none(v) for v in value]
    return value
