"""The refractory rate with its 95 % intervals.

Wilson score and Clopper-Pearson exact intervals come from statsmodels. When the analysed
patients are more than 5 % of the frame, a third interval applies the finite population
correction: the Wilson interval at the effective sample size n (N - 1) / (N - n), the sample
size the same precision would need from an infinite population (Kish 1965).
"""

from __future__ import annotations

import math
from typing import Any

from statsmodels.stats.proportion import proportion_confint

Z95 = 1.959963984540054


def wilson(count: float, n: float, z: float = Z95) -> tuple[float, float]:
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def wilson_fpc(count: int, n: int, population: int) -> tuple[float, float] | None:
    """Wilson at the effective sample size; None when the whole frame was analysed."""
    if population <= n:
        return None
    effective = n * (population - 1) / (population - n)
    return wilson(count * effective / n, effective)


def refractory_rate(count: int, n: int, population: int) -> dict[str, Any]:
    if n == 0:
        return {
            "n_refractory": 0,
            "n_analysed": 0,
            "proportion": None,
            "ci_wilson": None,
            "ci_exact": None,
            "ci_fpc": None,
            "note": "no patient analysed",
        }
    low_w, high_w = proportion_confint(count, n, alpha=0.05, method="wilson")
    low_e, high_e = proportion_confint(count, n, alpha=0.05, method="beta")
    fpc = wilson_fpc(count, n, population) if n / population > 0.05 else None
    return {
        "n_refractory": count,
        "n_analysed": n,
        "proportion": count / n,
        "ci_wilson": [float(low_w), float(high_w)],
        "ci_exact": [float(low_e), float(high_e)],
        "ci_fpc": None if fpc is None else list(fpc),
        "frame": population,
        "sampling_fraction": n / population,
    }


def evaluable_rate(count: int, n_evaluable: int) -> dict[str, Any]:
    """The refractory rate among evaluable patients (those whose status is not
    ``insufficient_data``), with Wilson and Clopper-Pearson intervals."""
    if n_evaluable == 0:
        return {
            "n_refractory": count,
            "n_analysed": 0,
            "proportion": None,
            "ci_wilson": None,
            "ci_exact": None,
            "note": "no evaluable patient",
        }
    low_w, high_w = proportion_confint(count, n_evaluable, alpha=0.05, method="wilson")
    low_e, high_e = proportion_confint(count, n_evaluable, alpha=0.05, method="beta")
    return {
        "n_refractory": count,
        "n_analysed": n_evaluable,
        "proportion": count / n_evaluable,
        "ci_wilson": [float(low_w), float(high_w)],
        "ci_exact": [float(low_e), float(high_e)],
    }
