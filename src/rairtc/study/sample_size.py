"""Sample size for a population survey, exactly as Epi Info StatCalc computes it.

``epiinfo`` reproduces the desktop routine to the unit (``rules.md`` §10): the two-tailed
normal tail of Abramowitz & Stegun 26.2.19 (``norm_tail``), inverted by Epi Info's own
bisection (``epiinfo_z``), round-half-even of the corrected size, then design effect and
clusters. It is not an exact quantile: at 99.99 % an exact quantile gives 1511 where Epi Info
gives 1512. ``openepi`` is OpenEpi's formula with the exact quantile, rounded up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

EPI_INFO_CONFIDENCES = (80.0, 90.0, 95.0, 97.0, 99.0, 99.9, 99.99)
Method = Literal["epiinfo", "openepi"]


def norm_tail(z: float) -> float:
    """Two-tailed normal tail probability, A&S 26.2.19, as Epi Info's ``Norm``."""
    z = abs(z)
    q = 1 + z * (
        0.04986735
        + z
        * (
            0.02114101
            + z * (0.00327763 + z * (0.0000380036 + z * (0.0000488906 + z * 0.000005383)))
        )
    )
    return float(q**-16)


def epiinfo_z(p: float) -> float:
    """Epi Info's ``ANorm``: the z whose two-tailed tail is ``p``, by bisection on 1/(1+z)."""
    v, dv, z = 0.5, 0.5, 0.0
    while dv > 1e-6:
        z = 1 / v - 1
        dv = dv / 2
        v = v - dv if norm_tail(z) > p else v + dv
    return z


@dataclass(frozen=True)
class SampleSize:
    confidence: float
    n_per_cluster: int
    n_total: int
    method: Method

    def as_dict(self) -> dict[str, float | int | str]:
        confidence: float | int = (
            int(self.confidence) if self.confidence.is_integer() else self.confidence
        )
        return {
            "confidence": confidence,
            "n_per_cluster": self.n_per_cluster,
            "n_total": self.n_total,
            "method": self.method,
        }


def _check(
    population: int,
    expected: float,
    margin: float,
    confidence: float,
    design_effect: float,
    clusters: int,
) -> None:
    if population < 1:
        raise ValueError("population must be at least 1")
    if not 0 < expected < 100:
        raise ValueError("expected frequency must be between 0 and 100 %")
    if not 0 < margin < 100:
        raise ValueError("margin must be between 0 and 100 %")
    if not 0 < confidence < 100:
        raise ValueError("confidence must be between 0 and 100 %")
    if design_effect <= 0 or clusters < 1:
        raise ValueError("design effect must be above 0 and clusters at least 1")


def sample_size(
    population: int,
    expected: float,
    margin: float,
    confidence: float,
    *,
    design_effect: float = 1.0,
    clusters: int = 1,
    method: Method = "epiinfo",
) -> SampleSize:
    """Sample size for one confidence level (all percentages in percent)."""
    _check(population, expected, margin, confidence, design_effect, clusters)
    if method == "openepi":
        from scipy.stats import norm

        z = float(norm.ppf(1 - (1 - confidence / 100) / 2))
        p, d = expected / 100, margin / 100
        n = (
            design_effect
            * population
            * p
            * (1 - p)
            / ((d * d / (z * z)) * (population - 1) + p * (1 - p))
        )
        total = math.ceil(n - 1e-9)
        per_cluster = math.ceil(Fraction(total) / clusters)
        return SampleSize(confidence, per_cluster, per_cluster * clusters, method)
    factor = expected * (100 - expected) / margin**2
    z = epiinfo_z(1 - confidence / 100)
    n0 = z * z * factor
    n = n0 / (1 + n0 / population)
    s = round(n)  # Python rounds half to even, as Epi Info's Math.Round
    per_cluster = math.ceil(Fraction(str(design_effect)) * s / clusters)
    return SampleSize(confidence, per_cluster, clusters * per_cluster, method)


def epiinfo_table(
    population: int,
    expected: float,
    margin: float,
    *,
    design_effect: float = 1.0,
    clusters: int = 1,
    method: Method = "epiinfo",
) -> list[SampleSize]:
    """The seven rows Epi Info shows: 80, 90, 95, 97, 99, 99.9 and 99.99 %."""
    return [
        sample_size(
            population,
            expected,
            margin,
            c,
            design_effect=design_effect,
            clusters=clusters,
            method=method,
        )
        for c in EPI_INFO_CONFIDENCES
    ]
