"""The eligibility flow counts every exclusion under its code, in the protocol's order."""

from __future__ import annotations

from datetime import date

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.study.eligibility import Period, eligibility
from tests.builders import course
from tests.study.cohort import refractory, sensitive

YEAR_2023 = Period(date(2023, 1, 1), date(2023, 12, 31))


def registry():
    return [
        sensitive("ok-1"),
        refractory("ok-2"),
        sensitive("before-period", rai_courses=[course("2022-06-01")]),  # no course in 2023
        sensitive("no-course", rai_courses=[], imaging=[]),  # no course at all
        sensitive("medullary", histology="medullary"),  # not differentiated
        sensitive("pdtc", histology="poorly_differentiated"),  # not differentiated
        sensitive("age-17", birth="2005-03-07"),  # 17 at admission
        sensitive("age-81", birth="1941-03-05", diagnosis_date="2022-01-10"),  # 82 at admission
        sensitive("age-18", birth="2005-03-06"),  # 18 on the day: eligible
        sensitive("age-80", birth="1942-03-07", diagnosis_date="2022-01-10"),  # 80: eligible
        sensitive("medullary-no-course", histology="medullary", rai_courses=[], imaging=[]),
    ]


def test_flow_counts_each_patient_once_under_the_first_exclusion() -> None:
    flow = eligibility(
        registry(), period=YEAR_2023, as_of=date(2024, 12, 31), params=DEFAULT_PARAMETERS
    )
    assert flow.records == 11
    assert sorted(e.patient.id for e in flow.eligible) == ["age-18", "age-80", "ok-1", "ok-2"]
    assert flow.counts() == {
        "no_course_in_period": 3,
        "histology_missing": 0,
        "histology_not_differentiated": 2,
        "birth_date_missing": 0,
        "age_outside_18_80": 2,
    }


def test_index_admission_is_the_first_course_in_the_period() -> None:
    p = sensitive(
        "two", rai_courses=[course("2022-05-02"), course("2023-05-02"), course("2023-11-02")]
    )
    flow = eligibility([p], period=YEAR_2023, as_of=date(2024, 12, 31), params=DEFAULT_PARAMETERS)
    assert str(flow.eligible[0].index_course.date) == "2023-05-02"


def test_without_a_period_the_first_course_at_all_is_the_index() -> None:
    p = sensitive("two", rai_courses=[course("2022-05-02"), course("2023-05-02")])
    flow = eligibility([p], period=None, as_of=date(2024, 12, 31), params=DEFAULT_PARAMETERS)
    assert str(flow.eligible[0].index_course.date) == "2022-05-02"


def test_poorly_differentiated_is_eligible_when_the_rules_include_it() -> None:
    params = DEFAULT_PARAMETERS.with_(include_pdtc=True)
    flow = eligibility(
        [sensitive("pdtc", histology="poorly_differentiated")],
        period=YEAR_2023,
        as_of=date(2024, 12, 31),
        params=params,
    )
    assert len(flow.eligible) == 1
