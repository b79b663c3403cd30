"""The refractory rate and its 95 % intervals."""

from __future__ import annotations

import math

import pytest
from scipy.stats import beta

from rairtc.study.rates import Z95, refractory_rate, wilson


def test_the_published_22_of_229() -> None:
    # cli.md: proportion 0.09607, Wilson [0.06430, 0.14117], Clopper-Pearson [0.06119, 0.14184]
    rate = refractory_rate(22, 229, 445)
    assert rate["proportion"] == pytest.approx(0.09607, abs=5e-6)
    assert rate["ci_wilson"] == pytest.approx([0.06430, 0.14117], abs=5e-6)
    assert rate["ci_exact"] == pytest.approx([0.06119, 0.14184], abs=5e-6)


def test_wilson_matches_the_score_formula() -> None:
    # Wilson (1927): (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
    n, x, z = 40, 7, Z95
    p = x / n
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    expected = [
        (p + z * z / (2 * n) - half) / (1 + z * z / n),
        (p + z * z / (2 * n) + half) / (1 + z * z / n),
    ]
    assert list(wilson(x, n)) == pytest.approx(expected)
    assert refractory_rate(x, n, 10**9)["ci_wilson"] == pytest.approx(expected)


def test_clopper_pearson_matches_the_beta_quantiles() -> None:
    rate = refractory_rate(3, 50, 10**6)
    assert rate["ci_exact"] == pytest.approx([beta.ppf(0.025, 3, 48), beta.ppf(0.975, 4, 47)])


def test_finite_population_interval_only_above_5_percent_and_narrower() -> None:
    rate = refractory_rate(22, 229, 445)
    low, high = rate["ci_fpc"]
    assert rate["ci_wilson"][0] < low < 22 / 229 < high < rate["ci_wilson"][1]
    assert refractory_rate(22, 229, 100_000)["ci_fpc"] is None  # 0.2 % of the frame


def test_finite_population_interval_tends_to_wilson_for_a_huge_frame() -> None:
    fpc = refractory_rate(30, 300, 5000)["ci_fpc"]
    far = refractory_rate(30, 300, 10**9)
    assert fpc[0] > far["ci_wilson"][0]
    n_eff = 300 * (5000 - 1) / (5000 - 300)
    assert fpc == pytest.approx(list(wilson(30 * n_eff / 300, n_eff)))


def test_zero_and_all_refractory_still_give_intervals() -> None:
    assert refractory_rate(0, 20, 20)["ci_exact"][0] == 0.0
    assert refractory_rate(20, 20, 20)["ci_exact"][1] == 1.0
    assert refractory_rate(0, 0, 1)["proportion"] is None
