"""Criterion 3: a non-avid disease finding on a post-therapy study (rules.md §3.3)."""

from __future__ import annotations

from tests.builders import course, criterion, finding, patient, run, study


def test_patient_with_nonavid_node_on_post_therapy_scan_is_refractory() -> None:
    p = patient(
        rai_courses=[course("2023-02-06")],
        imaging=[study("2023-02-09", "post_therapy_wbs", finding(rai_uptake=False))],
    )
    result = run(p)
    assert result.status == "refractory"
    hit = criterion(result, "nonavid_lesion")
    assert (str(hit.date), hit.confirmed, sorted(hit.flags)) == ("2023-02-09", True, [])
    assert hit.evidence[0].text == (
        "Post-therapy whole-body scan of 2023-02-09: right cervical lymph node metastasis "
        "does not concentrate I-131."
    )


def test_nonavid_remnant_or_indeterminate_focus_is_not_disease() -> None:
    p = patient(
        rai_courses=[course("2023-02-06")],
        imaging=[
            study(
                "2023-02-09",
                "post_therapy_wbs",
                finding("thyroid_bed", "remnant", rai_uptake=False),
                finding("lung", "indeterminate", rai_uptake=False),
            )
        ],
    )
    result = run(p)
    assert criterion(result, "nonavid_lesion") is None
    assert result.status == "not_refractory"


def test_unknown_uptake_never_counts_as_nonavid() -> None:
    p = patient(
        rai_courses=[course("2023-02-06")],
        imaging=[study("2023-02-09", "post_therapy_wbs", finding(rai_uptake=None))],
    )
    assert criterion(run(p), "nonavid_lesion") is None


def test_mixed_uptake_on_one_study_is_flagged_heterogeneous() -> None:
    p = patient(
        rai_courses=[course("2023-02-06")],
        imaging=[
            study(
                "2023-02-09",
                "post_therapy_spect_ct",
                finding(rai_uptake=False),
                finding("lung", "distant_metastasis", side="left", rai_uptake=True),
            )
        ],
    )
    hit = criterion(run(p), "nonavid_lesion")
    assert sorted(hit.flags) == ["heterogeneous_uptake"]


def test_nonavid_finding_on_a_diagnostic_scan_does_not_meet_the_criterion() -> None:
    p = patient(
        rai_courses=[course("2023-02-06")],
        imaging=[
            study("2023-02-09", "post_therapy_wbs"),
            study("2023-08-01", "diagnostic_wbs", finding(rai_uptake=False)),
        ],
    )
    assert criterion(run(p), "nonavid_lesion") is None


def test_post_therapy_scan_15_days_after_the_course_is_ignored() -> None:
    p = patient(
        rai_courses=[course("2023-02-01")],
        imaging=[study("2023-02-16", "post_therapy_wbs", finding(rai_uptake=False))],
    )
    result = run(p)
    assert criterion(result, "nonavid_lesion") is None
    assert result.status == "insufficient_data"
    assert [w.code for w in result.warnings] == ["warning.post_therapy_study_ignored"]


def test_post_therapy_scan_14_days_after_the_course_belongs_to_it_but_is_unconfirmed() -> None:
    p = patient(
        rai_courses=[course("2023-02-01")],
        imaging=[study("2023-02-15", "post_therapy_wbs", finding(rai_uptake=False))],
    )
    result = run(p)
    hit = criterion(result, "nonavid_lesion")
    assert (hit.confirmed, sorted(hit.flags)) == (False, ["scan_day_out_of_range"])
    assert result.status == "possibly_refractory"


def test_patient_without_post_therapy_study_cannot_be_evaluated() -> None:
    p = patient(rai_courses=[course("2023-02-01")])
    result = run(p)
    assert ("nonavid_lesion", "no_post_therapy_study") in [
        (c.value, r) for c, r in result.not_evaluable
    ]
    assert result.status == "insufficient_data"
