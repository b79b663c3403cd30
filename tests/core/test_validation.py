"""One test per validation rule of data-model.md, run through ``rairtc validate``.

Each case asserts the exit code, the stable message code and that the message names the
patient, the record and the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import invoke

TODAY = "2025-01-01"


def base(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "P7",
        "sex": "F",
        "birth_date": "1980-05-01",
        "diagnosis_date": "2022-01-10",
        "histology": "papillary",
        "t": "T1b",
        "n": "N0",
        "m": "M0",
        "surgeries": [{"date": "2022-01-10", "procedure": "total_thyroidectomy"}],
        "rai_courses": [
            {
                "date": "2022-03-01",
                "activity_mci": 100,
                "stimulation": "withdrawal",
                "tsh_miu_l": 60,
            }
        ],
        "imaging": [
            {
                "date": "2022-03-04",
                "modality": "post_therapy_wbs",
                "findings": [{"site": "thyroid_bed", "kind": "remnant", "rai_uptake": True}],
            }
        ],
        "labs": [
            {"date": "2022-03-01", "test": "tg", "value": 5, "unit": "ng/mL", "stimulated": True}
        ],
    }
    data.update(changes)
    return data


def validate(tmp_path: Path, patient: dict[str, Any] | list[dict[str, Any]], *extra: str):
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(patient))
    return invoke("validate", str(path), "--today", TODAY, *extra)


def expect(outcome, code: str, field: str, exit_code: int = 65) -> None:
    assert outcome.code == exit_code, outcome.stderr
    lines = [line for line in outcome.stderr.splitlines() if f": {code}: " in line]
    assert lines, outcome.stderr
    assert "patient P7" in lines[0] or "patient ?" in lines[0]
    assert f"field {field}" in lines[0], lines[0]
    assert "Traceback" not in outcome.stderr


def course(**kw: Any) -> dict[str, Any]:
    return {
        "date": "2022-03-01",
        "activity_mci": 100,
        "stimulation": "withdrawal",
        "tsh_miu_l": 60,
        **kw,
    }


def test_valid_patient_passes(tmp_path: Path) -> None:
    outcome = validate(tmp_path, base())
    assert outcome.code == 0, outcome.stderr


@pytest.mark.parametrize(("t", "n"), [("T1", "N0"), ("T3", "N1"), ("T4", "N1")])
def test_it_accepts_categories_without_their_subcategory(tmp_path: Path, t: str, n: str) -> None:
    # data-model.md (revised): the seed's own pT1N0M0 and AJCC 7 records.
    outcome = validate(tmp_path, base(t=t, n=n))
    assert outcome.code == 0, outcome.stderr


def test_it_rejects_a_date_in_the_future(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(last_follow_up="2025-06-01")),
        "validation.date_in_future",
        "last_follow_up",
    )


def test_it_rejects_an_impossible_date(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(diagnosis_date="2022-02-30")),
        "validation.date_invalid",
        "diagnosis_date",
    )


def test_it_rejects_a_course_dated_before_birth(tmp_path: Path) -> None:
    outcome = validate(tmp_path, base(rai_courses=[course(date="1979-01-01")]))
    expect(outcome, "validation.date_before_birth", "date")
    assert "$.rai_courses[0]" in outcome.stderr


def test_it_rejects_a_course_dated_before_diagnosis(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(rai_courses=[course(date="2021-12-01")])),
        "validation.date_before_diagnosis",
        "date",
    )


def test_it_rejects_imaging_dated_before_diagnosis(tmp_path: Path) -> None:
    imaging = [{"date": "2021-11-01", "modality": "neck_us", "findings": []}]
    expect(validate(tmp_path, base(imaging=imaging)), "validation.date_before_diagnosis", "date")


def test_it_rejects_a_record_dated_after_death(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(deceased_date="2022-03-02")), "validation.date_after_death", "date"
    )


def test_it_rejects_an_age_at_diagnosis_above_120(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(birth_date="1890-01-01")),
        "validation.age_at_diagnosis_out_of_range",
        "diagnosis_date",
    )


def test_it_rejects_a_zero_activity(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(rai_courses=[course(activity_mci=0)])),
        "validation.activity_not_positive",
        "activity_mci",
    )


def test_it_rejects_a_negative_activity_in_gbq(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(rai_courses=[course(activity_mci=None, activity_gbq=-1)])),
        "validation.activity_not_positive",
        "activity_gbq",
    )


def test_it_rejects_more_than_1000_mci_in_one_course(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(rai_courses=[course(activity_mci=1001)])),
        "validation.activity_above_maximum",
        "activity_mci",
    )


def test_it_accepts_exactly_1000_mci(tmp_path: Path) -> None:
    assert validate(tmp_path, base(rai_courses=[course(activity_mci=1000)])).code == 0


def test_it_rejects_both_activity_units_disagreeing(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(rai_courses=[course(activity_mci=100, activity_gbq=4.0)])),
        "validation.activity_units_disagree",
        "activity_gbq",
    )


def test_it_accepts_both_activity_units_agreeing_within_1_percent(tmp_path: Path) -> None:
    assert (
        validate(tmp_path, base(rai_courses=[course(activity_mci=100, activity_gbq=3.72)])).code
        == 0
    )


def test_it_rejects_a_course_without_activity(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(rai_courses=[course(activity_mci=None)])),
        "validation.activity_missing",
        "activity_mci",
    )


def test_it_rejects_two_courses_on_the_same_date(tmp_path: Path) -> None:
    outcome = validate(tmp_path, base(rai_courses=[course(), course(activity_mci=50)]))
    expect(outcome, "validation.course_duplicate_date", "date")
    assert "$.rai_courses[1]" in outcome.stderr


def test_it_rejects_a_remnant_outside_the_thyroid_bed(tmp_path: Path) -> None:
    imaging = [
        {
            "date": "2022-03-04",
            "modality": "post_therapy_wbs",
            "findings": [{"site": "lung", "kind": "remnant", "rai_uptake": True}],
        }
    ]
    outcome = validate(tmp_path, base(imaging=imaging))
    expect(outcome, "validation.remnant_outside_thyroid_bed", "kind")
    assert "$.imaging[0].findings[0]" in outcome.stderr


def test_it_rejects_rai_uptake_on_a_ct(tmp_path: Path) -> None:
    imaging = [
        {
            "date": "2022-03-04",
            "modality": "ct",
            "findings": [{"site": "lung", "kind": "distant_metastasis", "rai_uptake": False}],
        }
    ]
    expect(
        validate(tmp_path, base(imaging=imaging)),
        "validation.rai_uptake_on_non_rai_study",
        "rai_uptake",
    )


def test_it_rejects_fdg_uptake_on_a_scintigraphy(tmp_path: Path) -> None:
    imaging = [
        {
            "date": "2022-03-04",
            "modality": "post_therapy_wbs",
            "findings": [{"site": "lung", "kind": "distant_metastasis", "fdg_uptake": True}],
        }
    ]
    expect(
        validate(tmp_path, base(imaging=imaging)),
        "validation.fdg_uptake_on_non_fdg_study",
        "fdg_uptake",
    )


def test_it_rejects_a_lab_unit_that_does_not_fit_the_test(tmp_path: Path) -> None:
    labs = [{"date": "2022-03-01", "test": "tg", "value": 5, "unit": "IU/mL"}]
    outcome = validate(tmp_path, base(labs=labs))
    expect(outcome, "validation.lab_unit_mismatch", "unit")
    assert "ng/mL, ug/L" in outcome.stderr


def test_it_accepts_equivalent_lab_units(tmp_path: Path) -> None:
    labs = [
        {"date": "2022-03-01", "test": "tg", "value": 5, "unit": "µg/L"},
        {"date": "2022-03-01", "test": "tsh", "value": 50, "unit": "uIU/mL"},
        {
            "date": "2022-03-01",
            "test": "tgab",
            "value": 5,
            "unit": "kIU/L",
            "assay_upper_normal": 4,
        },
    ]
    assert validate(tmp_path, base(labs=labs)).code == 0


def test_it_rejects_duplicate_patient_ids(tmp_path: Path) -> None:
    expect(validate(tmp_path, [base(), base()]), "validation.id_duplicate", "id")


def test_it_rejects_duplicate_sub_record_ids(tmp_path: Path) -> None:
    surgeries = [{"id": "x", "date": "2022-01-10", "procedure": "total_thyroidectomy"}]
    labs = [{"id": "x", "date": "2022-03-01", "test": "tsh", "value": 50, "unit": "mIU/L"}]
    expect(
        validate(tmp_path, base(surgeries=surgeries, labs=labs)), "validation.id_duplicate", "id"
    )


def test_it_rejects_a_missing_required_field(tmp_path: Path) -> None:
    data = base()
    del data["histology"]
    expect(validate(tmp_path, data), "validation.field_required", "histology")


def test_it_rejects_an_unknown_enum_value_listing_the_allowed_ones(tmp_path: Path) -> None:
    outcome = validate(tmp_path, base(histology="papilary"))
    expect(outcome, "validation.field_enum", "histology")
    assert "'papillary'" in outcome.stderr and "'medullary'" in outcome.stderr


def test_it_rejects_an_unknown_field(tmp_path: Path) -> None:
    expect(validate(tmp_path, base(histolgy="papillary")), "validation.field_unknown", "histolgy")


def test_it_only_warns_about_an_unknown_field_when_lenient(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(histolgy="papillary"), "--lenient"),
        "validation.field_unknown_ignored",
        "histolgy",
        exit_code=0,
    )


def test_it_rejects_a_text_where_a_number_belongs(tmp_path: Path) -> None:
    expect(
        validate(tmp_path, base(vascular_invasion_foci="many")),
        "validation.field_type",
        "vascular_invasion_foci",
    )


def test_it_rejects_a_national_id_that_is_not_12_digits(tmp_path: Path) -> None:
    outcome = validate(tmp_path, base(national_id="12345"))
    expect(outcome, "validation.national_id_invalid", "national_id")
    assert "12345" not in outcome.stderr  # identifiers never appear in messages


def test_messages_never_show_the_patients_name(tmp_path: Path) -> None:
    outcome = validate(tmp_path, base(full_name="Aigerim Sample", histology="papilary"))
    assert "Aigerim" not in outcome.stderr


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        (
            {"rai_courses": [course(date="2021-12-01")], "diagnosis_date": "2021-11-01"},
            "validation.course_before_first_surgery",
            "date",
        ),
        (
            {"diagnosis_date": "2022-02-01", "rai_courses": [course()]},
            "validation.diagnosis_after_thyroidectomy",
            "diagnosis_date",
        ),
        (
            {"imaging": [{"date": "2022-03-20", "modality": "post_therapy_wbs", "findings": []}]},
            "validation.post_therapy_study_without_course",
            "date",
        ),
        (
            {"rai_courses": [course(tsh_miu_l=30)]},
            "validation.withdrawal_tsh_inadequate",
            "tsh_miu_l",
        ),
        (
            {
                "imaging": [
                    {
                        "date": "2022-03-04",
                        "modality": "post_therapy_wbs",
                        "findings": [
                            {"site": "lung", "kind": "distant_metastasis", "rai_uptake": True}
                        ],
                    }
                ]
            },
            "validation.m0_with_distant_metastasis",
            "m",
        ),
        (
            {"labs": [{"date": "2022-03-01", "test": "tgab", "value": 5, "unit": "IU/mL"}]},
            "validation.tgab_without_reference",
            "assay_upper_normal",
        ),
    ],
)
def test_warnings_never_fail_a_run(tmp_path: Path, changes, code, field) -> None:
    expect(validate(tmp_path, base(**changes)), code, field, exit_code=0)


def test_withdrawal_tsh_of_31_gives_no_warning(tmp_path: Path) -> None:
    outcome = validate(tmp_path, base(rai_courses=[course(tsh_miu_l=31)]))
    assert "withdrawal_tsh_inadequate" not in outcome.stderr


def test_published_cases_validate_cleanly(fixtures: Path) -> None:
    outcome = invoke("validate", str(fixtures / "paper-cases.json"), "--today", TODAY)
    assert outcome.code == 0
    assert outcome.stderr.strip() == "6 patient(s) read: 6 valid, 0 error(s), 0 warning(s)"


def test_future_is_relative_to_the_injected_today(tmp_path: Path) -> None:
    data = base(last_follow_up="2024-12-31")
    assert validate(tmp_path, data).code == 0
    path = tmp_path / "registry.json"
    assert invoke("validate", str(path), "--today", "2024-12-30").code == 65
