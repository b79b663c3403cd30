"""Time to refractoriness: Kaplan-Meier on the time since the first I-131 course (lifelines).

Two analyses share one time axis (months since the first I-131 course = days / 30.4375):

- **Primary, delayed entry** (:func:`kaplan_meier_delayed_entry`): the cohort is selected by an
  index admission in the study period, so a patient is observed from the index admission on,
  not from the first course. Each patient enters the risk set at the index admission (left
  truncation); a patient already refractory at the index admission (onset on or before it) is
  a *prevalent* case, counted in ``prevalent_at_entry`` and not as an event — counting such
  onsets as events would bias the curve (prevalent-cohort bias).
- **Secondary, from the first course** (:func:`kaplan_meier`): every patient at risk from the
  first course, onsets before the index admission counted as events, as the seed study did.

Event: the onset of refractoriness (``onset_date``). Censoring: the latest record up to
``as_of`` (or death). Pointwise 95 % intervals use the log(-log) transform (lifelines'
exponential Greenwood). lifelines counts a patient entering at time t in the risk set at t.
Reported: the median time with its interval, and the probability of remaining free of
refractoriness at 12, 36 and 60 months.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from rairtc.study.variables import StudyRow

DAYS_PER_MONTH = 30.4375
TIMEPOINTS = (12, 36, 60)


def _months(start: date, end: date) -> float:
    return max(0, (end - start).days) / DAYS_PER_MONTH


def _event(row: StudyRow) -> bool:
    return row.status == "refractory" and row.onset_date is not None


def durations(rows: Sequence[StudyRow]) -> tuple[list[float], list[bool]]:
    times, events = [], []
    for r in rows:
        event = _event(r)
        end = r.onset_date if event and r.onset_date is not None else r.end_of_follow_up
        times.append(_months(r.first_course, end))
        events.append(event)
    return times, events


def index_date(row: StudyRow) -> date:
    return row.index_date or row.first_course


def prevalent(row: StudyRow) -> bool:
    """Already refractory at the index admission (onset on or before it)."""
    return _event(row) and row.onset_date is not None and row.onset_date <= index_date(row)


def delayed_entry(rows: Sequence[StudyRow]) -> tuple[list[float], list[bool], list[float]]:
    """Times, events and entry times of the patients at risk at their index admission."""
    times, events, entries = [], [], []
    for r in rows:
        if prevalent(r):
            continue
        event = _event(r)
        end = r.onset_date if event and r.onset_date is not None else r.end_of_follow_up
        entry = _months(r.first_course, index_date(r))
        times.append(max(entry, _months(r.first_course, end)))
        events.append(event)
        entries.append(entry)
    return times, events, entries


def _finite(value: float) -> float | None:
    return None if value is None or math.isinf(value) or math.isnan(value) else float(value)


def _empty(note: str) -> dict[str, Any]:
    return {
        "n": 0,
        "events": 0,
        "median_months": None,
        "median_ci": None,
        "at_months": {},
        "note": note,
    }


def _fit(times: list[float], events: list[bool], entries: list[float] | None) -> dict[str, Any]:
    import pandas as pd
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    fitter = KaplanMeierFitter().fit(times, event_observed=events, entry=entries, alpha=0.05)
    median = _finite(fitter.median_survival_time_)
    median_ci = median_survival_times(fitter.confidence_interval_)
    low, high = (_finite(float(v)) for v in median_ci.iloc[0])
    starts = entries or [0.0] * len(times)
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
        at_risk = int(sum(1 for t, e in zip(times, starts, strict=True) if e <= month <= t))
        at[str(month)] = {
            "estimate": estimate,
            "ci": [_finite(float(row.iloc[0])), _finite(float(row.iloc[1]))],
            "at_risk": at_risk,
        }
    table = fitter.event_table
    curve = pd.DataFrame(
        {
            "time": fitter.survival_function_.index,
            "estimate": fitter.survival_function_.iloc[:, 0].to_numpy(),
            "low": band.iloc[:, 0].to_numpy(),
            "high": band.iloc[:, 1].to_numpy(),
        }
    )
    return {
        "method": "kaplan_meier",
        "ci_method": "log(-log) (exponential Greenwood)",
        "time_unit": "months (days / 30.4375)",
        "n": len(times),
        "events": int(sum(events)),
        "median_months": median,
        "median_ci": [low, high],
        "at_months": at,
        "curve": [
            {
                "time": float(t),
                "estimate": float(s),
                "low": _finite(float(lo)),
                "high": _finite(float(hi)),
            }
            for t, s, lo, hi in zip(
                curve["time"], curve["estimate"], curve["low"], curve["high"], strict=True
            )
        ],
        "at_risk_table": [
            {"time": float(t), "at_risk": int(n)}
            for t, n in zip(table.index, table["at_risk"], strict=True)
        ],
        "at_risk_every_12_months": [
            {
                "time": float(m),
                "at_risk": int(sum(1 for t, e in zip(times, starts, strict=True) if e <= m <= t)),
            }
            for m in range(0, int(max(times)) + 1, 12)
        ],
        "censored": sorted(float(t) for t, e in zip(times, events, strict=True) if not e),
    }


def kaplan_meier(rows: Sequence[StudyRow]) -> dict[str, Any]:
    """The secondary analysis: at risk from the first I-131 course."""
    if not rows:
        return {**_empty("no patient analysed"), "role": "secondary"}
    times, events = durations(rows)
    return {**_fit(times, events, None), "role": "secondary", "origin": "first_course"}


def kaplan_meier_delayed_entry(rows: Sequence[StudyRow]) -> dict[str, Any]:
    """The primary analysis: at risk from the index admission (left-truncated)."""
    n_prevalent = sum(1 for r in rows if prevalent(r))
    extra = {
        "role": "primary",
        "origin": "first_course",
        "entry": "index_admission",
        "prevalent_at_entry": n_prevalent,
    }
    times, events, entries = delayed_entry(rows)
    if not times:
        return {**_empty("no patient at risk at the index admission"), **extra}
    return {**_fit(times, events, entries), **extra}
