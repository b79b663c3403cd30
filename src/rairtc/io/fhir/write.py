"""A patient record as a FHIR R4 Bundle (a plain JSON-ready dict).

Patient; one Condition (histology, TNM and the recorded stage, pathology details as
extensions); a Procedure per surgery; per I-131 course a Procedure and the
MedicationAdministration that carries its activity; per imaging study a DiagnosticReport
whose results are one Observation per finding (site, side, uptake); an Observation per lab
with its LOINC code; a CarePlan per MDT decision. Entries appear in the record's list order,
which is what the reader relies on to keep order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

from rairtc.core.codes import MOLECULAR_KEYS
from rairtc.core.records import Finding, Imaging, Lab, Mdt, Patient, RaiCourse, Surgery
from rairtc.io.fhir import codes as c

# rairtc field -> the value[x] element of its extension
EXTENSION_TYPES: dict[str, str] = {
    "region": "valueString",
    "smoker": "valueBoolean",
    "last_follow_up": "valueDate",
    "variant": "valueCode",
    "extrathyroidal_extension": "valueCode",
    "vascular_invasion_foci": "valueInteger",
    "capsular_invasion": "valueBoolean",
    "lymph_nodes_positive": "valueInteger",
    "largest_node_mm": "valueDecimal",
    "margins": "valueCode",
    **{f"molecular_{key}": "valueBoolean" for key in MOLECULAR_KEYS},
    "activity_mci": "valueDecimal",
    "activity_gbq": "valueDecimal",
    "stimulation": "valueCode",
    "tsh_miu_l": "valueDecimal",
    "centre": "valueString",
    "progression": "valueBoolean",
    "stimulated": "valueBoolean",
    "below_limit": "valueBoolean",
}
PATIENT_EXTENSIONS = ("region", "smoker", "last_follow_up")
CONDITION_EXTENSIONS = (
    "variant",
    "extrathyroidal_extension",
    "vascular_invasion_foci",
    "capsular_invasion",
    "lymph_nodes_positive",
    "largest_node_mm",
    "margins",
)
STAGE_FIELDS = ("t", "n", "m")


def _json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def extensions(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"url": c.extension_url(name), EXTENSION_TYPES[name]: _json(value)}
        for name, value in values.items()
        if value is not None
    ]


def coding(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


def _identifier(kind: str, value: str | None) -> dict[str, Any]:
    return {"identifier": [{"system": c.IDENTIFIERS[kind], "value": value}]} if value else {}


def _clean(resource: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in resource.items() if v not in (None, [], {})}


class _Builder:
    def __init__(self, patient: Patient) -> None:
        self.patient = patient
        self.entries: list[dict[str, Any]] = []
        self.subject = {"reference": c.full_url(patient.id, "patient")}

    def add(self, part: str, resource: dict[str, Any]) -> str:
        url = c.full_url(self.patient.id, part)
        self.entries.append({"fullUrl": url, "resource": _clean(resource)})
        return url

    def build(self) -> dict[str, Any]:
        self._patient()
        self._condition()
        for i, surgery in enumerate(self.patient.surgeries):
            self._surgery(i, surgery)
        for i, course in enumerate(self.patient.rai_courses):
            self._course(i, course)
        for i, study in enumerate(self.patient.imaging):
            self._imaging(i, study)
        for i, lab in enumerate(self.patient.labs):
            self._lab(i, lab)
        for i, entry in enumerate(self.patient.mdt):
            self._mdt(i, entry)
        return {"resourceType": "Bundle", "type": "collection", "entry": self.entries}

    def _patient(self) -> None:
        p = self.patient
        identifiers: list[dict[str, Any]] = [{"system": c.IDENTIFIERS["patient"], "value": p.id}]
        if p.mrn:
            identifiers.append(
                {
                    "type": coding(c.V2_0203, "MR"),
                    "system": c.IDENTIFIERS["mrn"],
                    "value": p.mrn,
                }
            )
        if p.national_id:
            identifiers.append({"system": c.IDENTIFIERS["national_id"], "value": p.national_id})
        self.add(
            "patient",
            {
                "resourceType": "Patient",
                "extension": extensions({k: getattr(p, k) for k in PATIENT_EXTENSIONS}),
                "identifier": identifiers,
                "name": [{"text": p.full_name}] if p.full_name else None,
                "gender": c.GENDER[p.sex.value],
                "birthDate": p.birth_date.isoformat(),
                "deceasedDateTime": _json(p.deceased_date),
            },
        )

    def _condition(self) -> None:
        p = self.patient
        values: dict[str, Any] = {k: getattr(p, k) for k in CONDITION_EXTENSIONS}
        for key in MOLECULAR_KEYS:
            values[f"molecular_{key}"] = getattr(p.molecular, key) if p.molecular else None
        stage = [
            {"type": coding(c.STAGE_TYPE, name), "summary": coding(c.TNM, _json(value))}
            for name in STAGE_FIELDS
            if (value := getattr(p, name)) is not None
        ]
        if p.stage_recorded is not None:
            stage.append(
                {"type": coding(c.STAGE_TYPE, "recorded"), "summary": {"text": p.stage_recorded}}
            )
        self.add(
            "condition",
            {
                "resourceType": "Condition",
                "extension": extensions(values),
                "code": {
                    "coding": [dict(c.C73), {"system": c.HISTOLOGY, "code": p.histology.value}]
                },
                "subject": self.subject,
                "onsetDateTime": p.diagnosis_date.isoformat(),
                "stage": stage,
            },
        )

    def _surgery(self, i: int, surgery: Surgery) -> None:
        self.add(
            f"surgeries/{i}",
            {
                "resourceType": "Procedure",
                **_identifier("surgeries", surgery.id),
                "status": "completed",
                "code": coding(c.PROCEDURE, surgery.procedure.value),
                "subject": self.subject,
                "performedDateTime": surgery.date.isoformat(),
            },
        )

    def _course(self, i: int, course: RaiCourse) -> None:
        therapy = self.add(
            f"rai_courses/{i}/procedure",
            {
                "resourceType": "Procedure",
                **_identifier("rai_courses", course.id),
                "status": "completed",
                "code": coding(c.PROCEDURE, c.I131_THERAPY),
                "subject": self.subject,
                "performedDateTime": course.date.isoformat(),
            },
        )
        dose: float | None
        if course.activity_mci is not None:
            dose, unit, other = course.activity_mci, "mCi", {"activity_gbq": course.activity_gbq}
        else:
            dose, unit, other = course.activity_gbq, "GBq", {}
        self.add(
            f"rai_courses/{i}",
            {
                "resourceType": "MedicationAdministration",
                **_identifier("rai_courses", course.id),
                "extension": extensions(
                    {
                        **other,
                        "stimulation": course.stimulation,
                        "tsh_miu_l": course.tsh_miu_l,
                        "centre": course.centre,
                    }
                ),
                "partOf": [{"reference": therapy}],
                "status": "completed",
                "medicationCodeableConcept": {
                    **coding(c.MEDICATION, c.I131_MEDICATION),
                    "text": "Sodium iodide (I-131)",
                },
                "subject": self.subject,
                "effectiveDateTime": course.date.isoformat(),
                "dosage": {"dose": {"value": dose, "unit": unit, "system": c.UCUM, "code": unit}},
            },
        )

    def _imaging(self, i: int, study: Imaging) -> None:
        results = [self._finding(i, j, study, f) for j, f in enumerate(study.findings)]
        self.add(
            f"imaging/{i}",
            {
                "resourceType": "DiagnosticReport",
                **_identifier("imaging", study.id),
                "extension": extensions({"progression": study.progression}),
                "status": "final",
                "code": coding(c.MODALITY, study.modality.value),
                "subject": self.subject,
                "effectiveDateTime": study.date.isoformat(),
                "result": [{"reference": url} for url in results],
            },
        )

    def _finding(self, i: int, j: int, study: Imaging, finding: Finding) -> str:
        parts: list[dict[str, Any]] = []

        def part(name: str, value: dict[str, Any]) -> None:
            parts.append({"code": coding(c.FINDING_PART, name), **value})

        if finding.side is not None:
            part("side", {"valueCodeableConcept": coding(c.SIDE, finding.side.value)})
        if finding.nodal_level is not None:
            part(
                "nodal_level",
                {"valueCodeableConcept": coding(c.NODAL_LEVEL, finding.nodal_level.value)},
            )
        for name in ("rai_uptake", "fdg_uptake", "new"):
            if (flag := getattr(finding, name)) is not None:
                part(name, {"valueBoolean": flag})
        if finding.size_mm is not None:
            part(
                "size_mm",
                {
                    "valueQuantity": {
                        "value": finding.size_mm,
                        "unit": "mm",
                        "system": c.UCUM,
                        "code": "mm",
                    }
                },
            )
        return self.add(
            f"imaging/{i}/findings/{j}",
            {
                "resourceType": "Observation",
                **_identifier("findings", finding.id),
                "status": "final",
                "code": coding(c.FINDING_KIND, finding.kind.value),
                "subject": self.subject,
                "effectiveDateTime": study.date.isoformat(),
                "bodySite": coding(c.SITE, finding.site.value),
                "component": parts,
            },
        )

    def _lab(self, i: int, lab: Lab) -> None:
        loinc, display = c.LAB_LOINC[lab.test.value]
        quantity: dict[str, Any] = {"value": lab.value, "unit": lab.unit, "system": c.UCUM}
        if lab.unit in c.UCUM_UNITS:
            quantity["code"] = c.UCUM_UNITS[lab.unit]
        if lab.below_limit:
            quantity = {"value": lab.value, "comparator": "<", **quantity}
        reference = None
        if lab.assay_upper_normal is not None:
            high = {**quantity, "value": lab.assay_upper_normal}
            high.pop("comparator", None)
            reference = [{"high": high}]
        self.add(
            f"labs/{i}",
            {
                "resourceType": "Observation",
                **_identifier("labs", lab.id),
                "extension": extensions(
                    {"stimulated": lab.stimulated, "below_limit": lab.below_limit}
                ),
                "status": "final",
                "category": [coding(c.OBSERVATION_CATEGORY, "laboratory")],
                "code": {
                    "coding": [
                        {"system": c.LOINC, "code": loinc, "display": display},
                        {"system": c.LAB_TEST, "code": lab.test.value},
                    ]
                },
                "subject": self.subject,
                "effectiveDateTime": lab.date.isoformat(),
                "valueQuantity": quantity,
                "referenceRange": reference,
            },
        )

    def _mdt(self, i: int, entry: Mdt) -> None:
        self.add(
            f"mdt/{i}",
            {
                "resourceType": "CarePlan",
                **_identifier("mdt", entry.id),
                "status": "completed",
                "intent": "plan",
                "category": [coding(c.CARE_PLAN, c.MDT_DECISION)],
                "subject": self.subject,
                "created": entry.date.isoformat(),
                "activity": [
                    {
                        "detail": {
                            "code": coding(c.RECOMMENDATION, code.value),
                            "status": "not-started",
                        }
                    }
                    for code in entry.recommendations
                ],
                "note": [{"text": entry.note}] if entry.note is not None else None,
            },
        )


def patient_bundle(patient: Patient) -> dict[str, Any]:
    return _Builder(patient).build()
