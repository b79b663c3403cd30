"""Criterion 5: persistent disease after >= 600 mCi (22.2 GBq) cumulative (rules.md §3.5)."""

from __future__ import annotations

from decimal import Decimal

from tests.builders import course, criterion, finding, patient, run, study

LUNG = finding("lung", "distant_metastasis", rai_uptake=True)


def treated(*courses: dict, scans: list | None = None):
    return patient(rai_courses=list(courses), imaging=scans or [])


def test_600_mci_with_persistent_disease_meets_the_soft_criterion() -> None:
    p = treated(
        course("2021-01-10", 300),
        course("2022-01-10", 300),
        scans=[study("2022-01-13", "post_therapy_wbs", LUNG)],
    )
    hit = criterion(run(p), "cumulative_activity")
    assert (str(hit.date), hit.confirmed, sorted(hit.flags)) == (
        "2022-01-13",
        True,
        ["soft_criterion"],
    )


def test_599_mci_is_below_the_threshold() -> None:
    p = treated(
        course("2021-01-10", 300),
        course("2022-01-10", 299),
        scans=[study("2022-01-13", "post_therapy_wbs", LUNG)],
    )
    assert criterion(run(p), "cumulative_activity") is None


def test_three_times_7_4_gbq_is_exactly_22200_mbq() -> None:
    courses = [
        {"date": d, "activity_gbq": 7.4, "stimulation": "rhtsh"}
        for d in ("2021-01-10", "2022-01-10", "2023-01-10")
    ]
    p = treated(*courses, scans=[study("2023-01-13", "post_therapy_wbs", LUNG)])
    result = run(p)
    assert result.cumulative_activity_mbq == Decimal(22200)
    assert criterion(result, "cumulative_activity") is not None


def test_activities_entered_in_mci_and_gbq_add_up_exactly() -> None:
    p = treated(
        course("2021-01-10", 300),
        {"date": "2022-01-10", "activity_gbq": 11.1},
        scans=[study("2022-01-13", "post_therapy_wbs", LUNG)],
    )
    result = run(p)
    assert result.cumulative_activity_mbq == Decimal(22200)
    assert result.cumulative_activity_mci == 600.0


def test_disease_found_later_on_other_imaging_counts_from_its_date() -> None:
    p = treated(
        course("2021-01-10", 300),
        course("2022-01-10", 300),
        scans=[study("2022-01-13", "post_therapy_wbs"), study("2022-06-01", "neck_us", finding())],
    )
    hit = criterion(run(p), "cumulative_activity")
    assert str(hit.date) == "2022-06-01"


def test_no_disease_after_the_threshold_is_not_met() -> None:
    p = treated(
        course("2021-01-10", 300),
        course("2022-01-10", 300),
        scans=[
            study("2021-01-13", "post_therapy_wbs", LUNG),
            study("2022-01-13", "post_therapy_wbs"),
        ],
    )
    assert criterion(run(p), "cumulative_activity") is None


def test_courses_after_as_of_are_not_counted() -> None:
    p = treated(
        course("2021-01-10", 300),
        course("2025-06-10", 300),
        scans=[study("2021-01-13", "post_therapy_wbs", LUNG)],
    )
    result = run(p)
    assert result.cumulative_activity_mci == 300.0
    assert criterion(result, "cumulative_activity") is None
