"""The published figures of the seed study (``replication.md``) and the check of each one
against the count that produced it.

A published percentage is flagged when the exact percentage from its own count, rounded the
way the study printed it (one decimal in Table 1; whole or half per cent where the text says
"81 %" or "4.5 %"), differs from what was printed. Rounding is half away from zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SEED_ANALYSED = 229
SEED_REFRACTORY = 22


@dataclass(frozen=True)
class Published:
    n: int
    percent: float | None
    step: str = "0.1"  # the precision the study printed: "0.1", "1" or "0.5"


TABLE1: dict[tuple[str, str], Published] = {
    ("sex", "male"): Published(65, 28.3),
    ("sex", "female"): Published(164, 71.6),
    ("histology", "papillary"): Published(133, 58.1),
    ("histology", "follicular"): Published(96, 41.9),
    ("stage", "I"): Published(85, 37.2),
    ("stage", "II"): Published(89, 38.9),
    ("stage", "III"): Published(49, 21.3),
    ("stage", "IV"): Published(6, 2.6),
    ("metastases", "yes"): Published(66, 28.9),
    ("metastases", "no"): Published(163, 71.1),
    ("recurrence", "yes"): Published(31, 13.6),
    ("recurrence", "no"): Published(198, 86.4),
    ("course_number", "1"): Published(161, 70.3),
    ("course_number", "2"): Published(33, 14.4),
    ("course_number", "3"): Published(20, 8.7),
    ("course_number", "4"): Published(8, 3.5),
    ("course_number", "5"): Published(7, 3.0),
}
AGE = {"mean": 49, "min": 18, "max": 80}  # "49 [18-80]", whole years
CRITERIA: dict[str, Published] = {  # shares of the 22 refractory patients, as the text gives them
    "progression_despite_uptake": Published(18, 81.0, "1"),
    "cumulative_activity": Published(2, 9.0, "1"),
    "nonavid_lesion": Published(1, 4.5, "0.5"),
    "fdg_mismatch": Published(1, 4.5, "0.5"),
    "no_uptake": Published(0, None),  # "not encountered"
}
RATE: tuple[tuple[str, Published], ...] = (  # the refractory share, printed twice
    ("results", Published(22, 9.6)),
    ("abstract and conclusion", Published(22, 9.4)),
)
NOT_REFRACTORY = Published(207, 90.4)
PROGRESSION_HISTOLOGY = {"papillary": 12, "follicular": 6}


def rounded(percent: float, step: str) -> Decimal:
    """A percentage at the published precision (half away from zero)."""
    unit = Decimal(step)
    return (Decimal(repr(percent)) / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


def check(published: Published, n: int, denominator: int) -> dict[str, Any]:
    """The published figure beside the computed one, flagged when they differ at the
    published precision (or when the count itself differs)."""
    out: dict[str, Any] = {"n": published.n, "percent": published.percent}
    if published.percent is None or denominator == 0:
        out["flag"] = n != published.n
        return out
    exact = 100 * n / denominator
    out["flag"] = n != published.n or rounded(exact, published.step) != Decimal(
        repr(published.percent)
    )
    out["computed_at_published_precision"] = float(rounded(exact, published.step))
    return out


def annotate(results: dict[str, Any]) -> dict[str, Any]:
    """results.json with a ``published`` entry on every Table 1 row, criterion and rate that the
    study published (cli.md, replicate)."""
    analysed = results["flow"]["analysed"]
    for row in results["table1"]:
        key = (row["variable"], row["level"])
        if key in TABLE1:
            row["published"] = check(TABLE1[key], row["n"], analysed)
        elif row["variable"] == "age" and row["level"] in AGE:
            value = AGE[row["level"]]
            row["published"] = {"value": value, "flag": round(row["value"]) != value}
    refractory = results["rair"]["n_refractory"]
    for code, entry in results["criteria"].items():
        entry["published"] = check(CRITERIA[code], entry["primary"], refractory)
    results["rair"]["published"] = [
        {"source": source, **check(published, refractory, analysed)} for source, published in RATE
    ]
    return results


def flagged(results: dict[str, Any]) -> list[str]:
    """Every flagged published figure, named variable/level (or criterion, or rate source)."""
    names = [
        f"{r['variable']}/{r['level']}"
        for r in results["table1"]
        if r.get("published", {}).get("flag")
    ]
    names += [
        f"criteria/{c}"
        for c, e in results["criteria"].items()
        if e.get("published", {}).get("flag")
    ]
    names += [f"rate/{r['source']}" for r in results["rair"].get("published", []) if r["flag"]]
    return names
