"""ATA 2015 response to therapy (rules.md §7), as of 2024-12-31 (window from 2023-12-31)."""

from __future__ import annotations

from tests.builders import course, finding, patient, run, study


def tg(day: str, value: float, stimulated: bool = False, **kw):
    return {
        "date": day,
        "test": "tg",
        "value": value,
        "unit": "ng/mL",
        "stimulated": stimulated,
        **kw,
    }


def tgab(day: str, value: float, upper: float | None = 4.0, **kw):
    return {
        "date": day,
        "test": "tgab",
        "value": value,
        "unit": "IU/mL",
        "assay_upper_normal": upper,
        **kw,
    }


def response(imaging=None, labs=None):
    p = patient(
        rai_courses=[course("2022-03-01")],
        imaging=[study("2022-03-04", "post_therapy_wbs"), *(imaging or [])],
        labs=labs or [],
    )
    r = run(p).response
    return r.category, r.reason, list(r.flags)


NEGATIVE_US = study("2024-06-01", "neck_us")


def test_no_imaging_in_the_last_12_months_is_not_assessable() -> None:
    assert response(labs=[tg("2024-06-01", 0.1), tgab("2024-06-01", 1)]) == (
        None,
        "no_recent_imaging",
        [],
    )


def test_imaging_on_the_first_day_of_the_window_counts() -> None:
    assert (
        response([study("2023-12-31", "neck_us")], [tg("2024-06-01", 0.1), tgab("2024-06-01", 1)])[
            0
        ]
        == "excellent"
    )


def test_disease_on_recent_imaging_is_structural_incomplete() -> None:
    assert response([study("2024-06-01", "neck_us", finding())])[0] == "structural_incomplete"


def test_disease_cleared_on_a_later_study_of_the_same_modality_is_not_structural() -> None:
    imaging = [study("2024-02-01", "neck_us", finding()), study("2024-08-01", "neck_us")]
    assert response(imaging, [tg("2024-08-01", 0.1), tgab("2024-08-01", 1)])[0] == "excellent"


def test_disease_not_cleared_by_a_study_of_another_modality() -> None:
    imaging = [study("2024-02-01", "neck_us", finding()), study("2024-08-01", "ct")]
    assert response(imaging)[0] == "structural_incomplete"


def test_suppressed_tg_of_1_is_biochemical_incomplete() -> None:
    assert (
        response([NEGATIVE_US], [tg("2024-06-01", 1.0), tgab("2024-06-01", 1)])[0]
        == "biochemical_incomplete"
    )


def test_stimulated_tg_of_10_is_biochemical_incomplete_even_with_positive_antibodies() -> None:
    assert (
        response([NEGATIVE_US], [tg("2024-06-01", 10, True), tgab("2024-06-01", 40)])[0]
        == "biochemical_incomplete"
    )


def test_rising_antibodies_are_biochemical_incomplete() -> None:
    labs = [tg("2024-06-01", 0.1), tgab("2024-02-01", 10), tgab("2024-06-01", 15)]
    assert response([NEGATIVE_US], labs)[0] == "biochemical_incomplete"


def test_positive_stable_antibodies_are_indeterminate() -> None:
    labs = [tg("2024-06-01", 0.1), tgab("2024-02-01", 10), tgab("2024-06-01", 14)]
    assert response([NEGATIVE_US], labs)[0] == "indeterminate"


def test_single_positive_antibody_value_is_not_rising() -> None:
    assert (
        response([NEGATIVE_US], [tg("2024-06-01", 0.1), tgab("2024-06-01", 40)])[0]
        == "indeterminate"
    )


def test_low_detectable_tg_is_indeterminate() -> None:
    assert (
        response([NEGATIVE_US], [tg("2024-06-01", 0.5), tgab("2024-06-01", 1)])[0]
        == "indeterminate"
    )
    assert (
        response([NEGATIVE_US], [tg("2024-06-01", 5, True), tgab("2024-06-01", 1)])[0]
        == "indeterminate"
    )


def test_indeterminate_finding_is_indeterminate() -> None:
    imaging = [study("2024-06-01", "ct", finding("lung", "indeterminate"))]
    assert response(imaging, [tg("2024-06-01", 0.1), tgab("2024-06-01", 1)])[0] == "indeterminate"


def test_undetectable_tg_with_negative_antibodies_is_excellent() -> None:
    assert response([NEGATIVE_US], [tg("2024-06-01", 0.1), tgab("2024-06-01", 1)]) == (
        "excellent",
        None,
        [],
    )


def test_tg_below_a_limit_of_0_2_is_excellent() -> None:
    labs = [tg("2024-06-01", 0.2, below_limit=True), tgab("2024-06-01", 1)]
    assert response([NEGATIVE_US], labs)[0] == "excellent"


def test_tg_below_a_limit_of_0_5_cannot_prove_excellent() -> None:
    labs = [tg("2024-06-01", 0.5, below_limit=True), tgab("2024-06-01", 1)]
    assert response([NEGATIVE_US], labs)[0] == "indeterminate"


def test_excellent_tg_with_unknown_antibodies_is_indeterminate_and_flagged() -> None:
    assert response([NEGATIVE_US], [tg("2024-06-01", 0.1)]) == (
        "indeterminate",
        None,
        ["tgab_unknown"],
    )
    labs = [tg("2024-06-01", 0.1), tgab("2024-06-01", 1, upper=None)]
    assert response([NEGATIVE_US], labs) == ("indeterminate", None, ["tgab_unknown"])


def test_antibody_below_limit_is_negative() -> None:
    labs = [tg("2024-06-01", 0.1), tgab("2024-06-01", 20, upper=None, below_limit=True)]
    assert response([NEGATIVE_US], labs)[0] == "excellent"


def test_the_worse_of_suppressed_and_stimulated_tg_wins() -> None:
    labs = [tg("2024-03-01", 0.1), tg("2024-06-01", 12, True), tgab("2024-06-01", 1)]
    assert response([NEGATIVE_US], labs)[0] == "biochemical_incomplete"


def test_only_the_latest_value_of_each_kind_is_judged() -> None:
    labs = [tg("2024-02-01", 3.0), tg("2024-06-01", 0.1), tgab("2024-06-01", 1)]
    assert response([NEGATIVE_US], labs)[0] == "excellent"


def test_no_tg_in_the_window_is_not_assessable() -> None:
    assert response([NEGATIVE_US], [tg("2023-06-01", 0.1)]) == (None, "no_tg", [])


# --- rules.md §7 as revised: two values of one kind on one date, below-limit values ---------


def test_two_suppressed_tg_on_one_date_the_higher_is_judged() -> None:
    # Two laboratories the same morning: 0.1 and 1.4 ng/mL. The 1.4 is real disease activity,
    # whichever order the registry lists them in.
    for labs in (
        [tg("2024-06-01", 0.1), tg("2024-06-01", 1.4), tgab("2024-06-01", 1)],
        [tg("2024-06-01", 1.4), tg("2024-06-01", 0.1), tgab("2024-06-01", 1)],
    ):
        assert response([NEGATIVE_US], labs)[0] == "biochemical_incomplete"


def test_a_measured_tg_outweighs_a_below_limit_value_of_the_same_number() -> None:
    # "<0.2" would be excellent; a measured 0.2 the same day is indeterminate.
    for labs in (
        [tg("2024-06-01", 0.2, below_limit=True), tg("2024-06-01", 0.2), tgab("2024-06-01", 1)],
        [tg("2024-06-01", 0.2), tg("2024-06-01", 0.2, below_limit=True), tgab("2024-06-01", 1)],
    ):
        assert response([NEGATIVE_US], labs)[0] == "indeterminate"


def test_a_measured_tg_above_the_threshold_is_not_hidden_by_a_coarser_assay() -> None:
    # "<2" (a coarse assay) and 1.5 measured the same day: 1.5 proves Tg >= 1.
    labs = [tg("2024-06-01", 2.0, below_limit=True), tg("2024-06-01", 1.5), tgab("2024-06-01", 1)]
    assert response([NEGATIVE_US], labs)[0] == "biochemical_incomplete"


def test_a_below_limit_tg_whose_limit_lies_above_a_threshold_is_indeterminate() -> None:
    # "<2" suppressed and "<15" stimulated prove neither side of 1 and 10 ng/mL.
    for lab in (
        tg("2024-06-01", 2.0, below_limit=True),
        tg("2024-06-01", 15, True, below_limit=True),
    ):
        assert response([NEGATIVE_US], [lab, tgab("2024-06-01", 1)])[0] == "indeterminate"


def test_two_antibody_values_of_one_day_are_not_a_rise() -> None:
    # 10 and 20 IU/mL (positive above 4) measured the same day: stable, not rising.
    labs = [tg("2024-06-01", 0.1), tgab("2024-06-01", 10), tgab("2024-06-01", 20)]
    assert response([NEGATIVE_US], labs)[0] == "indeterminate"
    earlier = [tgab("2024-02-01", 12), tgab("2024-02-01", 6)]
    assert response([NEGATIVE_US], [*labs, *earlier])[0] == "biochemical_incomplete"
