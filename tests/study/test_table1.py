"""Table 1 on a small registry checked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.rules.classify import classify
from rairtc.study.eligibility import Period, eligibility
from rairtc.study.table1 import table1
from rairtc.study.variables import derive
from tests.builders import course, finding, study
from tests.study.cohort import refractory, sensitive

AS_OF = date(2024, 12, 31)


def rows(patients):
    period = Period(date(2023, 1, 1), date(2023, 12, 31))  # index admissions in 2023
    flow = eligibility(patients, period=period, as_of=AS_OF, params=DEFAULT_PARAMETERS)
    return [derive(e, classify(e.patient, AS_OF), DEFAULT_PARAMETERS) for e in flow.eligible]


def hand_checked():
    return [
        # age 47 at 2023-03-06, stage I (age < 55), no metastases, first course
        sensitive("a", birth="1975-05-05"),
        # age 53, N1b -> metastases yes; refractory
        refractory("b", birth="1970-01-01"),
        # man aged 60 at admission, T4a N0 M0 -> stage III; third course; recurrence excised before
        sensitive(
            "c",
            sex="M",
            birth="1962-06-01",
            diagnosis_date="2020-01-10",
            t="T4a",
            surgeries=[
                {"date": "2020-01-10", "procedure": "total_thyroidectomy"},
                {"date": "2022-08-01", "procedure": "recurrence_excision"},
            ],
            rai_courses=[course("2020-03-02"), course("2021-03-01"), course("2023-03-06")],
        ),
        # follicular, T unknown at age 66 -> stage missing; distant metastasis on the index scan
        sensitive(
            "d",
            birth="1956-09-09",
            histology="follicular",
            t=None,
            imaging=[
                study(
                    "2023-03-09",
                    "post_therapy_wbs",
                    finding("lung", "distant_metastasis", rai_uptake=True),
                )
            ],
        ),
    ]


def by_key(table):
    return {(r["variable"], r["level"]): r for r in table}


def test_counts_and_exact_percentages() -> None:
    t = by_key(table1(rows(hand_checked())))
    assert (t[("sex", "female")]["n"], t[("sex", "male")]["n"]) == (3, 1)
    assert t[("sex", "female")]["percent"] == 75.0
    assert t[("histology", "follicular")]["n"] == 1 and t[("histology", "oncocytic")]["n"] == 0
    assert [t[("stage", s)]["n"] for s in ("I", "II", "III", "IV", "missing")] == [2, 0, 1, 0, 1]
    assert (t[("metastases", "yes")]["n"], t[("metastases", "no")]["n"]) == (2, 2)
    assert (t[("recurrence", "yes")]["n"], t[("recurrence", "no")]["n"]) == (1, 3)
    assert [t[("course_number", n)]["n"] for n in ("1", "2", "3")] == [3, 0, 1]
    assert t[("course_number", "3")]["percent"] == 25.0


def test_age_summary() -> None:
    t = by_key(table1(rows(hand_checked())))
    ages = [47, 53, 60, 66]
    assert t[("age", "mean")]["value"] == pytest.approx(56.5)
    assert t[("age", "sd")]["value"] == pytest.approx(
        8.266, abs=1e-3
    )  # sample SD of 47, 53, 60, 66
    assert t[("age", "median")]["value"] == 56.5
    assert (t[("age", "min")]["value"], t[("age", "max")]["value"]) == (min(ages), max(ages))
    assert (t[("age", "q1")]["value"], t[("age", "q3")]["value"]) == (51.5, 61.5)


def test_missing_level_appears_only_when_a_value_is_missing() -> None:
    t = by_key(table1(rows(hand_checked()[:3])))
    assert ("stage", "missing") not in t
    assert ("sex", "missing") not in t


def test_cumulative_activity_counts_courses_up_to_the_index() -> None:
    derived = {r.patient_id: r for r in rows(hand_checked())}
    assert derived["c"].cumulative_activity_mci == 300.0
    assert derived["c"].course_number == 3


def test_n1_recorded_without_its_subcategory_counts_as_metastases() -> None:
    # An AJCC 7 pathology report that says only "N1": nodal metastases all the same.
    derived = {r.patient_id: r for r in rows([sensitive("n1", n="N1"), sensitive("n0", n="N0")])}
    assert (derived["n1"].metastases, derived["n0"].metastases) == ("yes", "no")
