"""Table 1: baseline characteristics of the analysed patients, at full precision.

Categorical variables give ``n`` and ``percent`` of the analysed count for every level of the
variable (a level with no patient is shown as 0) and a ``missing`` level when any value could
not be derived; age gives mean, SD (n - 1), median, quartiles (linear interpolation, numpy's
default, Hyndman-Fan type 7), minimum and maximum.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from rairtc.study.variables import StudyRow

LEVELS: dict[str, tuple[str, ...]] = {
    "sex": ("male", "female"),
    "histology": ("papillary", "follicular", "oncocytic"),
    "stage": ("I", "II", "III", "IV"),
    "metastases": ("yes", "no"),
    "recurrence": ("yes", "no"),
}
CATEGORICAL = ("sex", "histology", "stage", "metastases", "recurrence", "course_number")
CONTINUOUS = ("age",)


def levels(variable: str, rows: Sequence[StudyRow]) -> list[str]:
    """The levels of a variable in display order; course numbers from 1 to the largest seen."""
    if variable == "course_number":
        top = max((r.course_number for r in rows), default=1)
        return [str(n) for n in range(1, top + 1)]
    fixed = list(LEVELS[variable])
    seen = {value(r, variable) for r in rows} - {None}
    return fixed + sorted(str(s) for s in seen if s not in fixed)


def value(row: StudyRow, variable: str) -> str | None:
    raw = getattr(row, variable)
    return None if raw is None else str(raw)


def summary(values: Sequence[float]) -> dict[str, float | None]:
    """Mean, SD, median, quartiles, min, max; SD is None below two values."""
    if not values:
        return dict.fromkeys(("mean", "sd", "median", "q1", "q3", "min", "max"))
    data = np.asarray(values, dtype=float)
    q1, median, q3 = np.percentile(data, [25, 50, 75])
    return {
        "mean": float(data.mean()),
        "sd": float(data.std(ddof=1)) if len(data) > 1 else None,
        "median": float(median),
        "q1": float(q1),
        "q3": float(q3),
        "min": float(data.min()),
        "max": float(data.max()),
    }


def table1(rows: Sequence[StudyRow]) -> list[dict[str, Any]]:
    total = len(rows)
    out: list[dict[str, Any]] = []
    for variable in (
        "sex",
        "age",
        "histology",
        "stage",
        "metastases",
        "recurrence",
        "course_number",
    ):
        if variable in CONTINUOUS:
            for stat, number in summary([float(getattr(r, variable)) for r in rows]).items():
                out.append({"variable": variable, "level": stat, "value": number})
            continue
        counts = Counter(value(r, variable) for r in rows)
        for level in levels(variable, rows):
            n = counts.get(level, 0)
            out.append(
                {
                    "variable": variable,
                    "level": level,
                    "n": n,
                    "percent": 100 * n / total if total else None,
                }
            )
        if counts.get(None):
            n = counts[None]
            out.append(
                {
                    "variable": variable,
                    "level": "missing",
                    "n": n,
                    "percent": 100 * n / total if total else None,
                }
            )
    return out
