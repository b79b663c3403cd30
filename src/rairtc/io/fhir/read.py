"""A FHIR R4 Bundle back into a raw patient record, with every unmappable part reported.

The reader takes what :mod:`.write` writes and what a hospital system sends in the same shape
(LOINC-coded labs, ICD-10 C73 beside the histology). Each resource type has a fixed set of
elements it may carry; any other element, an extension or coding system the mapping does not
know, or a resource type with no place in a record is a problem naming the entry and the
element — an error, or a warning under ``--lenient`` for unknown elements and resources. The
values themselves are passed on raw: type and range checks are validation's job, as for
every other format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rairtc.core.codes import MOLECULAR_KEYS
from rairtc.core.messages import Problem
from rairtc.core.source import Path, SourcePatient
from rairtc.io.fhir import codes as c
from rairtc.io.fhir.write import CONDITION_EXTENSIONS, EXTENSION_TYPES, PATIENT_EXTENSIONS

_COMMON = frozenset({"resourceType", "id", "meta"})
ELEMENTS: dict[str, frozenset[str]] = {
    "Patient": frozenset(
        {"extension", "identifier", "name", "gender", "birthDate", "deceasedDateTime"}
    ),
    "Condition": frozenset({"extension", "code", "subject", "onsetDateTime", "stage"}),
    "Procedure": frozenset({"identifier", "status", "code", "subject", "performedDateTime"}),
    "MedicationAdministration": frozenset(
        {
            "identifier",
            "extension",
            "partOf",
            "status",
            "medicationCodeableConcept",
            "subject",
            "effectiveDateTime",
            "dosage",
        }
    ),
    "DiagnosticReport": frozenset(
        {"identifier", "extension", "status", "code", "subject", "effectiveDateTime", "result"}
    ),
    "finding": frozenset(
        {"identifier", "status", "code", "subject", "effectiveDateTime", "bodySite", "component"}
    ),
    "lab": frozenset(
        {
            "identifier",
            "extension",
            "status",
            "category",
            "code",
            "subject",
            "effectiveDateTime",
            "valueQuantity",
            "referenceRange",
        }
    ),
    "CarePlan": frozenset(
        {"identifier", "status", "intent", "category", "subject", "created", "activity", "note"}
    ),
}
_EXTENSIONS = {
    "Patient": PATIENT_EXTENSIONS,
    "Condition": (*CONDITION_EXTENSIONS, *(f"molecular_{k}" for k in MOLECULAR_KEYS)),
    "MedicationAdministration": (
        "activity_mci",
        "activity_gbq",
        "stimulation",
        "tsh_miu_l",
        "centre",
    ),
    "DiagnosticReport": ("progression",),
    "lab": ("stimulated", "below_limit"),
}
_QUANTITY = frozenset({"value", "unit", "system", "code", "comparator"})
# The statuses of records that happened as recorded; any other (not-done, entered-in-error,
# preliminary, ...) is reported rather than read as if it had happened.
STATUSES: dict[str, frozenset[str]] = {
    "Procedure": frozenset({"completed"}),
    "MedicationAdministration": frozenset({"completed"}),
    "DiagnosticReport": frozenset({"final", "amended", "corrected", "appended"}),
    "finding": frozenset({"final", "amended", "corrected"}),
    "lab": frozenset({"final", "amended", "corrected"}),
    "CarePlan": frozenset({"active", "completed", "on-hold", "revoked", "draft", "unknown"}),
}


def _day(value: Any) -> Any:
    """A FHIR dateTime as the date rairtc records (the time of day is not kept)."""
    if isinstance(value, str) and len(value) > 10 and value[10] == "T":
        return value[:10]
    return value


class BundleReader:
    def __init__(self, bundle: Mapping[str, Any], where: str, *, lenient: bool) -> None:
        self.where = where
        self.lenient = lenient
        self.entries: list[Mapping[str, Any]] = [
            e.get("resource") or {} for e in bundle.get("entry") or []
        ]
        self.urls = {
            e.get("fullUrl"): k for k, e in enumerate(bundle.get("entry") or []) if e.get("fullUrl")
        }
        self.problems: list[Problem] = []
        self.pid: str | None = None
        self.patient_url: str | None = None
        self.data: dict[str, Any] = {
            "surgeries": [],
            "rai_courses": [],
            "imaging": [],
            "labs": [],
            "mdt": [],
        }
        self.locations: dict[Path, str] = {}

    # -- problems ---------------------------------------------------------------------------
    def at(self, k: int) -> str:
        kind = self.entries[k].get("resourceType", "resource") if k >= 0 else "Bundle"
        return f"{self.where} entry[{k}] ({kind})" if k >= 0 else self.where

    def unknown(self, k: int, element: str, allowed: str) -> None:
        code = "validation.field_unknown_ignored" if self.lenient else "validation.field_unknown"
        self.problems.append(Problem(code, self.pid, self.at(k), element, {"allowed": allowed}))

    def unmappable(self, k: int, element: str, reason: str) -> None:
        self.problems.append(
            Problem(
                "validation.unreadable_value", self.pid, self.at(k), element, {"reason": reason}
            )
        )

    # -- element helpers --------------------------------------------------------------------
    def check_elements(self, k: int, kind: str) -> None:
        allowed = ELEMENTS[kind] | _COMMON
        for element in self.entries[k]:
            if element not in allowed:
                self.unknown(k, element, ", ".join(sorted(allowed - _COMMON)))
        subject = self.entries[k].get("subject")
        if subject is not None and subject.get("reference") != self.patient_url:
            self.unmappable(k, "subject", "the subject must be the Bundle's Patient")
        status = self.entries[k].get("status")
        if kind in STATUSES and status not in STATUSES[kind]:
            self.unmappable(
                k, "status", f"'{status}'; allowed: {', '.join(sorted(STATUSES[kind]))}"
            )

    def check_keys(self, k: int, value: Any, allowed: frozenset[str], path: str) -> None:
        if isinstance(value, Mapping):
            for key in value:
                if key not in allowed:
                    self.unknown(k, f"{path}.{key}", ", ".join(sorted(allowed)))

    def code(
        self, k: int, concept: Any, system: str, path: str, *, also: tuple[str, ...] = ()
    ) -> str | None:
        """The code of ``system`` in a CodeableConcept; codings of other systems than
        ``also`` are reported."""
        if not isinstance(concept, Mapping):
            self.unmappable(k, path, f"a coding of {system} is required")
            return None
        self.check_keys(k, concept, frozenset({"coding", "text"}), path)
        found: str | None = None
        for i, item in enumerate(concept.get("coding") or []):
            self.check_keys(
                k, item, frozenset({"system", "code", "display"}), f"{path}.coding[{i}]"
            )
            if item.get("system") == system and found is None:
                found = item.get("code")
            elif item.get("system") not in also:
                self.unknown(k, f"{path}.coding[{i}].system", ", ".join((system, *also)))
        if found is None and not also:
            self.unmappable(k, path, f"no coding of {system}")
        return found

    def identifier(self, k: int, kind: str) -> str | None:
        value: str | None = None
        for i, item in enumerate(self.entries[k].get("identifier") or []):
            self.check_keys(k, item, frozenset({"system", "value"}), f"identifier[{i}]")
            if item.get("system") == c.IDENTIFIERS[kind] and value is None:
                value = item.get("value")
            else:
                self.unknown(k, f"identifier[{i}].system", c.IDENTIFIERS[kind])
        return value

    def extensions(self, k: int, kind: str) -> dict[str, Any]:
        names = _EXTENSIONS.get(kind, ())
        out: dict[str, Any] = {}
        for i, item in enumerate(self.entries[k].get("extension") or []):
            name = c.extension_name(str(item.get("url", "")))
            if name not in names:
                self.unknown(k, f"extension[{i}].url", ", ".join(c.extension_url(n) for n in names))
                continue
            assert name is not None
            element = EXTENSION_TYPES[name]
            if set(item) != {"url", element}:
                self.unmappable(k, f"extension[{i}]", f"{name} is given as {element} only")
                continue
            out[name] = item[element]
        return out

    def reference(self, k: int, value: Any, path: str) -> int | None:
        target = self.urls.get(value.get("reference")) if isinstance(value, Mapping) else None
        if target is None:
            self.unmappable(k, path, "the reference points at no entry of this Bundle")
        return target

    # -- resources --------------------------------------------------------------------------
    def read(self) -> SourcePatient | None:
        patients = [k for k, r in enumerate(self.entries) if r.get("resourceType") == "Patient"]
        if len(patients) != 1:
            self.unmappable(
                -1, "entry", f"a Bundle holds one Patient; this one holds {len(patients)}"
            )
            return None
        findings: set[int] = set()
        for resource in self.entries:
            if resource.get("resourceType") == "DiagnosticReport":
                for item in resource.get("result") or []:
                    target = (
                        self.urls.get(item.get("reference")) if isinstance(item, Mapping) else None
                    )
                    if target is not None:
                        findings.add(target)
        self.patient_url = next((url for url, k in self.urls.items() if k == patients[0]), None)
        self.patient(patients[0])
        conditions = 0
        therapies: set[int] = set()
        used_therapies: set[int] = set()
        for k, resource in enumerate(self.entries):
            kind = resource.get("resourceType")
            if kind == "Patient":
                continue
            if kind == "Condition":
                conditions += 1
                if conditions > 1:
                    self.unmappable(
                        k, "resourceType", "a second Condition; a record has one diagnosis"
                    )
                else:
                    self.condition(k)
            elif kind == "Procedure":
                if self.procedure(k):
                    therapies.add(k)
            elif kind == "MedicationAdministration":
                used_therapies |= self.course(k)
            elif kind == "DiagnosticReport":
                self.imaging(k)
            elif kind == "Observation":
                if k not in findings:
                    self.lab(k)
            elif kind == "CarePlan":
                self.mdt(k)
            elif self.lenient:
                self.unknown(k, "resourceType", ", ".join(sorted(ELEMENTS)))
            else:
                self.unmappable(
                    k, "resourceType", f"a {kind} resource has no place in a rairtc record"
                )
        if conditions == 0:
            self.unmappable(
                patients[0], "entry", "no Condition: the histology and diagnosis date are missing"
            )
        for k in sorted(therapies - used_therapies):
            self.unmappable(
                k, "code", "an I-131 therapy without a MedicationAdministration (its activity)"
            )
        return SourcePatient(self.data, self.locations)

    def patient(self, k: int) -> None:
        r = self.entries[k]
        self.check_elements(k, "Patient")
        kinds = {c.IDENTIFIERS[key]: key for key in ("patient", "mrn", "national_id")}
        for i, item in enumerate(r.get("identifier") or []):
            self.check_keys(k, item, frozenset({"system", "value", "type"}), f"identifier[{i}]")
            key = kinds.get(item.get("system"))
            if key is None:
                self.unknown(k, f"identifier[{i}].system", ", ".join(kinds))
            elif key == "patient":
                self.pid = item.get("value")
                self.data["id"] = self.pid
            else:
                self.data[key] = item.get("value")
        if "id" not in self.data:
            self.data["id"] = r.get("id")
            self.pid = r.get("id")
        self.locations[()] = self.at(k)
        names = r.get("name") or []
        for i, name in enumerate(names):
            self.check_keys(k, name, frozenset({"text"}), f"name[{i}]")
        if len(names) > 1:
            self.unmappable(k, "name", "one name is kept; give it as name[0].text")
        if names:
            self.data["full_name"] = names[0].get("text")
        gender = r.get("gender")
        if gender is not None and gender not in c.SEX:
            self.unmappable(k, "gender", f"'{gender}' has no rairtc sex; allowed: female, male")
        self.data["sex"] = c.SEX.get(gender) if gender is not None else None
        self.data["birth_date"] = r.get("birthDate")
        self.data["deceased_date"] = _day(r.get("deceasedDateTime"))
        self.data.update(self.extensions(k, "Patient"))

    def condition(self, k: int) -> None:
        r = self.entries[k]
        self.check_elements(k, "Condition")
        self.data["histology"] = self.code(k, r.get("code"), c.HISTOLOGY, "code", also=(c.ICD10,))
        if self.data["histology"] is None:
            self.unmappable(k, "code", f"no coding of {c.HISTOLOGY}: the histology is missing")
        self.data["diagnosis_date"] = _day(r.get("onsetDateTime"))
        for i, stage in enumerate(r.get("stage") or []):
            path = f"stage[{i}]"
            self.check_keys(k, stage, frozenset({"type", "summary"}), path)
            name = self.code(k, stage.get("type"), c.STAGE_TYPE, f"{path}.type")
            summary = stage.get("summary") or {}
            if name == "recorded":
                self.check_keys(k, summary, frozenset({"text"}), f"{path}.summary")
                self.data["stage_recorded"] = summary.get("text")
            elif name in ("t", "n", "m"):
                self.data[name] = self.code(k, summary, c.TNM, f"{path}.summary")
            elif name is not None:
                self.unmappable(k, f"{path}.type", f"'{name}' is not t, n, m or recorded")
        values = self.extensions(k, "Condition")
        molecular = {key: values.pop(f"molecular_{key}", None) for key in MOLECULAR_KEYS}
        self.data.update(values)
        if any(v is not None for v in molecular.values()):
            self.data["molecular"] = molecular

    def _child(self, k: int, table: str, item: dict[str, Any]) -> None:
        self.locations[(table, len(self.data[table]))] = self.at(k)
        self.data[table].append(item)

    def procedure(self, k: int) -> bool:
        """A surgery, or (True) the Procedure of an I-131 course."""
        r = self.entries[k]
        self.check_elements(k, "Procedure")
        code = self.code(k, r.get("code"), c.PROCEDURE, "code")
        if code == c.I131_THERAPY:
            self.identifier(k, "rai_courses")
            return True
        item = {"id": self.identifier(k, "surgeries"), "date": _day(r.get("performedDateTime"))}
        self._child(k, "surgeries", {**item, "procedure": code})
        return False

    def course(self, k: int) -> set[int]:
        r = self.entries[k]
        self.check_elements(k, "MedicationAdministration")
        self.code(k, r.get("medicationCodeableConcept"), c.MEDICATION, "medicationCodeableConcept")
        parts = {
            t
            for i, ref in enumerate(r.get("partOf") or [])
            if (t := self.reference(k, ref, f"partOf[{i}]")) is not None
        }
        item: dict[str, Any] = {
            "id": self.identifier(k, "rai_courses"),
            "date": _day(r.get("effectiveDateTime")),
            **self.extensions(k, "MedicationAdministration"),
        }
        dosage = r.get("dosage") or {}
        self.check_keys(k, dosage, frozenset({"dose"}), "dosage")
        dose = dosage.get("dose") or {}
        self.check_keys(k, dose, _QUANTITY, "dosage.dose")
        unit = dose.get("code") or dose.get("unit")
        if unit == "mCi":
            item["activity_mci"] = dose.get("value")
        elif unit == "GBq":
            item["activity_gbq"] = dose.get("value")
        elif dose:
            self.unmappable(k, "dosage.dose.code", f"activity unit '{unit}'; allowed: mCi, GBq")
        self._child(k, "rai_courses", item)
        return parts

    def imaging(self, k: int) -> None:
        r = self.entries[k]
        self.check_elements(k, "DiagnosticReport")
        study: dict[str, Any] = {
            "id": self.identifier(k, "imaging"),
            "date": _day(r.get("effectiveDateTime")),
            "modality": self.code(k, r.get("code"), c.MODALITY, "code"),
            **self.extensions(k, "DiagnosticReport"),
            "findings": [],
        }
        index = len(self.data["imaging"])
        for i, ref in enumerate(r.get("result") or []):
            target = self.reference(k, ref, f"result[{i}]")
            if target is None:
                continue
            if self.entries[target].get("resourceType") != "Observation":
                self.unmappable(k, f"result[{i}]", "a result must be an Observation")
                continue
            path: Path = ("imaging", index, "findings", len(study["findings"]))
            self.locations[path] = self.at(target)
            seen = _day(self.entries[target].get("effectiveDateTime"))
            if seen is not None and seen != study["date"]:
                self.unmappable(
                    target, "effectiveDateTime", "a finding is dated as its study (the report)"
                )
            study["findings"].append(self.finding(target))
        self._child(k, "imaging", study)

    def finding(self, k: int) -> dict[str, Any]:
        r = self.entries[k]
        self.check_elements(k, "finding")
        item: dict[str, Any] = {
            "id": self.identifier(k, "findings"),
            "site": self.code(k, r.get("bodySite"), c.SITE, "bodySite"),
            "kind": self.code(k, r.get("code"), c.FINDING_KIND, "code"),
        }
        for i, part in enumerate(r.get("component") or []):
            path = f"component[{i}]"
            name = self.code(k, part.get("code"), c.FINDING_PART, f"{path}.code")
            values = {key: v for key, v in part.items() if key != "code"}
            if name in ("side", "nodal_level") and set(values) == {"valueCodeableConcept"}:
                system = c.SIDE if name == "side" else c.NODAL_LEVEL
                item[name] = self.code(k, values["valueCodeableConcept"], system, path)
            elif name in ("rai_uptake", "fdg_uptake", "new") and set(values) == {"valueBoolean"}:
                item[name] = values["valueBoolean"]
            elif name == "size_mm" and set(values) == {"valueQuantity"}:
                quantity = values["valueQuantity"]
                self.check_keys(k, quantity, _QUANTITY, f"{path}.valueQuantity")
                if (quantity.get("code") or quantity.get("unit")) != "mm":
                    self.unmappable(k, f"{path}.valueQuantity", "a size is given in mm")
                item["size_mm"] = quantity.get("value")
            elif name is not None:
                self.unmappable(
                    k,
                    path,
                    f"component '{name}' with {', '.join(values)} has no place in a finding",
                )
        return item

    def lab(self, k: int) -> None:
        r = self.entries[k]
        self.check_elements(k, "lab")
        concept = r.get("code")
        test = self.code(k, concept, c.LAB_TEST, "code", also=(c.LOINC,))
        loinc = [
            c.LOINC_LAB.get(item.get("code"))
            for item in (concept or {}).get("coding") or []
            if item.get("system") == c.LOINC
        ]
        if test is None and loinc:
            test = loinc[0]
        if test is None:
            self.unmappable(
                k, "code", "not a Tg, TgAb or TSH result (LOINC 3013-0, 8098-6, 3016-3)"
            )
        for i, category in enumerate(r.get("category") or []):
            self.code(k, category, c.OBSERVATION_CATEGORY, f"category[{i}]")
        quantity = r.get("valueQuantity") or {}
        self.check_keys(k, quantity, _QUANTITY, "valueQuantity")
        comparator = quantity.get("comparator")
        if comparator not in (None, "<"):
            self.unmappable(
                k,
                "valueQuantity.comparator",
                f"'{comparator}'; only '<' (below the limit) has a place",
            )
        unit = quantity.get("unit") or c.UNITS_BY_UCUM.get(str(quantity.get("code")))
        item: dict[str, Any] = {
            "id": self.identifier(k, "labs"),
            "date": _day(r.get("effectiveDateTime")),
            "test": test,
            "value": quantity.get("value"),
            "unit": unit,
        }
        extra = self.extensions(k, "lab")
        if comparator == "<" and "below_limit" not in extra:
            extra["below_limit"] = True
        item.update(extra)
        ranges = r.get("referenceRange") or []
        if len(ranges) > 1:
            self.unmappable(k, "referenceRange", "one reference range (its upper limit) is kept")
        for i, bounds in enumerate(ranges[:1]):
            self.check_keys(k, bounds, frozenset({"high"}), f"referenceRange[{i}]")
            high = bounds.get("high") or {}
            self.check_keys(k, high, _QUANTITY, f"referenceRange[{i}].high")
            item["assay_upper_normal"] = high.get("value")
        self._child(k, "labs", item)

    def mdt(self, k: int) -> None:
        r = self.entries[k]
        self.check_elements(k, "CarePlan")
        for i, category in enumerate(r.get("category") or []):
            self.code(k, category, c.CARE_PLAN, f"category[{i}]")
        codes = []
        for i, activity in enumerate(r.get("activity") or []):
            self.check_keys(k, activity, frozenset({"detail"}), f"activity[{i}]")
            detail = activity.get("detail") or {}
            self.check_keys(k, detail, frozenset({"code", "status"}), f"activity[{i}].detail")
            codes.append(
                self.code(k, detail.get("code"), c.RECOMMENDATION, f"activity[{i}].detail.code")
            )
        notes = r.get("note") or []
        for i, note in enumerate(notes):
            self.check_keys(k, note, frozenset({"text"}), f"note[{i}]")
        if len(notes) > 1:
            self.unmappable(k, "note", "one note is kept; join them into note[0].text")
        item = {
            "id": self.identifier(k, "mdt"),
            "date": _day(r.get("created")),
            "recommendations": codes,
            "note": notes[0].get("text") if notes else None,
        }
        self._child(k, "mdt", item)
