"""Table 1 by group: overall, refractory and not refractory columns with a p-value per
variable (the layout of gtsummary's ``tbl_summary(by=) |> add_overall() |> add_p()``).

Each group cell is shaped like a :func:`rairtc.study.table1.table1` cell (``n`` and
``percent`` of the group's patients, or ``value``). The refractory and not refractory columns
hold the patients with those statuses; the overall column holds every analysed patient
(possibly refractory patients and those with insufficient data appear only there). Tests:
categorical variables as in :func:`rairtc.study.comparisons.categorical_test` (chi-square,
Fisher's exact for a 2×2 table, Fisher-Freeman-Halton for a larger one with an expected count
below 5), continuous variables by the Mann-Whitney U test, since they are shown as medians.
Metastases, recurrence and cumulative activity are part of a refractoriness criterion's
definition: their rows carry ``by_definition`` (their association with the outcome is partly
by construction). Cumulative activity is taken at the index course, as defined.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

from rairtc.study.comparisons import GROUPS, categorical_test, contingency
from rairtc.study.table1 import levels, summary, value
from rairtc.study.variables import StudyRow

VARIABLES = (
    "sex",
    "age",
    "histology",
    "stage",
    "metastases",
    "recurrence",
    "course_number",
    "cumulative_activity_mci",
)
CONTINUOUS = ("age", "cumulative_activity_mci")
BY_DEFINITION = ("metastases", "recurrence", "cumulative_activity_mci")
COLUMNS = ("overall", *GROUPS)


def _groups(rows: Sequence[StudyRow]) -> dict[str, list[StudyRow]]:
    return {
        "overall": list(rows),
        **{g: [r for r in rows if r.status == g] for g in GROUPS},
    }


def _count(counts: Counter[str | None], total: int, level: str | None) -> dict[str, Any]:
    n = counts.get(level, 0)
    return {"n": n, "percent": 100 * n / total if total else None}


def _continuous_test(rows: Sequence[StudyRow], variable: str) -> tuple[float | None, str | None]:
    groups = [[float(getattr(r, variable)) for r in rows if r.status == g] for g in GROUPS]
    if min(len(x) for x in groups) < 1 or all(np.ptp(x) == 0 for x in groups if x):
        return None, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = stats.mannwhitneyu(groups[0], groups[1])
    p = float(result.pvalue)
    return (p if np.isfinite(p) else None), "mann_whitney_u"


def table1_by_group(rows: Sequence[StudyRow]) -> list[dict[str, Any]]:
    groups = _groups(rows)
    compared = [r for r in rows if r.status in GROUPS]
    out: list[dict[str, Any]] = []
    for variable in VARIABLES:
        extra = {"by_definition": variable in BY_DEFINITION}
        if variable in CONTINUOUS:
            p, test = _continuous_test(compared, variable)
            stats_by_group = {
                g: summary([float(getattr(r, variable)) for r in members])
                for g, members in groups.items()
            }
            for stat in stats_by_group["overall"]:
                cells = {g: {"value": stats_by_group[g][stat]} for g in COLUMNS}
                out.append(
                    {"variable": variable, "level": stat, **cells, "p_value": p, "test": test}
                    | extra
                )
            continue
        present, table = contingency(compared, variable)
        result = categorical_test(table) if len(present) else {"test": None, "p_value": None}
        row_levels: list[str | None] = list(levels(variable, rows))
        counts = {g: Counter(value(r, variable) for r in members) for g, members in groups.items()}
        if counts["overall"].get(None):
            row_levels.append(None)
        for level in row_levels:
            cells = {g: _count(counts[g], len(groups[g]), level) for g in groups}
            out.append(
                {
                    "variable": variable,
                    "level": "missing" if level is None else level,
                    **cells,
                    "p_value": result.get("p_value"),
                    "test": result.get("test"),
                }
                | extra
            )
    return out
