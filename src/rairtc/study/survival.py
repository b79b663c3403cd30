"""Time to refractoriness: Kaplan-Meier from the first I-131 course (lifelines).

Event: the onset of refractoriness (``onset_date``). Censoring: the latest record up to
``as_of`` (or death). Time in months = days / 30.4375. Pointwise 95 % intervals use the
log(-log) transform (lifelines' exponential Greenwood). Reported: the median time with its
interval, and the probability of remaining free of refractoriness at 12, 36 and 60 months.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from rairtc.study.variables import StudyRow

DAYS_PER_MONTH = 30.4375
TIMEPOINTS = (12, 36, 60)


def durations(rows: Sequence[StudyRow]) -> tuple[list[float], list[bool]]:
    times, events = [], []
    for r in rows:
        event = r.status == "refractory" and r.onset_date is not None
        end = r.onset_date if event and r.onset_date is not None else r.end_of_follow_up
        times.append(max(0, (end - r.first_course).days) / DAYS_PER_MONTH)
        events.append(event)
    return times, events


def _finite(value: float) -> float | None:
    return None if value is None or math.isinf(value) or math.isnan(value) else float(value)


def kaplan_meier(rows: Sequence[StudyRow]) -> dict[str, Any]:
    if not rows:
        return {
            "n": 0,
            "events": 0,
            "median_months": None,
            "median_ci": None,
            "at_months": {},
            "note": "no patient analysed",
        }
    import pandas as pd
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    times, events = durations(rows)
    fitter = KaplanMeierFitter().fit(times, event_observed=events, alpha=0.05)
    median = _finite(fitter.median_survival_time_)
    median_ci = median_survival_times(fitter.confidence_interval_)
    low, high = (_finite(float(v)) for v in median_ci.iloc[0])
    at: dict[str, Any] = {}
    band = fitter.confidence_interval_survival_function_
    for month in TIMEPOINTS:
        if month > max(times):
            at[str(month)] = {
                "estimate": None,
                "ci": None,
                "at_risk": 0,
                "note": "beyond the longest follow-up",
            }
            continue
        estimate = float(fitter.survival_function_at_times(month).iloc[0])
        row = band[band.index <= month].iloc[-1]
        at_risk = int(sum(1 for t in times if t >= month))
        at[str(month)] = {
            "estimate": estimate,
            "ci": [float(row.iloc[0]), float(row.iloc[1])],
            "at_risk": at_risk,
        }
    table = fitter.event_table
    curve = pd.DataFrame(
        {
            "time": fitter.survival_function_.index,
            "estimate": fitter.survival_function_.iloc[:, 0].to_numpy(),
        }
    )
    return {
        "method": "kaplan_meier",
        "ci_method": "log(-log) (exponential Greenwood)",
        "time_unit": "months (days / 30.4375)",
        "n": len(rows),
        "events": int(sum(events)),
        "median_months": median,
        "median_ci": [low, high],
        "at_months": at,
        "curve": [
            {"time": float(t), "estimate": float(s)}
            for t, s in zip(curve["time"], curve["estimate"], strict=True)
        ],
        "at_risk_table": [
            {"time": float(t), "at_risk": int(n)}
            for t, n in zip(table.index, table["at_risk"], strict=True)
        ],
    }
