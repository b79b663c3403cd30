"""Confirmation of absent uptake: preparation and scan day (rules.md §2)."""

from __future__ import annotations

import pytest

from rairtc.core.parameters import DEFAULT_PARAMETERS
from tests.builders import course, criterion, finding, patient, run, study


def nonavid_case(course_kwargs: dict[str, object], scan_day: str = "2023-02-04"):
    return patient(
        rai_courses=[course("2023-02-01", **course_kwargs)],
        imaging=[study(scan_day, "post_therapy_wbs", finding(rai_uptake=False))],
    )


@pytest.mark.parametrize(
    ("tsh", "confirmed", "flags"),
    [
        (30, False, ["tsh_inadequate"]),  # 30 is not above the threshold
        (31, True, []),  # above it
        (None, True, ["tsh_unknown"]),  # unknown TSH flags but does not unconfirm
    ],
)
def test_withdrawal_tsh_decides_confirmation(tsh, confirmed, flags) -> None:
    hit = criterion(run(nonavid_case({"tsh": tsh})), "nonavid_lesion")
    assert (hit.confirmed, sorted(hit.flags)) == (confirmed, flags)


def test_rhtsh_course_needs_no_tsh_value() -> None:
    hit = criterion(run(nonavid_case({"tsh": None, "stimulation": "rhtsh"})), "nonavid_lesion")
    assert (hit.confirmed, sorted(hit.flags)) == (True, [])


def test_rhtsh_course_with_low_tsh_is_still_confirmed() -> None:
    hit = criterion(run(nonavid_case({"tsh": 5, "stimulation": "rhtsh"})), "nonavid_lesion")
    assert hit.confirmed


def test_course_with_unrecorded_preparation_is_judged_as_withdrawal() -> None:
    hit = criterion(run(nonavid_case({"tsh": 12, "stimulation": None})), "nonavid_lesion")
    assert (hit.confirmed, sorted(hit.flags)) == (False, ["tsh_inadequate"])


@pytest.mark.parametrize(
    ("scan_day", "confirmed"),
    [
        ("2023-02-02", False),  # day 1: too early
        ("2023-02-03", True),  # day 2
        ("2023-02-11", True),  # day 10
        ("2023-02-12", False),  # day 11: too late, still the course's study
        ("2023-02-15", False),  # day 14: last day a study belongs to the course
    ],
)
def test_scan_day_decides_confirmation(scan_day, confirmed) -> None:
    hit = criterion(run(nonavid_case({}, scan_day)), "nonavid_lesion")
    assert hit.confirmed is confirmed
    assert ("scan_day_out_of_range" in hit.flags) is (not confirmed)


def test_scan_on_day_15_is_not_a_post_therapy_study_of_the_course() -> None:
    result = run(nonavid_case({}, "2023-02-16"))
    assert criterion(result, "nonavid_lesion") is None


def test_criterion_first_met_unconfirmed_and_later_confirmed_reports_the_confirmed_date() -> None:
    p = patient(
        rai_courses=[course("2023-02-01", tsh=20), course("2024-02-05", tsh=60)],
        imaging=[
            study("2023-02-04", "post_therapy_wbs", finding(rai_uptake=False)),
            study("2024-02-08", "post_therapy_wbs", finding(rai_uptake=False)),
        ],
    )
    result = run(p)
    hit = criterion(result, "nonavid_lesion")
    assert (str(hit.date), hit.confirmed) == ("2024-02-08", True)
    assert str(result.onset_date) == "2024-02-08"
    assert result.status == "refractory"


def test_only_unconfirmed_occurrences_report_the_earliest_one() -> None:
    p = patient(
        rai_courses=[course("2023-02-01", tsh=20), course("2024-02-05", tsh=25)],
        imaging=[
            study("2023-02-04", "post_therapy_wbs", finding(rai_uptake=False)),
            study("2024-02-08", "post_therapy_wbs", finding(rai_uptake=False)),
        ],
    )
    result = run(p)
    hit = criterion(result, "nonavid_lesion")
    assert (str(hit.date), hit.confirmed) == ("2023-02-04", False)
    assert result.status == "possibly_refractory"
    assert result.onset_date is None and result.primary_criterion is None


def test_counting_unconfirmed_as_met_makes_the_patient_refractory() -> None:
    p = patient(
        rai_courses=[course("2023-02-01", tsh=20)],
        imaging=[
            study(
                "2023-02-04",
                "post_therapy_wbs",
                finding("thyroid_bed", "remnant", rai_uptake=True),
                finding(rai_uptake=False),
            )
        ],
    )
    result = run(p, DEFAULT_PARAMETERS.with_(count_unconfirmed_as_met=True))
    assert result.status == "refractory"
    assert str(result.onset_date) == "2023-02-04"
    assert result.primary_criterion == "nonavid_lesion"
    assert criterion(result, "nonavid_lesion").confirmed is False
