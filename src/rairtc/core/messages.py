"""Validation messages: a stable code, a severity, parameters, and the English text.

Like Django's ``ValidationError(msg, code=..., params=...)``: the code is the contract (tests,
translations and other languages key on it), the English template is one rendering. Every
message names the patient id, the record (table and row, or JSON path) and the field, and
never an identifier such as a name or a national id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# code -> (severity, English template). Templates say what was found and what is allowed.
CATALOGUE: dict[str, tuple[Severity, str]] = {
    "validation.field_required": (
        Severity.ERROR,
        "a value is required here and is missing; enter it",
    ),
    "validation.field_unknown": (
        Severity.ERROR,
        "'{field}' is not a field of this record; allowed fields: {allowed} "
        "(check the spelling, or use --lenient to ignore it)",
    ),
    "validation.field_enum": (
        Severity.ERROR,
        "'{value}' is not an allowed value; allowed: {allowed}",
    ),
    "validation.field_type": (Severity.ERROR, "'{value}' is not {expected}; enter {expected}"),
    "validation.date_invalid": (
        Severity.ERROR,
        "'{value}' is not a calendar date; enter a real date as YYYY-MM-DD",
    ),
    "validation.date_in_future": (
        Severity.ERROR,
        "{value} is in the future (today is {today}); enter a date up to today",
    ),
    "validation.date_before_birth": (
        Severity.ERROR,
        "{value} is before the birth date {birth_date}; correct either date",
    ),
    "validation.date_before_diagnosis": (
        Severity.ERROR,
        "{value} is before the diagnosis date {diagnosis_date}; an I-131 course or imaging "
        "study must be on or after diagnosis; correct either date",
    ),
    "validation.date_after_death": (
        Severity.ERROR,
        "{value} is after the date of death {deceased_date}; correct either date",
    ),
    "validation.age_at_diagnosis_out_of_range": (
        Severity.ERROR,
        "age at diagnosis is {age} years; allowed 0 to 120; check birth_date and diagnosis_date",
    ),
    "validation.activity_missing": (
        Severity.ERROR,
        "no activity given; enter activity_mci or activity_gbq",
    ),
    "validation.activity_not_positive": (
        Severity.ERROR,
        "activity {value} {unit} is not above zero; enter the administered activity",
    ),
    "validation.activity_above_maximum": (
        Severity.ERROR,
        "{value_mci} mCi in one course is more than the allowed 1,000 mCi (37 GBq); "
        "check the value and its unit",
    ),
    "validation.activity_units_disagree": (
        Severity.ERROR,
        "activity_mci {mci} ({mci_mbq} MBq) and activity_gbq {gbq} ({gbq_mbq} MBq) differ by "
        "more than 1 %; keep one of them or correct the other",
    ),
    "validation.course_duplicate_date": (
        Severity.ERROR,
        "a second I-131 course on {value}; one course per day is allowed; merge or redate them",
    ),
    "validation.remnant_outside_thyroid_bed": (
        Severity.ERROR,
        "kind 'remnant' (normal thyroid tissue) at site '{site}'; remnant is allowed only at "
        "thyroid_bed; choose another kind or site",
    ),
    "validation.rai_uptake_on_non_rai_study": (
        Severity.ERROR,
        "rai_uptake is given on a {modality} study; it is allowed only on post_therapy_wbs, "
        "post_therapy_spect_ct or diagnostic_wbs; remove it or change the modality",
    ),
    "validation.fdg_uptake_on_non_fdg_study": (
        Severity.ERROR,
        "fdg_uptake is given on a {modality} study; it is allowed only on fdg_pet_ct; "
        "remove it or change the modality",
    ),
    "validation.lab_unit_mismatch": (
        Severity.ERROR,
        "unit '{unit}' does not fit test '{test}'; allowed: {allowed}",
    ),
    "validation.id_duplicate": (
        Severity.ERROR,
        "id '{value}' is used more than once {scope}; ids must be unique",
    ),
    "validation.national_id_invalid": (
        Severity.ERROR,
        "national_id has {length} characters and must be the 12-digit IIN (digits only)",
    ),
    "validation.unknown_patient": (
        Severity.ERROR,
        "patient_id '{value}' matches no row of the patients table; add the patient or fix the id",
    ),
    "validation.unknown_parent": (
        Severity.ERROR,
        "{field} '{value}' matches no {parent} record of patient '{patient}'; fix the reference",
    ),
    "validation.missing_column": (
        Severity.ERROR,
        "table '{table}' has no column '{field}', which is required; columns found: {found}",
    ),
    "validation.file_malformed": (Severity.ERROR, "cannot read this file as {format}: {reason}"),
    "validation.unreadable_value": (Severity.ERROR, "cannot read this value: {reason}"),
    "validation.not_finite": (
        Severity.ERROR,
        "{value} is not a number; enter a finite number, or leave the field out when unknown",
    ),
    "validation.date_ambiguous": (
        Severity.ERROR,
        "'{value}' could be day/month or month/day; write the day first with dots "
        "(DD.MM.YYYY, e.g. 03.04.2021 for 3 April) or as YYYY-MM-DD",
    ),
    "validation.number_unreadable": (
        Severity.ERROR,
        "'{value}' is not {expected}; enter digits with a decimal point or comma (3.7 or 3,7)",
    ),
    "validation.below_limit_conflict": (
        Severity.ERROR,
        "'{value}' is marked below the assay limit, but below_limit says no; correct either",
    ),
    "validation.activity_unit_column": (
        Severity.ERROR,
        "'{value}' is in {unit}, which this column does not hold; enter mCi in activity_mci "
        "and GBq or MBq in activity_gbq",
    ),
    "validation.header_missing": (
        Severity.ERROR,
        "{column} holds data but has no header; write the column name in its header cell",
    ),
    "validation.header_duplicate": (
        Severity.ERROR,
        "'{header}' heads columns {columns}, which are the same column '{name}'; keep one",
    ),
    "validation.header_unknown": (
        Severity.ERROR,
        "'{header}' ({column}) is not a column of table '{table}'; allowed: {allowed} "
        "(or their Russian or Kazakh headers; --lenient ignores the column)",
    ),
    "validation.table_missing": (
        Severity.ERROR,
        "there is no '{table}' table, so the rows of {others} belong to no patient; add a "
        "sheet or file named '{table}'",
    ),
    "validation.table_duplicate": (
        Severity.ERROR,
        "{names} are all the table '{table}'; keep one",
    ),
    # Warnings never fail a run.
    "validation.field_unknown_ignored": (
        Severity.WARNING,
        "'{field}' is not a field of this record and was ignored (--lenient)",
    ),
    "validation.text_not_unicode": (
        Severity.ERROR,
        "this text holds a lone surrogate (an escaped half of a character, such as \\ud800) "
        "that no file can store; retype the text",
    ),
    "validation.formula_uncached": (
        Severity.ERROR,
        "cell {cell} holds a formula without a saved value; open the workbook in Excel or "
        "LibreOffice and save it (or type the value)",
    ),
    "validation.table_unknown": (
        Severity.WARNING,
        "{where} is not a table of the registry and was not read; tables: {allowed}",
    ),
    "validation.table_unread": (
        Severity.ERROR,
        "{where} names the table '{table}' but is not read: {reason}",
    ),
    "validation.header_unknown_ignored": (
        Severity.WARNING,
        "'{header}' ({column}) is not a column of table '{table}' and was ignored (--lenient)",
    ),
    "validation.course_before_first_surgery": (
        Severity.WARNING,
        "I-131 course on {value} is before the first thyroid surgery ({surgery_date})",
    ),
    "validation.diagnosis_after_thyroidectomy": (
        Severity.WARNING,
        "diagnosis_date {value} is after the first thyroid surgery ({surgery_date}); "
        "the histological diagnosis usually comes from that surgery",
    ),
    "validation.post_therapy_study_without_course": (
        Severity.WARNING,
        "post-therapy study on {value} has no I-131 course 0 to {max_days} days before it; "
        "it is ignored by the refractoriness criteria",
    ),
    "validation.withdrawal_tsh_inadequate": (
        Severity.WARNING,
        "TSH {value} mIU/L after withdrawal is not above {threshold} mIU/L; absent uptake on "
        "this course's scan will be unconfirmed",
    ),
    "validation.m0_with_distant_metastasis": (
        Severity.WARNING,
        "M is M0 but the first post-therapy study on {study_date} shows a distant metastasis; "
        "check M",
    ),
    "validation.tgab_without_reference": (
        Severity.WARNING,
        "TgAb {value} has neither assay_upper_normal nor below_limit; the response to "
        "therapy cannot use it",
    ),
}


# What a reader normalised, counted for the summary of ``validate`` so that no value changes
# without a trace: code -> English template (``count`` and the code's own parameters).
NORMALISATIONS: dict[str, str] = {
    "normalised.csv_dialect": "{file} read as {encoding}, '{delimiter}'",
    "normalised.table_name": "sheet or file '{name}' read as table '{table}'",
    "normalised.header_alias": "{count} column header(s) read from Russian or Kazakh",
    "normalised.header_case": "{count} column header(s) read ignoring case or spaces",
    "normalised.spacer_column": "{count} empty column(s) without a header skipped",
    "normalised.nan_missing": "{count} NaN cell(s) read as empty",
    "normalised.date_dotted": "{count} date(s) read from DD.MM.YYYY text",
    "normalised.date_serial": "{count} date(s) read from Excel serial numbers",
    "normalised.decimal_comma": "{count} number(s) read with a decimal comma",
    "normalised.digit_groups": "{count} number(s) read with digits grouped by spaces",
    "normalised.below_limit_sign": "{count} lab value(s) '<x' read as x with below_limit",
    "normalised.lab_unit_alias": "{count} lab unit(s) read from Russian or Kazakh",
    "normalised.activity_unit": "{count} activit(y/ies) read with a unit after the number",
    "normalised.activity_mbq": "{count} activit(y/ies) in MBq read as GBq",
    "normalised.code_case": "{count} code(s) read ignoring case",
    "normalised.code_alias": "{count} code(s) read from a Russian or Kazakh alias",
    "normalised.code_cyrillic": "{count} code(s) with Cyrillic look-alike letters read as Latin",
    "normalised.tnm_prefix": "{count} TNM categor(y/ies) read without a prefix (pT1 as T1)",
    "normalised.boolean_alias": "{count} yes/no value(s) read from words (да, нет, иә, жоқ, yes, no)",
}


# Errors the pure core raises about a rule-parameter set (rairtc.core.parameters): code ->
# English template. The exceptions carry the code and its parameters, so that the command line
# and the web app can say them in the user's language (rairtc.i18n).
CORE_ERRORS: dict[str, str] = {
    "parameters.unknown_preset": "unknown preset '{preset}'; allowed: {allowed}",
    "parameters.unknown_keys": "unknown parameter(s) {unknown}; allowed: preset, {allowed}",
    "parameters.invalid": "invalid parameters: {details}",
}


def normalisation_text(code: str, count: int, params: Mapping[str, Any] | None = None) -> str:
    """One line of the normalisation summary in English."""
    return NORMALISATIONS[code].format(count=count, **(params or {}))


SENSITIVE_FIELDS = frozenset({"full_name", "national_id", "mrn", "birth_date"})
"""Identifier fields (data-model.md) and the birth date: their values never reach a message."""
WITHHELD = "(withheld)"
_NAME_LIKE = re.compile(r"[^\W\d_]{2,}[\s,]+[^\W\d_]{2,}")


def _private(field: str | None, key: str, value: Any) -> bool:
    """Whether a message parameter could show an identifier or a birth date: any parameter of
    a sensitive field, a ``birth_date`` parameter, or a value that reads like a person's name
    (two words of letters, e.g. a full name typed into ``sex``)."""
    if key == "birth_date" or (field in SENSITIVE_FIELDS and key == "value"):
        return True
    return key == "value" and isinstance(value, str) and bool(_NAME_LIKE.search(value))


@dataclass(frozen=True)
class Problem:
    """One validation finding about one field of one record."""

    code: str
    patient_id: str | None
    record: str
    field: str | None
    params: Mapping[str, Any] = dataclass_field(default_factory=dict)

    def __post_init__(self) -> None:
        if any(_private(self.field, k, v) for k, v in self.params.items()):
            shown = {
                k: WITHHELD if _private(self.field, k, v) else v for k, v in self.params.items()
            }
            object.__setattr__(self, "params", shown)

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def text(self) -> str:
        return CATALOGUE[self.code][1].format(field=self.field, **self.params)

    def line(self) -> str:
        """One line for stderr: severity, code, patient, record, field, then the text."""
        patient = self.patient_id if self.patient_id is not None else "?"
        where = f"patient {patient}, {self.record}"
        if self.field:
            where += f", field {self.field}"
        return f"{self.severity}: {self.code}: {where}: {self.text}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "patient_id": self.patient_id,
            "record": self.record,
            "field": self.field,
            "params": dict(self.params),
            "text": self.text,
        }
