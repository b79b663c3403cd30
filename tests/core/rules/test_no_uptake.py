"""Criterion 2: never avid on the first course, or loss of uptake (rules.md §3.2)."""

from __future__ import annotations

from rairtc.core.parameters import DEFAULT_PARAMETERS
from tests.builders import course, criterion, finding, patient, run, study


def test_first_scan_with_only_nonavid_disease_is_never_avid() -> None:
    p = patient(
        rai_courses=[course("2023-02-01")],
        imaging=[
            study(
                "2023-02-04",
                "post_therapy_wbs",
                finding("lung", "distant_metastasis", rai_uptake=False),
            )
        ],
    )
    result = run(p)
    hit = criterion(result, "no_uptake")
    assert (str(hit.date), hit.confirmed) == ("2023-02-04", True)
    assert result.primary_criterion == "no_uptake"  # ranks above nonavid_lesion


def test_avid_remnant_on_the_first_scan_prevents_never_avid_by_default() -> None:
    p = patient(
        rai_courses=[course("2023-02-01")],
        imaging=[
            study(
                "2023-02-04",
                "post_therapy_wbs",
                finding("thyroid_bed", "remnant", rai_uptake=True),
                finding(rai_uptake=False),
            )
        ],
    )
    assert criterion(run(p), "no_uptake") is None


def test_ata_wording_ignores_avid_remnant_for_never_avid() -> None:
    p = patient(
        rai_courses=[course("2023-02-01")],
        imaging=[
            study(
                "2023-02-04",
                "post_therapy_wbs",
                finding("thyroid_bed", "remnant", rai_uptake=True),
                finding(rai_uptake=False),
            )
        ],
    )
    params = DEFAULT_PARAMETERS.with_(c1_ignore_thyroid_bed_uptake=True)
    assert criterion(run(p, params), "no_uptake") is not None


def test_never_avid_looks_only_at_the_first_course() -> None:
    p = patient(
        rai_courses=[course("2023-02-01"), course("2024-02-01")],
        imaging=[
            study(
                "2023-02-04", "post_therapy_wbs", finding("thyroid_bed", "remnant", rai_uptake=True)
            ),
            study("2024-02-04", "post_therapy_wbs", finding(rai_uptake=False)),
        ],
    )
    assert criterion(run(p), "no_uptake") is None


def test_first_course_without_scan_is_not_evaluable_even_with_a_later_scan() -> None:
    p = patient(
        rai_courses=[course("2023-02-01"), course("2024-02-01")],
        imaging=[study("2024-02-04", "post_therapy_wbs", finding(rai_uptake=False))],
    )
    result = run(p)
    assert criterion(result, "no_uptake") is None
    assert ("no_uptake", "first_course_without_post_therapy_study") in [
        (c.value, r) for c, r in result.not_evaluable
    ]


def test_patient_without_any_course_has_no_i131_course_reason() -> None:
    result = run(patient())
    assert ("no_uptake", "no_i131_course") in [(c.value, r) for c, r in result.not_evaluable]
    assert result.follow_up_months is None


def test_site_avid_on_one_course_and_nonavid_on_a_later_course_is_loss_of_uptake() -> None:
    p = patient(
        rai_courses=[course("2022-02-01"), course("2023-02-01"), course("2024-02-01")],
        imaging=[
            study(
                "2022-02-04",
                "post_therapy_wbs",
                finding("lung", "distant_metastasis", side="left", rai_uptake=True),
            ),
            study("2023-02-04", "post_therapy_wbs"),
            study(
                "2024-02-04",
                "post_therapy_wbs",
                finding("lung", "distant_metastasis", side="left", rai_uptake=False),
            ),
        ],
    )
    result = run(p)
    hit = criterion(result, "no_uptake")
    assert str(hit.date) == "2024-02-04"  # courses 1 and 3: not only consecutive ones
    assert hit.evidence[0].code == "evidence.uptake_lost"
    assert "course 1" in hit.evidence[0].text and "course 3" in hit.evidence[0].text


def test_loss_needs_the_same_site_key() -> None:
    p = patient(
        rai_courses=[course("2022-02-01"), course("2023-02-01")],
        imaging=[
            study(
                "2022-02-04",
                "post_therapy_wbs",
                finding("lung", "distant_metastasis", side="left", rai_uptake=True),
            ),
            study(
                "2023-02-04",
                "post_therapy_wbs",
                finding("lung", "distant_metastasis", side="right", rai_uptake=False),
            ),
        ],
    )
    assert criterion(run(p), "no_uptake") is None


def test_finding_without_side_matches_either_side() -> None:
    p = patient(
        rai_courses=[course("2022-02-01"), course("2023-02-01")],
        imaging=[
            study(
                "2022-02-04",
                "post_therapy_wbs",
                finding("lung", "distant_metastasis", side=None, rai_uptake=True),
            ),
            study(
                "2023-02-04",
                "post_therapy_wbs",
                finding("lung", "distant_metastasis", side="right", rai_uptake=False),
            ),
        ],
    )
    assert criterion(run(p), "no_uptake") is not None


def test_loss_is_confirmed_on_the_later_study_only() -> None:
    p = patient(
        rai_courses=[course("2022-02-01", tsh=10), course("2023-02-01", tsh=80)],
        imaging=[
            study(
                "2022-02-04",
                "post_therapy_wbs",
                finding("bone", "distant_metastasis", rai_uptake=True),
            ),
            study(
                "2023-02-04",
                "post_therapy_wbs",
                finding("bone", "distant_metastasis", rai_uptake=False),
            ),
        ],
    )
    hit = criterion(run(p), "no_uptake")
    assert (hit.confirmed, sorted(hit.flags)) == (True, [])
