"""The cohort dashboard counts what the core decided, per period, with the report's Wilson
interval; its charts are SVG drawn on the server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from rairtc.core.records import Imaging
from rairtc.study.rates import wilson
from rairtc.web.registry import store
from tests.web.cases import NONAVID_SCAN, first_course_patient

TODAY = date(2025, 3, 10)


@pytest.fixture
def cohort(db: None) -> None:
    """Two refractory patients (non-avid node on the day-4 scan), three without a verdict yet,
    one of them treated in 2020."""
    scan = Imaging.model_validate(NONAVID_SCAN)
    for pid in ("R-1", "R-2"):
        store.save("clinician", first_course_patient(pid, imaging=[scan.model_dump()]), today=TODAY)
    for pid in ("N-1", "N-2"):
        store.save("clinician", first_course_patient(pid), today=TODAY)
    early = first_course_patient("N-3")
    course = early.rai_courses[0].model_copy(update={"date": date(2020, 5, 5), "activity_mci": 650})
    lab = early.labs[0].model_copy(update={"date": date(2020, 5, 5)})
    store.save(
        "clinician",
        early.model_copy(update={"rai_courses": (course,), "labs": (lab,)}),
        today=TODAY,
    )


def test_counts_rate_and_charts(cohort: None, client_as: Callable[..., Any]) -> None:
    response = client_as("researcher").get("/dashboard/")
    text = response.content.decode()
    ctx = response.context
    assert dict(ctx["statuses"])["refractory"] == 2 and ctx["total"] == 5
    assert ctx["rate"]["k"] == 2 and ctx["rate"]["n"] == 5
    low, high = wilson(2, 5)
    assert ctx["rate"]["low"] == pytest.approx(100 * low)
    assert ctx["rate"]["high"] == pytest.approx(100 * high)
    assert ctx["per_year"] == [(2024, 2)]
    assert dict(ctx["activity"]) == {
        **{k: 0 for k, _ in ctx["activity"]},
        "100–200": 4,
        "600–800": 1,
    }
    assert text.count("<svg") >= 3 and "http://" not in text.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    for identifier in ("R-1", "Omarova"):
        assert identifier not in text


def test_the_period_selects_by_year_of_first_course(
    cohort: None, client_as: Callable[..., Any]
) -> None:
    ctx = client_as("clinician").get("/dashboard/?from=2021&to=2025").context
    assert ctx["total"] == 4 and ctx["rate"]["n"] == 4
    ctx = client_as("clinician").get("/dashboard/?to=2020").context
    assert ctx["total"] == 1 and ctx["rate"]["k"] == 0


@pytest.mark.parametrize(
    ("lang", "words"), [("ru", "Частота рефрактерности"), ("kk", "Рефрактерлік жиілігі")]
)
def test_the_dashboard_is_translated(
    cohort: None, client_as: Callable[..., Any], lang: str, words: str
) -> None:
    client = client_as("clinician")
    client.post("/language/", {"language": lang})
    assert words in client.get("/dashboard/").content.decode()
