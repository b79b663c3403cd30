"""Issue 13's statistics: delayed-entry Kaplan-Meier checked by hand and against lifelines,
the evaluable rate, Table 1 by group, the Fisher-Freeman-Halton test, preset sensitivity and
a logistic fit that lets a bug through instead of hiding it behind Firth."""

from __future__ import annotations

import itertools
import math
from datetime import timedelta

import numpy as np
import pytest
from scipy.special import comb

from rairtc.study.comparisons import categorical_test, freeman_halton, odds_ratios
from rairtc.study.rates import evaluable_rate
from rairtc.study.survival import DAYS_PER_MONTH, kaplan_meier, kaplan_meier_delayed_entry
from rairtc.study.table1_by_group import table1_by_group
from tests.study.test_survival import START, row


def entered(pid: str, status: str, index_day: int, **kw):
    return row(pid, status, index_date=START + timedelta(days=index_day), **kw)


def left_truncated_cohort():
    # index admissions at 0, 200, 400, 0, 100 days after the first course
    return [
        entered("a", "refractory", 0, event_day=300),
        entered("b", "not_refractory", 200, end_day=500),
        entered("c", "refractory", 400, event_day=600),
        entered("d", "not_refractory", 0, end_day=250),
        entered("e", "refractory", 100, event_day=50),  # onset before the index: prevalent
        entered("f", "not_refractory", 100, end_day=900),
    ]


def test_delayed_entry_matches_the_product_limit_over_the_left_truncated_risk_set() -> None:
    result = kaplan_meier_delayed_entry(left_truncated_cohort())
    assert result["prevalent_at_entry"] == 1 and result["role"] == "primary"
    assert result["n"] == 5 and result["events"] == 2
    # By hand: at 300 days at risk a (0-300), b (200-500), f (100-900) -> 2/3;
    # at 600 days at risk c (400-600), f -> 1/2. S(12 months = 365.25 d) = 2/3.
    curve = {round(p["time"] * DAYS_PER_MONTH): p["estimate"] for p in result["curve"]}
    assert curve[300] == pytest.approx(2 / 3)
    assert curve[600] == pytest.approx(2 / 3 * 1 / 2)
    assert result["at_months"]["12"]["estimate"] == pytest.approx(2 / 3)
    assert result["at_months"]["12"]["at_risk"] == 2  # b and f; c enters only at 400 days
    assert result["median_months"] == pytest.approx(600 / DAYS_PER_MONTH)


def test_delayed_entry_agrees_with_lifelines_given_the_entry_times() -> None:
    from lifelines import KaplanMeierFitter

    rows = left_truncated_cohort()
    kept = [r for r in rows if r.patient_id != "e"]
    entry = [(r.index_date - r.first_course).days / DAYS_PER_MONTH for r in kept]
    end = [
        ((r.onset_date or r.end_of_follow_up) - r.first_course).days / DAYS_PER_MONTH for r in kept
    ]
    reference = KaplanMeierFitter().fit(
        end, event_observed=[r.status == "refractory" for r in kept], entry=entry
    )
    result = kaplan_meier_delayed_entry(rows)
    for month in (12,):
        expected = float(reference.survival_function_at_times(month).iloc[0])
        assert result["at_months"][str(month)]["estimate"] == pytest.approx(expected)


def test_the_from_first_course_curve_is_the_labelled_secondary_analysis_counting_every_onset() -> (
    None
):
    result = kaplan_meier(left_truncated_cohort())
    assert result["role"] == "secondary" and result["events"] == 3
    # the prevalent onset at 50 days is an event here: 5/6 after it
    assert result["curve"][1]["estimate"] == pytest.approx(5 / 6)


def test_evaluable_rate_leaves_out_insufficient_data_only() -> None:
    rate = evaluable_rate(22, 200)
    assert rate["proportion"] == pytest.approx(0.11)
    low, high = rate["ci_wilson"]
    z = 1.959963984540054
    p, n = 0.11, 200
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (low, high) == pytest.approx((centre - half, centre + half))
    assert rate["ci_exact"][0] < low and evaluable_rate(0, 0)["proportion"] is None


def test_freeman_halton_is_the_sum_of_hypergeometric_tables_no_likelier_than_observed() -> None:
    table = np.array([[1, 2, 0], [3, 1, 4]])
    columns, top = table.sum(axis=0), 3

    def probability(x):
        return math.prod(comb(c, k, exact=True) for c, k in zip(columns, x, strict=True)) / comb(
            columns.sum(), top, exact=True
        )

    tables = [x for x in itertools.product(*(range(c + 1) for c in columns)) if sum(x) == top]
    observed = probability(table[0])
    expected = sum(probability(x) for x in tables if probability(x) <= observed + 1e-12)
    result = freeman_halton(table)
    assert result["p_value"] == pytest.approx(expected) and result["method"] == "exact"
    assert categorical_test(table.astype(float))["test"] == "fisher_freeman_halton"


def test_freeman_halton_of_a_2x2_table_is_fishers_exact_test() -> None:
    assert freeman_halton(np.array([[3, 1], [1, 3]]))["p_value"] == pytest.approx(17 / 35)


def test_too_many_tables_fall_back_to_a_seeded_monte_carlo_with_its_draws_stated(
    monkeypatch,
) -> None:
    from rairtc.study import comparisons

    monkeypatch.setattr(comparisons, "EXACT_TABLE_LIMIT", 3)
    monkeypatch.setattr(comparisons, "MONTE_CARLO_DRAWS", 2000)
    table = np.array([[1, 2, 0], [3, 1, 4]])
    first, again = freeman_halton(table), freeman_halton(table)
    assert first == again and first["method"] == "monte_carlo" and first["draws"] == 2000
    assert first["p_value"] == pytest.approx(0.2, abs=0.05)


def test_a_bug_in_the_logistic_fit_is_raised_not_hidden_behind_firth(monkeypatch) -> None:
    import statsmodels.discrete.discrete_model as dm

    def broken(*args, **kwargs):
        raise TypeError("a programming error")

    monkeypatch.setattr(dm.Logit, "fit", broken)
    X = np.array([[1.0], [0.0], [1.0], [0.0], [1.0], [0.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    with pytest.raises(TypeError, match="programming error"):
        odds_ratios(X, y, ["x"])


def test_a_singular_matrix_still_falls_back_to_firth(monkeypatch) -> None:
    import statsmodels.discrete.discrete_model as dm

    def singular(*args, **kwargs):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(dm.Logit, "fit", singular)
    X = np.array([[1.0], [0.0], [1.0], [0.0], [1.0], [0.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    assert odds_ratios(X, y, ["x"])[0]["method"] == "firth_profile_likelihood"


def test_table_1_by_group_counts_each_column_and_names_its_test() -> None:
    rows = [
        row("r1", "refractory", event_day=100, metastases="yes", sex="male", age=40),
        row("r2", "refractory", event_day=200, metastases="yes", age=60),
        row("n1", "not_refractory", metastases="no"),
        row("n2", "not_refractory", metastases="no", sex="male"),
        row("n3", "not_refractory", metastases="yes"),
        row("i1", "insufficient_data", metastases="no"),
    ]
    table = {(r["variable"], r["level"]): r for r in table1_by_group(rows)}
    yes = table[("metastases", "yes")]
    assert yes["overall"] == {"n": 3, "percent": 50.0}
    assert yes["refractory"] == {"n": 2, "percent": 100.0}
    assert yes["not_refractory"]["n"] == 1
    assert yes["test"] == "fisher_exact" and yes["by_definition"]
    # 2x2 [[2, 0], [1, 2]]: tables with 0, 1, 2 refractory "yes" have probabilities 1/10,
    # 6/10, 3/10; two-sided Fisher sums those no likelier than the observed 3/10.
    assert yes["p_value"] == pytest.approx(0.4)
    assert not table[("sex", "male")]["by_definition"]
    age = table[("age", "mean")]
    assert age["overall"] == {"value": 50.0} and age["refractory"] == {"value": 50.0}
    assert (
        table[("age", "sd")]["refractory"]["value"] == pytest.approx(math.sqrt(200))
        and age["test"] == "mann_whitney_u"
    )
    assert table[("cumulative_activity_mci", "median")]["by_definition"]


def test_results_json_holds_the_issue_13_keys_and_the_sensitivity_lists_changed_patients() -> None:
    from rairtc.study.run import run_study
    from tests.builders import course, finding, patient, study
    from tests.study.test_run import mixed, options

    late_scan = patient(
        id="LATE",
        rai_courses=[course("2023-02-01")],
        imaging=[study("2023-02-15", "post_therapy_wbs", finding(rai_uptake=False))],
    )
    no_scan = patient(id="NOSCAN", rai_courses=[course("2023-02-01")])
    results = run_study([*mixed(), late_scan, no_scan], options(), input_sha256="x")
    assert results["status"]["possibly_refractory"] == 1
    assert results["status"]["insufficient_data"] == 1
    evaluable = results["rair_evaluable"]
    assert (evaluable["n_refractory"], evaluable["n_analysed"]) == (6, 31)
    assert results["rair"]["n_analysed"] == 32
    assert results["survival"]["role"] == "secondary"
    assert results["survival_delayed_entry"]["role"] == "primary"
    assert "prevalent_at_entry" in results["survival_delayed_entry"]
    assert results["flow"]["not_sampled"] is None  # every eligible patient analysed
    assert results["provenance"] == {
        "synthetic": False,
        "generator": None,
        "seed": None,
        "calibration": None,
    }
    by_preset = {s["preset"]: s for s in results["sensitivity"]}
    assert list(by_preset) == [
        "study",
        "literal_12_16",
        "ata_never_avid",
        "count_unconfirmed_as_met",
    ]
    unconfirmed = by_preset["count_unconfirmed_as_met"]
    assert unconfirmed["changed"] == ["LATE"] and unconfirmed["n_refractory"] == 7
    assert sum(unconfirmed["primary"].values()) == 7
    assert by_preset["study"]["changed"] == [] and by_preset["study"]["n_refractory"] == 6
    groups = {(r["variable"], r["level"]): r for r in results["table1_by_group"]}
    female = groups[("sex", "female")]
    assert female["overall"]["n"] == sum(
        1 for p in [*mixed(), late_scan, no_scan] if p.sex.value == "F"
    )
    assert female["refractory"]["n"] + female["not_refractory"]["n"] <= female["overall"]["n"]


def test_the_preset_sensitivity_can_be_left_out_for_a_large_registry() -> None:
    from rairtc.study.run import run_study
    from tests.study.test_run import mixed, options

    results = run_study(mixed(), options(sensitivity=False), input_sha256="x")
    assert results["sensitivity"] == [] and results["rair"]["n_refractory"] == 6
