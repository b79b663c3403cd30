"""Criterion 1: I-131 / FDG mismatch, the flip-flop phenomenon (rules.md §3.1)."""

from __future__ import annotations

import pytest

from tests.builders import course, criterion, finding, patient, run, study

FDG_NODE = finding(fdg_uptake=True)


def flip_flop(fdg_day: str, rai_day: str = "2023-02-04", course_day: str = "2023-02-01", **kw):
    return patient(
        rai_courses=[course(course_day)],
        imaging=[
            study(rai_day, "post_therapy_spect_ct", finding(rai_uptake=False)),
            study(fdg_day, "fdg_pet_ct", FDG_NODE),
        ],
        **kw,
    )


def test_patient_with_flip_flop_is_refractory() -> None:
    result = run(flip_flop("2023-11-01"))
    hit = criterion(result, "fdg_mismatch")
    assert (str(hit.date), hit.confirmed) == ("2023-11-01", True)  # the later of the two dates
    assert result.primary_criterion == "fdg_mismatch"
    assert [e.code for e in hit.evidence] == ["evidence.fdg_avid_finding", "evidence.site_not_avid"]


@pytest.mark.parametrize(
    ("fdg_day", "met"),
    [
        ("2024-02-04", True),  # 365 days after the RAI study
        ("2024-02-05", False),  # 366 days
    ],
)
def test_fdg_study_at_most_365_days_from_the_rai_study(fdg_day, met) -> None:
    assert (criterion(run(flip_flop(fdg_day)), "fdg_mismatch") is not None) is met


def test_rai_study_after_the_fdg_study_counts() -> None:
    p = flip_flop("2022-12-01", rai_day="2023-02-04")
    hit = criterion(run(p), "fdg_mismatch")
    assert str(hit.date) == "2023-02-04"


def test_node_resected_between_fdg_study_and_later_rai_scan_is_no_mismatch() -> None:
    surgeries = [
        {"date": "2022-01-10", "procedure": "total_thyroidectomy"},
        {"date": "2023-01-15", "procedure": "lateral_neck_dissection"},
    ]
    p = flip_flop("2022-12-01", rai_day="2023-02-04", surgeries=surgeries)
    assert criterion(run(p), "fdg_mismatch") is None


def test_surgery_before_the_fdg_study_does_not_matter() -> None:
    surgeries = [
        {"date": "2022-01-10", "procedure": "total_thyroidectomy"},
        {"date": "2022-11-15", "procedure": "lateral_neck_dissection"},
    ]
    p = flip_flop("2022-12-01", rai_day="2023-02-04", surgeries=surgeries)
    assert criterion(run(p), "fdg_mismatch") is not None


def test_avid_focus_at_the_same_site_on_the_rai_study_is_no_mismatch() -> None:
    p = patient(
        rai_courses=[course("2023-02-01")],
        imaging=[
            study("2023-02-04", "post_therapy_spect_ct", finding(rai_uptake=True)),
            study("2023-06-01", "fdg_pet_ct", FDG_NODE),
        ],
    )
    assert criterion(run(p), "fdg_mismatch") is None


def test_fdg_positive_site_absent_from_the_rai_study_is_a_mismatch() -> None:
    p = patient(
        rai_courses=[course("2023-02-01")],
        imaging=[
            study(
                "2023-02-04",
                "post_therapy_spect_ct",
                finding("thyroid_bed", "remnant", rai_uptake=True),
            ),
            study(
                "2023-06-01", "fdg_pet_ct", finding("bone", "distant_metastasis", fdg_uptake=True)
            ),
        ],
    )
    assert criterion(run(p), "fdg_mismatch") is not None


def test_diagnostic_scan_needs_no_confirmation() -> None:
    p = patient(
        rai_courses=[course("2022-02-01", tsh=10)],
        imaging=[
            study("2022-02-04", "post_therapy_wbs"),
            study("2023-02-04", "diagnostic_wbs"),
            study("2023-03-01", "fdg_pet_ct", FDG_NODE),
        ],
    )
    hits = run(p)
    hit = criterion(hits, "fdg_mismatch")
    assert (hit.confirmed, sorted(hit.flags)) == (True, [])


def test_mismatch_against_a_poorly_prepared_post_therapy_scan_is_unconfirmed() -> None:
    p = patient(
        rai_courses=[course("2023-02-01", tsh=12)],
        imaging=[
            study("2023-02-04", "post_therapy_spect_ct"),
            study("2023-03-01", "fdg_pet_ct", FDG_NODE),
        ],
    )
    result = run(p)
    hit = criterion(result, "fdg_mismatch")
    assert (hit.confirmed, sorted(hit.flags)) == (False, ["tsh_inadequate"])
    assert result.status == "possibly_refractory"


def test_fdg_negative_or_non_disease_findings_are_no_mismatch() -> None:
    p = patient(
        rai_courses=[course("2023-02-01")],
        imaging=[
            study("2023-02-04", "post_therapy_spect_ct"),
            study(
                "2023-03-01",
                "fdg_pet_ct",
                finding(fdg_uptake=False),
                finding("lung", "indeterminate", fdg_uptake=True),
            ),
        ],
    )
    assert criterion(run(p), "fdg_mismatch") is None
