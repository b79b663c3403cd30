"""The REDCap data dictionary of the rairtc project, and the list of its repeating forms.

The header is REDCap's own, 18 columns in REDCap's order; a dictionary REDCap exports and one
written here can be compared cell by cell. Repeating instruments are not part of a data
dictionary in REDCap, so :func:`write_repeating_forms` writes them in the CSV REDCap's
"Repeating Instruments and Events" import takes (``form_name``, ``custom_form_label``).
"""

from __future__ import annotations

import csv
from pathlib import Path

from rairtc.core.units import LAB_UNITS
from rairtc.io.redcap.fields import (
    FIELDS,
    FORMS,
    IDENTIFIERS,
    RANGES,
    RECOMMENDATION_ORDER,
    RECOMMENDATIONS,
    Field,
    label,
)

HEADER = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)

_VALIDATION = {"date": "date_ymd", "int": "integer", "float": "number"}
NOTES = {
    "lab_unit": "; ".join(
        f"{test.value}: {' or '.join(units)}" for test, units in LAB_UNITS.items()
    ),
    "course_activity_gbq": "give mCi or GBq; when both are given they must agree within 1 %",
    "finding_imaging_id": "the imaging_id of the study this finding was read on",
}


def _choices(codes: tuple[str, ...]) -> str:
    return " | ".join(f"{code}, {code.replace('_', ' ')}" for code in codes)


def _row(field: Field) -> list[str]:
    form = field.form
    if field.name == RECOMMENDATIONS:
        kind, text, note = "checkbox", "Recommendations", "rules.md section 8"
        annotation = "rairtc: mdt_recommendations.recommendation"
    elif field.name == RECOMMENDATION_ORDER:
        kind, text = "text", "Recommendations in the order entered"
        note = "kept by rairtc so that a round trip keeps the order; leave as is"
        annotation = "@HIDDEN rairtc: order of mdt_recommendations"
    else:
        if field.choices:
            kind = "dropdown"
        elif field.kind == "bool":
            kind = "yesno"
        elif field.column == "note":
            kind = "notes"
        else:
            kind = "text"
        text, note = label(field.column), NOTES.get(field.name, "")
        annotation = f"rairtc: {form.table}.{field.column}"
    first_of_form = next(f for f in FIELDS if f.form == form) is field
    low, high = RANGES.get((form.table, field.column), ("", ""))
    return [
        field.name,
        form.name,
        form.label if first_of_form and form.repeating else "",
        kind,
        text,
        _choices(field.choices),
        note,
        _VALIDATION.get(field.kind or "", "") if kind == "text" else "",
        low,
        high,
        "y" if field.column in IDENTIFIERS and form.name == "patient" else "",
        "",
        "y" if field.required else "",
        "",
        "",
        "",
        "",
        annotation,
    ]


def dictionary_rows() -> list[list[str]]:
    return [list(HEADER), *(_row(field) for field in FIELDS)]


def write_dictionary(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(dictionary_rows())


def write_repeating_forms(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["form_name", "custom_form_label"])
        for form in FORMS:
            if form.repeating:
                writer.writerow([form.name, ""])
