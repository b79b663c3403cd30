"""Kaplan-Meier time to refractoriness, checked against the product-limit formula by hand."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pytest

from rairtc.study.survival import DAYS_PER_MONTH, kaplan_meier
from rairtc.study.variables import StudyRow

START = date(2020, 1, 1)


def row(
    pid: str, status: str, *, event_day: int | None = None, end_day: int = 2000, **kw: Any
) -> StudyRow:
    fields: dict[str, Any] = dict(
        patient_id=pid,
        status=status,
        onset_date=None if event_day is None else START + timedelta(days=event_day),
        age=50,
        sex="female",
        histology="papillary",
        stage="I",
        metastases="no",
        recurrence="no",
        course_number=1,
        cumulative_activity_mci=100.0,
        first_course=START,
        end_of_follow_up=START + timedelta(days=end_day),
    )
    fields.update(kw)
    return StudyRow(**fields)


def cohort() -> list[StudyRow]:
    # events at 100 and 300 days; censored at 200, 400, 2000 days
    return [
        row("a", "refractory", event_day=100),
        row("b", "not_refractory", end_day=200),
        row("c", "refractory", event_day=300),
        row("d", "not_refractory", end_day=400),
        row("e", "not_refractory", end_day=2000),
    ]


def test_product_limit_estimate_and_log_log_interval_at_12_months() -> None:
    result = kaplan_meier(cohort())
    # at 12 months (365 days): events at 100 (5 at risk) and 300 (3 at risk)
    s = (1 - 1 / 5) * (1 - 1 / 3)
    greenwood = 1 / (5 * 4) + 1 / (3 * 2)
    se_loglog = math.sqrt(greenwood) / abs(math.log(s))
    low, high = s ** math.exp(1.959964 * se_loglog), s ** math.exp(-1.959964 * se_loglog)
    at12 = result["at_months"]["12"]
    assert at12["estimate"] == pytest.approx(s)
    assert at12["ci"] == pytest.approx([low, high], rel=1e-4)
    assert at12["at_risk"] == 2
    assert (result["n"], result["events"]) == (5, 2)


def test_median_is_null_when_the_curve_stays_above_one_half() -> None:
    assert kaplan_meier(cohort())["median_months"] is None


def test_median_when_reached() -> None:
    rows = [row(str(i), "refractory", event_day=30 * (i + 1)) for i in range(4)]
    assert kaplan_meier(rows)["median_months"] == pytest.approx(60 / DAYS_PER_MONTH)


def test_time_points_beyond_follow_up_are_not_extrapolated() -> None:
    rows = [row("a", "refractory", event_day=10), row("b", "not_refractory", end_day=500)]
    assert kaplan_meier(rows)["at_months"]["60"]["estimate"] is None


def test_no_patient_gives_a_note_not_a_crash() -> None:
    assert kaplan_meier([])["note"] == "no patient analysed"
