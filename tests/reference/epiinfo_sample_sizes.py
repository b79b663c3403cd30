"""Independent reference for the Epi Info sample sizes (run once; output committed as CSV).

Where the numbers come from: this script re-implements, separately from ``rairtc.study``, the
routine of Epi Info Community Edition's StatCalc "population survey"
(``PopulationSurvey.xaml.cs``, as transcribed in rules.md §10): the two-tailed normal tail of
Abramowitz & Stegun 26.2.19, inverted by bisection of 1/(1+z) to 1e-6, n0 = z² p(100-p)/d²,
n = n0 / (1 + n0/N), banker's rounding, then ceil(DE · n / clusters) per cluster. It also
records the exact-quantile size (stdlib ``statistics.NormalDist``) so that the one place the two
differ (99.99 %) is visible. Run: ``python tests/reference/epiinfo_sample_sizes.py``.
"""

from __future__ import annotations

import csv
import math
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from statistics import NormalDist

COEFFICIENTS = (0.04986735, 0.02114101, 0.00327763, 0.0000380036, 0.0000488906, 0.000005383)


def two_tailed(z: float) -> float:
    z = abs(z)
    poly = 0.0
    for c in reversed(COEFFICIENTS):
        poly = (poly + c) * z
    return (1.0 + poly) ** -16


def invert(alpha: float) -> float:
    low_v, step, z = 0.5, 0.5, 0.0
    while step > 1e-6:
        z = 1.0 / low_v - 1.0
        step /= 2.0
        low_v += -step if two_tailed(z) > alpha else step
    return z


def size(
    population: int, p: float, d: float, confidence: float, de: str, clusters: int, exact: bool
) -> int:
    alpha = 1.0 - confidence / 100.0
    z = NormalDist().inv_cdf(1 - alpha / 2) if exact else invert(alpha)
    n0 = z * z * p * (100.0 - p) / (d * d)
    n = n0 / (1.0 + n0 / population)
    rounded = int(Decimal(repr(n)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    return clusters * math.ceil(Decimal(de) * rounded / clusters)


GRID = [
    # (N, expected %, margin %, design effect, clusters): Epi Info's defaults, the seed's frame,
    # small frames, low prevalence, clusters with a design effect.
    (999999, 50, 5, "1", 1),
    (445, 50, 5, "1", 1),
    (445, 10, 3, "1", 1),
    (100, 50, 5, "1", 1),
    (5000, 20, 4, "1.5", 1),
    (20000, 30, 5, "2", 10),
    (1000, 5, 2, "1", 1),
    (445, 50, 5, "1.3", 4),
]
CONFIDENCES = (80, 90, 95, 97, 99, 99.9, 99.99)

if __name__ == "__main__":
    out = Path(__file__).with_name("epiinfo_sample_sizes.csv")
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "population",
                "expected",
                "margin",
                "design_effect",
                "clusters",
                "confidence",
                "n_total_epiinfo",
                "n_total_exact_quantile",
            ]
        )
        for population, p, d, de, k in GRID:
            for c in CONFIDENCES:
                writer.writerow(
                    [
                        population,
                        p,
                        d,
                        de,
                        k,
                        c,
                        size(population, p, d, c, de, k, False),
                        size(population, p, d, c, de, k, True),
                    ]
                )
    print(f"wrote {out}")
