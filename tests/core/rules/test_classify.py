"""Patient status, onset, primary criterion, follow-up, and invariants of the reference engine
(rules.md §4)."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.records import Patient
from rairtc.core.rules.classify import classify
from rairtc.core.rules.terms import PRIORITY
from tests.builders import AS_OF, course, finding, patient, run, study
from tests.strategies import any_patients


def test_golden_evidence_of_the_published_cases(fixtures) -> None:
    """Evidence sentences reviewed once by reading them as a physician would; kept as a snapshot."""
    snapshot = json.loads((fixtures / "paper-cases.evidence.json").read_text())
    cases = [
        Patient.model_validate(c) for c in json.loads((fixtures / "paper-cases.json").read_text())
    ]
    got = {
        p.id: {o.criterion.value: [e.text for e in o.evidence] for o in run(p).criteria}
        for p in cases
    }
    assert got == snapshot


def test_medullary_carcinoma_is_not_evaluated() -> None:
    p = patient(
        histology="medullary",
        rai_courses=[course("2023-01-01")],
        imaging=[study("2023-01-04", "post_therapy_wbs", finding(rai_uptake=False))],
    )
    result = run(p)
    assert result.status == "insufficient_data"
    assert result.criteria == ()
    assert {r for _, r in result.not_evaluable} == {"histology_not_differentiated"}
    assert len(result.not_evaluable) == 5


def test_poorly_differentiated_carcinoma_is_evaluated_only_when_included() -> None:
    p = patient(
        histology="poorly_differentiated",
        rai_courses=[course("2023-01-01")],
        imaging=[study("2023-01-04", "post_therapy_wbs", finding(rai_uptake=False))],
    )
    assert run(p).status == "insufficient_data"
    assert run(p, DEFAULT_PARAMETERS.with_(include_pdtc=True)).status == "refractory"


def test_patient_with_a_clean_post_therapy_scan_is_not_refractory() -> None:
    p = patient(
        rai_courses=[course("2023-01-01")],
        imaging=[
            study(
                "2023-01-04", "post_therapy_wbs", finding("thyroid_bed", "remnant", rai_uptake=True)
            )
        ],
    )
    result = run(p)
    assert (result.status, result.rair, result.onset_date, result.primary_criterion) == (
        "not_refractory",
        False,
        None,
        None,
    )


def test_primary_criterion_follows_the_priority_order_not_the_date() -> None:
    p = patient(
        rai_courses=[course("2023-01-01")],
        imaging=[
            study("2023-01-04", "post_therapy_spect_ct", finding(rai_uptake=False)),
            study("2023-09-01", "fdg_pet_ct", finding(fdg_uptake=True)),
        ],
    )
    result = run(p)
    assert str(result.onset_date) == "2023-01-04"
    assert result.primary_criterion == "fdg_mismatch"
    assert [o.criterion.value for o in result.criteria] == [
        "no_uptake",
        "nonavid_lesion",
        "fdg_mismatch",
    ]


def test_follow_up_counts_whole_months_to_the_latest_record() -> None:
    p = patient(
        rai_courses=[course("2023-01-31")],
        imaging=[study("2023-02-03", "post_therapy_wbs")],
        labs=[{"date": "2023-02-28", "test": "tsh", "value": 1, "unit": "mIU/L"}],
        last_follow_up="2024-02-29",
    )
    # 31 January 2023 + 13 months is 29 February 2024 (clamped to the month's end)
    assert run(p).follow_up_months == 13
    assert run(p.model_copy(update={"last_follow_up": date(2024, 2, 28)})).follow_up_months == 12
    assert run(p.model_copy(update={"last_follow_up": date(2024, 2, 27)})).follow_up_months == 12
    assert run(p.model_copy(update={"last_follow_up": date(2024, 1, 30)})).follow_up_months == 11


def test_follow_up_ignores_records_after_as_of() -> None:
    p = patient(rai_courses=[course("2023-01-15")], last_follow_up="2026-01-01")
    assert run(p).follow_up_months == 0
    assert run(p, as_of=date(2026, 6, 1)).follow_up_months == 35


# --- invariants ----------------------------------------------------------------------------


def shuffled(p: Patient, seed: int) -> Patient:
    rng = random.Random(seed)
    changes = {}
    for key in ("surgeries", "rai_courses", "imaging", "labs", "mdt"):
        items = list(getattr(p, key))
        rng.shuffle(items)
        changes[key] = tuple(items)
    return p.model_copy(update=changes)


@given(any_patients(), st.integers(0, 1000))
def test_record_order_never_changes_the_result(p: Patient, seed: int) -> None:
    assert classify(shuffled(p, seed), AS_OF).as_dict() == classify(p, AS_OF).as_dict()


@given(any_patients(), st.integers(0, 3000))
def test_records_dated_after_as_of_never_change_the_result(p: Patient, days: int) -> None:
    as_of = date(2019, 1, 1) + timedelta(days=days)
    cut = {
        key: tuple(r for r in getattr(p, key) if r.date <= as_of)
        for key in ("surgeries", "rai_courses", "imaging", "labs", "mdt")
    }
    trimmed = p.model_copy(
        update={
            **cut,
            "last_follow_up": None
            if p.last_follow_up and p.last_follow_up > as_of
            else p.last_follow_up,
        }
    )
    assert classify(trimmed, as_of).as_dict() == classify(p, as_of).as_dict()


@given(any_patients(), st.booleans())
def test_refractory_if_and_only_if_a_confirmed_criterion(
    p: Patient, count_unconfirmed: bool
) -> None:
    params = DEFAULT_PARAMETERS.with_(count_unconfirmed_as_met=count_unconfirmed)
    result = classify(p, AS_OF, params)
    effective = [o for o in result.criteria if o.confirmed or count_unconfirmed]
    assert result.rair == bool(effective)
    assert result.onset_date == (min(o.date for o in effective) if effective else None)
    if effective:
        assert (
            result.primary_criterion
            == min(effective, key=lambda o: PRIORITY[o.criterion]).criterion
        )
    if result.criteria and not effective:
        assert result.status == "possibly_refractory"


@given(any_patients())
def test_a_met_criterion_is_never_listed_as_not_evaluable(p: Patient) -> None:
    result = classify(p, AS_OF)
    met = {o.criterion for o in result.criteria}
    assert not met & {c for c, _ in result.not_evaluable}
    assert len({o.criterion for o in result.criteria}) == len(result.criteria)


@given(any_patients())
def test_criteria_are_sorted_by_date_then_priority(p: Patient) -> None:
    result = classify(p, AS_OF)
    keys = [(o.date, PRIORITY[o.criterion]) for o in result.criteria]
    assert keys == sorted(keys)
    assert all(d["flags"] == sorted(d["flags"]) for d in result.as_dict()["criteria"])


def test_follow_up_counts_a_post_therapy_study_outside_the_window_of_any_course() -> None:
    # A post-therapy WBS 40 days after the course belongs to no course and is ignored by the
    # criteria, but it is still a dated record of follow-up (rules.md §1 and §4).
    p = patient(
        rai_courses=[course("2023-01-10")],
        imaging=[study("2023-01-13", "post_therapy_wbs"), study("2023-06-20", "post_therapy_wbs")],
    )
    result = run(p)
    assert [w.code for w in result.warnings] == ["warning.post_therapy_study_ignored"]
    assert result.follow_up_months == 5


def test_medullary_and_anaplastic_carcinoma_get_no_stage_and_say_why() -> None:
    for histology in ("medullary", "anaplastic"):
        result = run(patient(histology=histology))
        assert (result.stage.stage, result.stage.reason) == (None, "histology_not_applicable")
        assert result.as_dict()["stage_reason"] == "histology_not_applicable"
