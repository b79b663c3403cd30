"""Reading back the OMOP tables rairtc wrote: every record comes from a source-value column.

A row this mapping cannot place (an unknown source value, a ``person_id`` or event id that
points nowhere, a finding without its ``key=value`` parts) is a problem naming the table, the
line and the column. OMOP has no place for sub-record ids and MDT notes, so records read back
carry none; everything else returns as written.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.messages import Problem
from rairtc.core.records import FINDING_FIELDS
from rairtc.core.source import Path, SourcePatient
from rairtc.io.fhir.codes import LOINC_LAB
from rairtc.io.layout import Assembled
from rairtc.io.malformed import malformed
from rairtc.io.omop.tables import COLUMNS, PATIENT_OBSERVATIONS, read_rows

_SEX = {"8507": "M", "8532": "F"}
REQUIRED = {
    "person": ("person_id", "person_source_value", "gender_concept_id", "year_of_birth"),
    "condition_occurrence": ("person_id", "condition_start_date", "condition_source_value"),
}


def _blank(value: str | None) -> str | None:
    return value if value not in (None, "") else None


def _pairs(text: str, separator: str) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for part in text.split(separator):
        if not part:
            continue
        key, sign, value = part.partition("=")
        if not sign:
            return None
        out[key] = value
    return out


class _Reader:
    def __init__(self, folder: FsPath) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.orphans: list[dict[str, Any]] = []
        self.people: dict[str, dict[str, Any]] = {}
        self.locations: dict[str, dict[Path, str]] = {}
        self.order: list[str] = []
        self.procedures: dict[str, tuple[str, int]] = {}  # procedure id -> (person, imaging index)
        self.drugs: dict[str, tuple[str, int]] = {}  # drug id -> (person, course index)

    def problem(self, pid: str | None, where: str, field: str, reason: str) -> None:
        self.problems.append(
            Problem("validation.unreadable_value", pid, where, field, {"reason": reason})
        )

    def rows(self, table: str) -> list[tuple[str, dict[str, str]]]:
        out = []
        try:
            found = list(read_rows(self.folder, table))
        except (UnicodeDecodeError, csv.Error) as error:
            raise malformed(f"{table}.csv", "OMOP CDM", str(error)) from None
        for number, row in found:
            where = f"{table}.csv line {number}"
            if None in row:
                raise malformed(where, "OMOP CDM", "more cells than columns")
            out.append((where, {k: v or "" for k, v in row.items()}))  # a short row: empty cells
        return out

    def person(self, where: str, row: Mapping[str, str]) -> tuple[str, dict[str, Any]] | None:
        key = row.get("person_id", "")
        data = self.people.get(key)
        if data is None:
            self.problem(None, where, "person_id", f"'{key}' matches no row of person.csv")
            self.orphans.append({"table": where.split(".csv")[0], "row": dict(row)})
            return None
        return key, data

    def child(self, key: str, table: str, where: str, item: dict[str, Any]) -> int:
        data = self.people[key]
        index = len(data[table])
        self.locations[key][(table, index)] = where
        data[table].append(item)
        return index

    def read(self) -> Assembled:
        for table, columns in REQUIRED.items():
            path = self.folder / f"{table}.csv"
            if not path.exists():
                raise malformed(path.name, "OMOP CDM", "the table is missing")
            try:
                with path.open(encoding="utf-8-sig", newline="") as handle:
                    header = next(csv.reader(handle), [])
            except (UnicodeDecodeError, csv.Error) as error:
                raise malformed(path.name, "OMOP CDM", str(error)) from None
            for column in columns:
                if column not in header:
                    raise malformed(f"{path.name} header", "OMOP CDM", f"no column {column}")
        for where, row in self.rows("person"):
            self.read_person(where, row)
        for where, row in self.rows("condition_occurrence"):
            if (found := self.person(where, row)) is not None:
                found[1]["histology"] = _blank(row.get("condition_source_value"))
                found[1]["diagnosis_date"] = _blank(row.get("condition_start_date"))
        for where, row in self.rows("death"):
            if (found := self.person(where, row)) is not None:
                found[1]["deceased_date"] = _blank(row.get("death_date"))
        for where, row in self.rows("procedure_occurrence"):
            self.read_procedure(where, row)
        for where, row in self.rows("drug_exposure"):
            self.read_drug(where, row)
        for where, row in self.rows("measurement"):
            self.read_measurement(where, row)
        for where, row in self.rows("observation"):
            self.read_observation(where, row)
        sources = [SourcePatient(self.people[k], self.locations[k]) for k in self.order]
        return Assembled(sources, self.problems, self.orphans)

    def read_person(self, where: str, row: Mapping[str, str]) -> None:
        key = row.get("person_id", "")
        pid = _blank(row.get("person_source_value"))
        sex = _blank(row.get("gender_source_value")) or _SEX.get(row.get("gender_concept_id", ""))
        birth = _blank(row.get("birth_datetime"))
        if birth is None:
            parts = [row.get(f"{p}_of_birth", "") for p in ("year", "month", "day")]
            birth = "-".join(p.zfill(2) for p in parts) if all(parts) else None
        if key in self.people:
            self.problem(pid, where, "person_id", f"person_id {key} is used twice")
            return
        self.people[key] = {
            "id": pid,
            "sex": sex,
            "birth_date": birth[:10] if birth else None,
            "surgeries": [],
            "rai_courses": [],
            "imaging": [],
            "labs": [],
            "mdt": [],
        }
        self.locations[key] = {(): where}
        self.order.append(key)

    def read_procedure(self, where: str, row: Mapping[str, str]) -> None:
        if (found := self.person(where, row)) is None:
            return
        key, data = found
        source = row.get("procedure_source_value", "")
        kind, _, code = source.partition(":")
        day = _blank(row.get("procedure_date"))
        if kind == "surgery":
            self.child(key, "surgeries", where, {"date": day, "procedure": code})
        elif kind == "imaging":
            item: dict[str, Any] = {
                "date": day,
                "modality": code,
                "progression": _blank(row.get("modifier_source_value")),
                "findings": [],
            }
            index = self.child(key, "imaging", where, item)
            self.procedures[row.get("procedure_occurrence_id", "")] = (key, index)
        elif source != "i131_therapy":
            self.problem(
                data["id"],
                where,
                "procedure_source_value",
                f"'{source}' is not surgery:<procedure>, imaging:<modality> or i131_therapy",
            )

    def read_drug(self, where: str, row: Mapping[str, str]) -> None:
        if (found := self.person(where, row)) is None:
            return
        key, data = found
        unit = row.get("dose_unit_source_value", "")
        if row.get("drug_source_value") != "sodium_iodide_i131" or unit not in ("mCi", "GBq"):
            self.problem(
                data["id"],
                where,
                "drug_source_value" if unit in ("mCi", "GBq") else "dose_unit_source_value",
                "only I-131 (sodium_iodide_i131) in mCi or GBq has a place in a record",
            )
            return
        item: dict[str, Any] = {
            "date": _blank(row.get("drug_exposure_start_date")),
            f"activity_{unit.lower()}": _blank(row.get("quantity")),
            "stimulation": _blank(row.get("sig")),
        }
        index = self.child(key, "rai_courses", where, item)
        self.drugs[row.get("drug_exposure_id", "")] = (key, index)

    def event(
        self,
        where: str,
        pid: Any,
        links: Mapping[str, tuple[str, int]],
        row: Mapping[str, str],
        field: str,
    ) -> tuple[str, int] | None:
        target = links.get(row.get(field, ""))
        if target is None:
            self.problem(
                pid, where, field, f"'{row.get(field, '')}' matches no record it belongs to"
            )
        return target

    def read_measurement(self, where: str, row: Mapping[str, str]) -> None:
        if (found := self.person(where, row)) is None:
            return
        key, data = found
        source = row.get("measurement_source_value", "")
        value = _blank(row.get("value_as_number"))
        if source in ("course_tsh", "activity_gbq"):
            target = self.event(where, data["id"], self.drugs, row, "measurement_event_id")
            if target is not None:
                field = "tsh_miu_l" if source == "course_tsh" else "activity_gbq"
                data["rai_courses"][target[1]][field] = value
            return
        if source not in LOINC_LAB:
            self.problem(
                data["id"],
                where,
                "measurement_source_value",
                f"'{source}' is not a LOINC code of Tg, TgAb or TSH (3013-0, 8098-6, 3016-3)",
            )
            return
        flags = _pairs(row.get("value_source_value", ""), ";")
        if flags is None or set(flags) - {"below_limit", "stimulated"}:
            self.problem(
                data["id"], where, "value_source_value", "expected below_limit=… ;stimulated=…"
            )
            flags = {}
        item = {
            "date": _blank(row.get("measurement_date")),
            "test": LOINC_LAB[source],
            "value": value,
            "unit": _blank(row.get("unit_source_value")),
            "assay_upper_normal": _blank(row.get("range_high")),
            **flags,
        }
        self.child(key, "labs", where, item)

    def read_observation(self, where: str, row: Mapping[str, str]) -> None:
        if (found := self.person(where, row)) is None:
            return
        key, data = found
        source = row.get("observation_source_value", "")
        value = _blank(row.get("value_source_value")) or _blank(row.get("value_as_string"))
        if source in PATIENT_OBSERVATIONS or source == "last_follow_up":
            if source.startswith("molecular_"):
                data.setdefault("molecular", {})[source[len("molecular_") :]] = value
            else:
                data[source] = value
        elif source == "course_centre":
            target = self.event(where, data["id"], self.drugs, row, "observation_event_id")
            if target is not None:
                data["rai_courses"][target[1]]["centre"] = row.get("value_as_string")
        elif source == "finding":
            target = self.event(where, data["id"], self.procedures, row, "observation_event_id")
            parts = _pairs(row.get("value_as_string", ""), " ")
            if parts is None or set(parts) - set(FINDING_FIELDS):
                self.problem(
                    data["id"], where, "value_as_string", "expected site=… kind=… (key=value parts)"
                )
            elif target is not None:
                study = data["imaging"][target[1]]
                path: Path = ("imaging", target[1], "findings", len(study["findings"]))
                self.locations[key][path] = where
                study["findings"].append(parts)
        elif source == "mdt_recommendations":
            codes = (row.get("value_as_string") or "").split()
            item = {"date": _blank(row.get("observation_date")), "recommendations": codes}
            self.child(key, "mdt", where, item)
        else:
            self.problem(
                data["id"],
                where,
                "observation_source_value",
                f"'{source}' has no place in a record",
            )


def read_omop(folder: FsPath, *, lenient: bool = False) -> Assembled:
    """The registry in an OMOP folder written by rairtc (``lenient`` changes nothing here:
    every unplaced row is an error, as nothing else produces these source values)."""
    del lenient
    assert set(REQUIRED) <= set(COLUMNS)
    return _Reader(folder).read()
