"""The URLs and codes of the FHIR mapping (documented in ``docs/exchange.md``).

Standard systems where one fits exactly (LOINC for the three lab tests, UCUM for units,
ICD-10 C73 for the thyroid cancer, HL7's administrative gender and identifier types); for
everything FHIR has no code for, a code system or extension under :data:`BASE`, whose codes
are rairtc's own codes of ``data-model.md``. The URLs identify; nothing is fetched from them.
"""

from __future__ import annotations

import uuid

BASE = "https://rairtc.org/fhir"
CODE_SYSTEM = f"{BASE}/CodeSystem"
EXTENSION = f"{BASE}/StructureDefinition"
IDENTIFIER = f"{BASE}/identifier"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# Code systems of rairtc's own codes.
HISTOLOGY = f"{CODE_SYSTEM}/histology"
STAGE_TYPE = f"{CODE_SYSTEM}/stage-type"
TNM = f"{CODE_SYSTEM}/tnm"
PROCEDURE = f"{CODE_SYSTEM}/procedure"
MEDICATION = f"{CODE_SYSTEM}/medication"
MODALITY = f"{CODE_SYSTEM}/modality"
FINDING_KIND = f"{CODE_SYSTEM}/finding-kind"
SITE = f"{CODE_SYSTEM}/site"
FINDING_PART = f"{CODE_SYSTEM}/finding-component"
SIDE = f"{CODE_SYSTEM}/side"
NODAL_LEVEL = f"{CODE_SYSTEM}/nodal-level"
LAB_TEST = f"{CODE_SYSTEM}/lab-test"
CARE_PLAN = f"{CODE_SYSTEM}/care-plan"
RECOMMENDATION = f"{CODE_SYSTEM}/recommendation"

I131_THERAPY = "i131_therapy"
I131_MEDICATION = "sodium_iodide_i131"
MDT_DECISION = "mdt_decision"

C73 = {"system": ICD10, "code": "C73", "display": "Malignant neoplasm of thyroid gland"}

# Identifier systems, by the record list they identify ("patient" for the registry id).
IDENTIFIERS = {
    key: f"{IDENTIFIER}/{key.replace('_', '-')}"
    for key in (
        "patient",
        "mrn",
        "national_id",
        "surgeries",
        "rai_courses",
        "imaging",
        "findings",
        "labs",
        "mdt",
    )
}

# LOINC: the serum or plasma tests as registries report them.
LAB_LOINC = {
    "tg": ("3013-0", "Thyroglobulin [Mass/volume] in Serum or Plasma"),
    "tgab": ("8098-6", "Thyroglobulin Ab [Units/volume] in Serum or Plasma"),
    "tsh": ("3016-3", "Thyrotropin [Units/volume] in Serum or Plasma"),
}
LOINC_LAB = {code: test for test, (code, _) in LAB_LOINC.items()}

# rairtc unit -> UCUM code
UCUM_UNITS = {
    "ng/mL": "ng/mL",
    "ug/L": "ug/L",
    "IU/mL": "[IU]/mL",
    "kIU/L": "k[IU]/L",
    "mIU/L": "m[IU]/L",
    "uIU/mL": "u[IU]/mL",
    "mCi": "mCi",
    "GBq": "GBq",
    "mm": "mm",
}
UNITS_BY_UCUM = {code: unit for unit, code in UCUM_UNITS.items()}

GENDER = {"F": "female", "M": "male"}
SEX = {gender: sex for sex, gender in GENDER.items()}

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)


def full_url(patient_id: str, part: str) -> str:
    """A stable ``urn:uuid`` for one resource of one patient's Bundle."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{patient_id}/{part}')}"


def extension_url(name: str) -> str:
    return f"{EXTENSION}/{name.replace('_', '-')}"


def extension_name(url: str) -> str | None:
    prefix = EXTENSION + "/"
    return url[len(prefix) :].replace("-", "_") if url.startswith(prefix) else None
