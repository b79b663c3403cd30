"""Group comparisons: the test chosen, its p-value, and the odds ratios (Wald or Firth)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize
from scipy.special import expit
from scipy.stats import chi2, t

from rairtc.study.comparisons import categorical_test, odds_ratios


def test_small_2x2_uses_fisher_and_gives_the_tea_tasting_p_value() -> None:
    # Fisher (1935), the lady tasting tea: 3 of 4 right each way, two-sided p = 17/35.
    result = categorical_test(np.array([[3.0, 1.0], [1.0, 3.0]]))
    assert result["test"] == "fisher_exact"
    assert result["p_value"] == pytest.approx(17 / 35)


def test_large_2x2_uses_uncorrected_chi_square() -> None:
    a, b, c, d = 10, 20, 30, 40
    n = a + b + c + d
    statistic = n * (a * d - b * c) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    result = categorical_test(np.array([[a, b], [c, d]], dtype=float))
    assert result["test"] == "chi_square" and result["df"] == 1
    assert result["statistic"] == pytest.approx(statistic)
    assert result["p_value"] == pytest.approx(chi2.sf(statistic, 1))


@pytest.mark.xfail(
    strict=True,
    reason="issue 13 item 3: a larger table with an expected count below 5 now uses the "
    "Fisher-Freeman-Halton exact test instead of chi-square with a footnote",
)
def test_larger_table_with_small_expected_counts_gets_a_footnote() -> None:
    result = categorical_test(np.array([[1.0, 2.0, 3.0], [20.0, 30.0, 2.0]]))
    assert result["test"] == "chi_square" and result["df"] == 2
    assert result["footnote"] == "an expected count is below 5"


def design(a: int, b: int, c: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """2×2 as individual rows: exposed (x=1) a events, b non-events; unexposed c, d."""
    x = [1] * (a + b) + [0] * (c + d)
    y = [1] * a + [0] * b + [1] * c + [0] * d
    return np.array(x, dtype=float).reshape(-1, 1), np.array(y, dtype=float)


def test_wald_odds_ratio_of_a_2x2_is_woolfs() -> None:
    a, b, c, d = 12, 30, 8, 50
    X, y = design(a, b, c, d)
    result = odds_ratios(X, y, ["x"])[0]
    log_or, se = math.log(a * d / (b * c)), math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    assert result["method"] == "wald"
    assert result["odds_ratio"] == pytest.approx(a * d / (b * c))
    assert result["ci"] == pytest.approx(
        [math.exp(log_or - 1.959964 * se), math.exp(log_or + 1.959964 * se)], rel=1e-5
    )


def test_firth_with_an_empty_cell_equals_adding_one_half_to_every_cell() -> None:
    # Firth (1993); Heinze & Schemper (2002): for one binary covariate the penalised estimate
    # is the log odds ratio of the table with 0.5 added to each cell.
    a, b, c, d = 0, 15, 6, 20
    X, y = design(a, b, c, d)
    result = odds_ratios(X, y, ["x"], empty_cell=True)[0]
    assert result["method"] == "firth_profile_likelihood"
    assert result["odds_ratio"] == pytest.approx(
        (a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5)), rel=1e-4
    )


def penalised_loglik(beta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Firth's penalised log-likelihood: l(β) + ½ log det I(β), written out independently."""
    Z = np.column_stack([X, np.ones(len(y))])
    p = expit(Z @ beta)
    ll = float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))
    info = Z.T @ (Z * (p * (1 - p))[:, None])
    return ll + 0.5 * float(np.linalg.slogdet(info)[1])


def test_firth_profile_interval_matches_a_brute_force_profile() -> None:
    X, y = design(0, 15, 6, 20)
    result = odds_ratios(X, y, ["x"], empty_cell=True)[0]
    top = optimize.minimize(lambda b: -penalised_loglik(b, X, y), np.zeros(2)).fun

    def deviance_gap(slope: float) -> float:
        inner = optimize.minimize_scalar(lambda b0: -penalised_loglik(np.array([slope, b0]), X, y))
        return 2 * (inner.fun - top) - chi2.ppf(0.95, 1)

    centre = math.log(result["odds_ratio"])
    low = optimize.brentq(deviance_gap, centre - 15, centre)
    high = optimize.brentq(deviance_gap, centre, centre + 15)
    assert result["ci"] == pytest.approx([math.exp(low), math.exp(high)], rel=2e-3)


def test_separated_continuous_data_switch_to_firth() -> None:
    X = np.array([[v] for v in (30, 35, 40, 45, 60, 65, 70, 75)], dtype=float)
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1], dtype=float)
    result = odds_ratios(X, y, ["per year"])[0]
    assert result["method"] == "firth_profile_likelihood"
    assert math.isfinite(result["odds_ratio"]) and result["odds_ratio"] > 1


def test_welch_statistic_matches_its_formula() -> None:
    from rairtc.study.comparisons import compare_continuous
    from tests.study.test_survival import row

    ages_r, ages_n = [50, 61, 58, 70], [40, 45, 52, 38, 47]
    rows = [row(f"r{i}", "refractory", age=a) for i, a in enumerate(ages_r)]
    rows += [row(f"n{i}", "not_refractory", age=a) for i, a in enumerate(ages_n)]
    result = compare_continuous(rows, "age")
    m1, m2 = np.mean(ages_r), np.mean(ages_n)
    v1, v2 = np.var(ages_r, ddof=1) / 4, np.var(ages_n, ddof=1) / 5
    statistic = (m1 - m2) / math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / 3 + v2**2 / 4)
    welch = next(x for x in result["tests"] if x["test"] == "welch_t")
    assert welch["statistic"] == pytest.approx(statistic)
    assert welch["p_value"] == pytest.approx(2 * t.sf(abs(statistic), df))
    assert {x["test"] for x in result["tests"]} == {"welch_t", "mann_whitney_u"}
