"""Every REDCap field of the rairtc project, derived from the table layout of the record model.

One row of :data:`FIELDS` per REDCap variable: the form (instrument) it lives on, the layout
table and column it carries, its type, its choices (the enum's own codes, so they are stable
and readable in a raw export) and its range. REDCap variable names are lower case and unique
across the project, so sub-record fields carry their form's prefix (``course_date``).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from enum import Enum

from rairtc.core.codes import Recommendation
from rairtc.core.records import TABLE_RECORDS
from rairtc.io.layout import COLUMNS, ColumnType


@dataclass(frozen=True)
class Form:
    name: str  # REDCap instrument name
    table: str  # layout table
    prefix: str  # prefix of its variables
    label: str
    repeating: bool


FORMS = (
    Form("patient", "patients", "", "Patient", False),
    Form("surgery", "surgeries", "surgery_", "Surgery", True),
    Form("rai_course", "rai_courses", "course_", "I-131 course", True),
    Form("imaging", "imaging", "imaging_", "Imaging study", True),
    Form("finding", "findings", "finding_", "Imaging finding", True),
    Form("lab", "labs", "lab_", "Laboratory result", True),
    Form("mdt", "mdt", "mdt_", "MDT decision", True),
)
FORM_BY_NAME = {form.name: form for form in FORMS}


IDENTIFIERS = frozenset({"full_name", "national_id", "mrn"})

# (table, column) -> (validation min, validation max); bounds from data-model.md's checks.
RANGES: dict[tuple[str, str], tuple[str, str]] = {
    ("patients", "vascular_invasion_foci"): ("0", ""),
    ("patients", "lymph_nodes_positive"): ("0", ""),
    ("patients", "largest_node_mm"): ("0", ""),
    ("rai_courses", "activity_mci"): ("0", "1000"),
    ("rai_courses", "activity_gbq"): ("0", "37"),
    ("rai_courses", "tsh_miu_l"): ("0", ""),
    ("findings", "size_mm"): ("0", ""),
    ("labs", "value"): ("0", ""),
    ("labs", "assay_upper_normal"): ("0", ""),
}

LABELS: dict[str, str] = {
    "id": "Record id",
    "t": "T category (AJCC 8)",
    "n": "N category",
    "m": "M category",
    "activity_mci": "Activity (mCi)",
    "activity_gbq": "Activity (GBq)",
    "tsh_miu_l": "TSH on the day of administration (mIU/L)",
    "size_mm": "Size (mm)",
    "largest_node_mm": "Largest metastatic node (mm)",
    "rai_uptake": "Concentrates I-131",
    "fdg_uptake": "FDG-avid",
    "imaging_id": "Imaging study id",
    "assay_upper_normal": "Assay upper limit of normal",
}


@dataclass(frozen=True)
class Field:
    name: str  # REDCap variable
    form: Form
    column: str  # layout column ("" for the recommendation fields of mdt)
    kind: ColumnType | None  # None for the checkbox
    choices: tuple[str, ...] = ()
    required: bool = False


def _enum(table: str, column: str) -> tuple[str, ...]:
    model = TABLE_RECORDS[table]
    info = model.model_fields.get(column)
    if info is None:
        return ()
    annotation = info.annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    base = args[0] if isinstance(annotation, types.UnionType) and args else annotation
    if isinstance(base, type) and issubclass(base, Enum):
        return tuple(str(member.value) for member in base)
    return ()


def _variable(form: Form, column: str) -> str:
    if form.table == "patients" and column == "id":
        return "record_id"
    return (form.prefix + column).lower()


def _fields() -> tuple[Field, ...]:
    out: list[Field] = []
    for form in FORMS:
        for column, kind, required in COLUMNS[form.table]:
            if column == "patient_id":
                continue
            out.append(
                Field(
                    _variable(form, column),
                    form,
                    column,
                    kind,
                    _enum(form.table, column),
                    required,
                )
            )
        if form.name == "mdt":
            codes = tuple(str(code.value) for code in Recommendation)
            # not required: an MDT entry may record no recommendation (an empty list)
            out.append(Field(RECOMMENDATIONS, form, "", None, codes))
            out.append(Field(RECOMMENDATION_ORDER, form, "", "string"))
    return tuple(out)


RECOMMENDATIONS = "mdt_recommendations"
RECOMMENDATION_ORDER = "mdt_recommendation_order"
FIELDS = _fields()
FIELD_BY_NAME = {field.name: field for field in FIELDS}
CHECKBOX_SEPARATOR = "___"


def checkbox_columns(field: Field) -> list[str]:
    return [f"{field.name}{CHECKBOX_SEPARATOR}{code}" for code in field.choices]


def export_columns() -> list[str]:
    """The header of a flat export: REDCap's own columns, then every field in dictionary
    order, a checkbox as one ``field___code`` column per choice."""
    out = ["record_id", "redcap_repeat_instrument", "redcap_repeat_instance"]
    for field in FIELDS:
        if field.name == "record_id":
            continue
        out += checkbox_columns(field) if field.kind is None else [field.name]
    return out


def label(column: str) -> str:
    return LABELS.get(column, column.replace("_", " ").capitalize())
