"""Validation of patient records (``data-model.md``, Validation): errors and warnings, never
silent fixes.

Two passes. The *structural* pass reports unknown fields, missing required fields, wrong
types and unknown enum values (pydantic does the checking; this module maps each of its
error types to a stable message code). The *clinical* pass runs on the records that parsed:
each check is a small function listed in :data:`CHECKS`, yielding problems about dates,
activities, findings, labs and ids. ``today`` is injected so that "in the future" is
reproducible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from rairtc.core.codes import (
    RAI_MODALITIES,
    FindingKind,
    LabTest,
    MCategory,
    Modality,
    Procedure,
    Site,
    Stimulation,
)
from rairtc.core.dates import completed_years
from rairtc.core.messages import Problem
from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters
from rairtc.core.records import FIELDS, LIST_FIELDS, Patient
from rairtc.core.rules.timeline import build_timeline
from rairtc.core.source import Path, SourcePatient, blank_to_none
from rairtc.core.units import (
    LAB_UNITS,
    MBQ_PER_MCI,
    activities_agree,
    canonical_lab_unit,
    gbq_to_mbq,
    mci_to_mbq,
)

MAX_COURSE_MCI = 1000
AGE_AT_DIAGNOSIS_RANGE = (0, 120)
THYROID_SURGERIES = frozenset(
    {Procedure.TOTAL_THYROIDECTOMY, Procedure.COMPLETION_THYROIDECTOMY, Procedure.LOBECTOMY}
)

# pydantic error type -> (message code, what is expected)
_TYPE_ERRORS: dict[str, tuple[str, str | None]] = {
    "missing": ("validation.field_required", None),
    "enum": ("validation.field_enum", None),
    "literal_error": ("validation.field_enum", None),
    "date_parsing": ("validation.date_invalid", None),
    "date_from_datetime_parsing": ("validation.date_invalid", None),
    "date_from_datetime_inexact": ("validation.date_invalid", None),
    "date_type": ("validation.date_invalid", None),
    "datetime_from_date_parsing": ("validation.date_invalid", None),
    "bool_parsing": ("validation.field_type", "true or false"),
    "bool_type": ("validation.field_type", "true or false"),
    "int_parsing": ("validation.field_type", "a whole number"),
    "int_from_float": ("validation.field_type", "a whole number"),
    "int_type": ("validation.field_type", "a whole number"),
    "float_parsing": ("validation.field_type", "a number"),
    "float_type": ("validation.field_type", "a number"),
    "finite_number": ("validation.field_type", "a finite number"),
    "string_type": ("validation.field_type", "text"),
    "tuple_type": ("validation.field_type", "a list"),
    "list_type": ("validation.field_type", "a list"),
    "model_type": ("validation.field_type", "an object"),
    "model_attributes_type": ("validation.field_type", "an object"),
    "dict_type": ("validation.field_type", "an object"),
    "activity_missing": ("validation.activity_missing", None),
    "extra_forbidden": ("validation.field_unknown", None),
}


@dataclass(frozen=True)
class Validated:
    """The outcome for one source patient: the record when it has no error, and its problems."""

    source: SourcePatient
    patient: Patient | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.patient is not None and not any(p.is_error for p in self.problems)


def validate_registry(
    sources: Sequence[SourcePatient],
    *,
    today: date,
    lenient: bool = False,
    params: RuleParameters = DEFAULT_PARAMETERS,
    shared: Collection[str] = frozenset(),
) -> list[Validated]:
    """Validate every patient; ids shared by several patients are an error on each of them.

    ``shared`` names ids that patients outside ``sources`` also hold, when ``sources`` is one
    chunk of a larger registry (``rairtc.io.chunks``).
    """
    results = [validate_patient(s, today=today, lenient=lenient, params=params) for s in sources]
    counts = Counter(s.patient_id for s in sources if s.patient_id is not None)
    out: list[Validated] = []
    for result in results:
        pid = result.source.patient_id
        if pid is not None and (counts[pid] > 1 or pid in shared):
            record, _ = result.source.where(())
            extra = Problem(
                "validation.id_duplicate",
                pid,
                record,
                "id",
                {"value": pid, "scope": "in the registry"},
            )
            result = Validated(result.source, None, (*result.problems, extra))
        out.append(result)
    return out


def validate_patient(
    source: SourcePatient,
    *,
    today: date,
    lenient: bool = False,
    params: RuleParameters = DEFAULT_PARAMETERS,
) -> Validated:
    pid = source.patient_id
    problems: list[Problem] = list(source.problems)
    unread = {(p.record, p.field) for p in source.problems}

    def report(path: Path, code: str, params_: Mapping[str, Any], field: str | None = None) -> None:
        record, derived_field = source.where((*path, field) if field else path)
        if (record, field or derived_field) in unread:
            return  # the reader already said why this cell has no value
        problems.append(Problem(code, pid, record, field or derived_field, dict(params_)))

    data = blank_to_none(dict(source.data))
    data = _strip_unknown(data, "patient", (), lenient, report)
    try:
        patient = Patient.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            _report_pydantic(item, report)
        return Validated(source, None, tuple(problems))
    for check in CHECKS:
        for path, field, code, values in check(patient, today, params):
            report(path, code, values, field)
    has_error = any(p.is_error for p in problems)
    return Validated(source, None if has_error else patient, tuple(problems))


Reporter = Callable[[Path, str, Mapping[str, Any], str | None], None]


def _strip_unknown(
    data: dict[str, Any], kind: str, path: Path, lenient: bool, report: Reporter
) -> dict[str, Any]:
    allowed = FIELDS[kind]
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if key not in allowed:
            code = "validation.field_unknown_ignored" if lenient else "validation.field_unknown"
            report(path, code, {"allowed": ", ".join(sorted(allowed))}, str(key))
            continue
        kept[key] = value
    if kind == "patient":
        for key in LIST_FIELDS:
            if isinstance(kept.get(key), list):
                kept[key] = [
                    _strip_unknown(item, key, (key, i), lenient, report)
                    if isinstance(item, dict)
                    else item
                    for i, item in enumerate(kept[key])
                ]
        if isinstance(kept.get("molecular"), dict):
            kept["molecular"] = _strip_unknown(
                kept["molecular"], "molecular", ("molecular",), lenient, report
            )
    if kind == "imaging" and isinstance(kept.get("findings"), list):
        kept["findings"] = [
            _strip_unknown(item, "findings", (*path, "findings", j), lenient, report)
            if isinstance(item, dict)
            else item
            for j, item in enumerate(kept["findings"])
        ]
    return kept


def _report_pydantic(item: Any, report: Reporter) -> None:
    code, expected = _TYPE_ERRORS.get(item["type"], ("validation.unreadable_value", None))
    loc: Path = tuple(item["loc"])
    field: str | None = None
    if item["type"] == "activity_missing":
        field = "activity_mci"
    values: dict[str, Any] = {"value": _shown(item.get("input"))}
    if code == "validation.field_enum":
        values["allowed"] = item.get("ctx", {}).get("expected", "")
    if expected:
        values["expected"] = expected
    if code == "validation.field_unknown":
        values["allowed"] = "see data-model.md"
    if code == "validation.unreadable_value":
        values["reason"] = item.get("msg", "")
    report(loc, code, values, field)


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- clinical checks ---------------------------------------------------------------------

Finding_ = tuple[Path, str | None, str, dict[str, Any]]
Check = Callable[[Patient, date, RuleParameters], Iterator[Finding_]]


def _dated(patient: Patient) -> Iterator[tuple[Path, str, date]]:
    """Every date of the patient with its path and field."""
    yield (), "diagnosis_date", patient.diagnosis_date
    if patient.last_follow_up:
        yield (), "last_follow_up", patient.last_follow_up
    if patient.deceased_date:
        yield (), "deceased_date", patient.deceased_date
    for key in LIST_FIELDS:
        for i, item in enumerate(getattr(patient, key)):
            yield (key, i), "date", item.date


def check_dates_not_in_future(
    patient: Patient, today: date, _: RuleParameters
) -> Iterator[Finding_]:
    for path, field, day in [((), "birth_date", patient.birth_date), *_dated(patient)]:
        if day > today:
            yield path, field, "validation.date_in_future", {"value": day, "today": today}


def check_dates_after_birth(patient: Patient, _: date, __: RuleParameters) -> Iterator[Finding_]:
    for path, field, day in _dated(patient):
        if day < patient.birth_date:
            yield (
                path,
                field,
                "validation.date_before_birth",
                {"value": day, "birth_date": patient.birth_date},
            )


def check_treatment_after_diagnosis(
    patient: Patient, _: date, __: RuleParameters
) -> Iterator[Finding_]:
    for key in ("rai_courses", "imaging"):
        for i, item in enumerate(getattr(patient, key)):
            if item.date < patient.diagnosis_date:
                yield (
                    (key, i),
                    "date",
                    "validation.date_before_diagnosis",
                    {"value": item.date, "diagnosis_date": patient.diagnosis_date},
                )


def check_dates_before_death(patient: Patient, _: date, __: RuleParameters) -> Iterator[Finding_]:
    if patient.deceased_date is None:
        return
    for path, field, day in _dated(patient):
        if field != "deceased_date" and day > patient.deceased_date:
            yield (
                path,
                field,
                "validation.date_after_death",
                {"value": day, "deceased_date": patient.deceased_date},
            )


def check_age_at_diagnosis(patient: Patient, _: date, __: RuleParameters) -> Iterator[Finding_]:
    age = completed_years(patient.birth_date, patient.diagnosis_date)
    low, high = AGE_AT_DIAGNOSIS_RANGE
    if not low <= age <= high:
        yield (), "diagnosis_date", "validation.age_at_diagnosis_out_of_range", {"age": age}


def check_activities(patient: Patient, _: date, __: RuleParameters) -> Iterator[Finding_]:
    for i, course in enumerate(patient.rai_courses):
        path = ("rai_courses", i)
        bad = False
        for field, unit in (("activity_mci", "mCi"), ("activity_gbq", "GBq")):
            value = getattr(course, field)
            if value is not None and value <= 0:
                bad = True
                yield (
                    path,
                    field,
                    "validation.activity_not_positive",
                    {"value": value, "unit": unit},
                )
        if bad:
            continue
        mci, gbq = course.activity_mci, course.activity_gbq
        if mci is not None and gbq is not None and not activities_agree(mci, gbq):
            yield (
                path,
                "activity_gbq",
                "validation.activity_units_disagree",
                {"mci": mci, "gbq": gbq, "mci_mbq": mci_to_mbq(mci), "gbq_mbq": gbq_to_mbq(gbq)},
            )
            continue
        if course.activity_mbq > MAX_COURSE_MCI * MBQ_PER_MCI:
            field = "activity_mci" if course.activity_mci is not None else "activity_gbq"
            yield (
                path,
                field,
                "validation.activity_above_maximum",
                {"value_mci": _plain(course.activity_mbq / MBQ_PER_MCI)},
            )


def check_one_course_per_day(patient: Patient, _: date, __: RuleParameters) -> Iterator[Finding_]:
    seen: set[date] = set()
    for i, course in enumerate(patient.rai_courses):
        if course.date in seen:
            yield (
                ("rai_courses", i),
                "date",
                "validation.course_duplicate_date",
                {"value": course.date},
            )
        seen.add(course.date)


def check_findings(patient: Patient, _: date, __: RuleParameters) -> Iterator[Finding_]:
    for i, study in enumerate(patient.imaging):
        for j, finding in enumerate(study.findings):
            path = ("imaging", i, "findings", j)
            if finding.kind is FindingKind.REMNANT and finding.site is not Site.THYROID_BED:
                yield path, "kind", "validation.remnant_outside_thyroid_bed", {"site": finding.site}
            if finding.rai_uptake is not None and study.modality not in RAI_MODALITIES:
                yield (
                    path,
                    "rai_uptake",
                    "validation.rai_uptake_on_non_rai_study",
                    {"modality": study.modality},
                )
            if finding.fdg_uptake is not None and study.modality is not Modality.FDG_PET_CT:
                yield (
                    path,
                    "fdg_uptake",
                    "validation.fdg_uptake_on_non_fdg_study",
                    {"modality": study.modality},
                )


def check_lab_units(patient: Patient, _: date, __: RuleParameters) -> Iterator[Finding_]:
    for i, lab in enumerate(patient.labs):
        if canonical_lab_unit(lab.test, lab.unit) is None:
            yield (
                ("labs", i),
                "unit",
                "validation.lab_unit_mismatch",
                {"unit": lab.unit, "test": lab.test, "allowed": ", ".join(LAB_UNITS[lab.test])},
            )


def check_unique_ids(patient: Patient, _: date, __: RuleParameters) -> Iterator[Finding_]:
    seen: set[str] = set()
    for key in LIST_FIELDS:
        for i, item in enumerate(getattr(patient, key)):
            subs: list[tuple[Path, str | None]] = [((key, i), item.id)]
            if key == "imaging":
                subs += [((key, i, "findings", j), f.id) for j, f in enumerate(item.findings)]
            for path, ident in subs:
                if ident is None:
                    continue
                if ident in seen:
                    yield (
                        path,
                        "id",
                        "validation.id_duplicate",
                        {"value": ident, "scope": "within this patient"},
                    )
                seen.add(ident)


def check_national_id(patient: Patient, _: date, __: RuleParameters) -> Iterator[Finding_]:
    nid = patient.national_id
    if nid is not None and not (len(nid) == 12 and nid.isascii() and nid.isdigit()):
        yield (), "national_id", "validation.national_id_invalid", {"length": len(nid)}


# --- warnings ----------------------------------------------------------------------------


def _first_thyroid_surgery(patient: Patient) -> date | None:
    dates = [s.date for s in patient.surgeries if s.procedure in THYROID_SURGERIES]
    return min(dates) if dates else None


def check_course_after_surgery(patient: Patient, _: date, __: RuleParameters) -> Iterator[Finding_]:
    first = _first_thyroid_surgery(patient)
    if first is None:
        return
    for i, course in enumerate(patient.rai_courses):
        if course.date < first:
            yield (
                ("rai_courses", i),
                "date",
                "validation.course_before_first_surgery",
                {"value": course.date, "surgery_date": first},
            )


def check_diagnosis_before_surgery(
    patient: Patient, _: date, __: RuleParameters
) -> Iterator[Finding_]:
    first = _first_thyroid_surgery(patient)
    if first is not None and patient.diagnosis_date > first:
        yield (
            (),
            "diagnosis_date",
            "validation.diagnosis_after_thyroidectomy",
            {"value": patient.diagnosis_date, "surgery_date": first},
        )


def check_post_therapy_studies_have_course(
    patient: Patient, _: date, params: RuleParameters
) -> Iterator[Finding_]:
    """The timeline's own linking (rules.md §1) decides which studies have no course."""
    position = {id(study): i for i, study in enumerate(patient.imaging)}
    for study in build_timeline(patient, date.max, params).ignored_post_therapy:
        yield (
            ("imaging", position[id(study)]),
            "date",
            "validation.post_therapy_study_without_course",
            {"value": study.date, "max_days": params.post_therapy_max_days},
        )


def check_withdrawal_tsh(patient: Patient, _: date, params: RuleParameters) -> Iterator[Finding_]:
    for i, course in enumerate(patient.rai_courses):
        if (
            course.stimulation is not Stimulation.RHTSH
            and course.tsh_miu_l is not None
            and course.tsh_miu_l <= params.tsh_threshold_miu_l
        ):
            yield (
                ("rai_courses", i),
                "tsh_miu_l",
                "validation.withdrawal_tsh_inadequate",
                {"value": course.tsh_miu_l, "threshold": params.tsh_threshold_miu_l},
            )


def check_m0_against_first_scan(
    patient: Patient, _: date, params: RuleParameters
) -> Iterator[Finding_]:
    if patient.m is not MCategory.M0:
        return
    first = build_timeline(patient, date.max, params).first_course
    for study in first.post_therapy if first else ():
        if any(f.kind is FindingKind.DISTANT_METASTASIS for f in study.findings):
            yield (), "m", "validation.m0_with_distant_metastasis", {"study_date": study.date}
            return


def check_tgab_reference(patient: Patient, _: date, __: RuleParameters) -> Iterator[Finding_]:
    for i, lab in enumerate(patient.labs):
        if lab.test is LabTest.TGAB and lab.assay_upper_normal is None and not lab.below_limit:
            yield (
                ("labs", i),
                "assay_upper_normal",
                "validation.tgab_without_reference",
                {"value": lab.value},
            )


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else f"{value:.2f}"


CHECKS: tuple[Check, ...] = (
    check_dates_not_in_future,
    check_dates_after_birth,
    check_treatment_after_diagnosis,
    check_dates_before_death,
    check_age_at_diagnosis,
    check_activities,
    check_one_course_per_day,
    check_findings,
    check_lab_units,
    check_unique_ids,
    check_national_id,
    check_course_after_surgery,
    check_diagnosis_before_surgery,
    check_post_therapy_studies_have_course,
    check_withdrawal_tsh,
    check_m0_against_first_scan,
    check_tgab_reference,
)
