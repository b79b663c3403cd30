"""Occurrences of one criterion on the same date, and which occurrence is listed (rules.md §2).

A department often reads a planar post-therapy scan and a SPECT/CT of the same day, or
compares one FDG PET/CT with two iodine studies: the criterion is then met several times on
one date. Those occurrences are one occasion, listed once, with the confirmed ones first.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.core.records import Patient
from rairtc.core.rules.classify import CRITERIA, classify
from rairtc.core.rules.occurrence import evidence_key
from rairtc.core.rules.timeline import build_timeline
from rairtc.core.source import SourcePatient
from rairtc.core.validation import validate_registry
from tests.builders import AS_OF, course, criterion, finding, patient, run, study
from tests.strategies import TODAY, crowded_patients

COUNTING_UNCONFIRMED = DEFAULT_PARAMETERS.with_(count_unconfirmed_as_met=True)


def lung(side: str | None, **extra: object) -> dict[str, object]:
    return finding("lung", "distant_metastasis", side=side, **extra)


def texts(occurrence) -> list[str]:
    return [e.text for e in occurrence.evidence]


def test_a_planar_scan_and_a_spect_ct_of_one_day_with_and_without_a_side_are_classified() -> None:
    # Defect 7: the WBS shows a lung focus without a side, the SPECT/CT the same focus on the
    # left; ordering the two occurrences compared None with "left" and crashed the registry.
    p = patient(
        rai_courses=[course("2023-01-01")],
        imaging=[
            study("2023-01-04", "post_therapy_wbs", lung(None, rai_uptake=False)),
            study("2023-01-04", "post_therapy_spect_ct", lung("left", rai_uptake=False)),
        ],
    )
    result = run(p)
    assert result.status == "refractory"
    nonavid = criterion(result, "nonavid_lesion")
    assert str(nonavid.date) == "2023-01-04"
    assert texts(nonavid) == [
        "Post-therapy SPECT/CT of 2023-01-04: left lung metastasis does not concentrate I-131.",
        "Post-therapy whole-body scan of 2023-01-04: lung metastasis does not concentrate I-131.",
    ]


def test_both_studies_of_one_day_are_listed_as_one_occurrence_with_all_their_evidence() -> None:
    # Node on the WBS, lung on the SPECT/CT of the same day: one nonavid_lesion entry naming both.
    p = patient(
        rai_courses=[course("2023-01-01")],
        imaging=[
            study("2023-01-04", "post_therapy_wbs", finding(rai_uptake=False)),
            study("2023-01-04", "post_therapy_spect_ct", lung("left", rai_uptake=False)),
        ],
    )
    result = run(p)
    assert [o.criterion.value for o in result.criteria].count("nonavid_lesion") == 1
    assert sorted(e.params["site"] for e in criterion(result, "nonavid_lesion").evidence) == [
        "cervical_lymph_node",
        "lung",
    ]


def fdg_compared_with(*iodine_studies: dict[str, object], tsh: float = 50) -> Patient:
    """FDG-avid left lung metastasis on 2023-06-01, compared with the iodine studies given."""
    return patient(
        rai_courses=[course("2023-02-01", tsh=tsh)],
        imaging=[
            *iodine_studies,
            study("2023-06-01", "fdg_pet_ct", lung("left", fdg_uptake=True)),
        ],
    )


def test_a_confirmed_mismatch_takes_precedence_over_an_unconfirmed_one_of_the_same_date() -> None:
    # Both comparisons are met on the FDG date; the post-therapy WBS followed a poorly prepared
    # withdrawal (TSH 20), the diagnostic scan needs no check. The confirmed one is listed,
    # without the other's flag or evidence.
    p = fdg_compared_with(
        study("2023-02-05", "post_therapy_wbs", finding(rai_uptake=True)),
        study("2023-04-01", "diagnostic_wbs"),
        tsh=20,
    )
    mismatch = criterion(run(p), "fdg_mismatch")
    assert (str(mismatch.date), mismatch.confirmed, mismatch.flags) == (
        "2023-06-01",
        True,
        frozenset(),
    )
    assert [e.params.get("study") for e in mismatch.evidence] == ["fdg_pet_ct", "diagnostic_wbs"]


def test_unconfirmed_same_date_occurrences_are_one_with_the_union_of_their_flags() -> None:
    # Withdrawal TSH 20: the WBS of day 1 is also too early, the SPECT/CT of day 4 is not.
    p = fdg_compared_with(
        study("2023-02-02", "post_therapy_wbs"),
        study("2023-02-05", "post_therapy_spect_ct"),
        tsh=20,
    )
    result = run(p)
    mismatch = criterion(result, "fdg_mismatch")
    assert (result.status, mismatch.confirmed) == ("possibly_refractory", False)
    assert mismatch.flags == {"tsh_inadequate", "scan_day_out_of_range"}
    assert texts(mismatch) == [
        "FDG PET/CT of 2023-06-01: left lung metastasis is FDG-avid.",
        "Post-therapy whole-body scan of 2023-02-02 (119 days before the FDG PET/CT): no I-131 "
        "uptake at the left lung.",
        "Post-therapy SPECT/CT of 2023-02-05 (116 days before the FDG PET/CT): no I-131 uptake "
        "at the left lung.",
    ]


def two_courses_first_poorly_prepared() -> Patient:
    """Non-avid node after a withdrawal with TSH 20 (unconfirmed), again after a well-prepared
    second course (confirmed)."""
    return patient(
        rai_courses=[course("2023-01-01", tsh=20), course("2023-07-01")],
        imaging=[
            study("2023-01-05", "post_therapy_wbs", finding(rai_uptake=False)),
            study("2023-07-05", "post_therapy_wbs", finding(rai_uptake=False)),
        ],
    )


def test_the_earliest_confirmed_occurrence_is_listed_by_default() -> None:
    result = run(two_courses_first_poorly_prepared())
    nonavid = criterion(result, "nonavid_lesion")
    assert (str(nonavid.date), nonavid.confirmed) == ("2023-07-05", True)
    assert str(result.onset_date) == "2023-07-05"


def test_counting_unconfirmed_lists_the_earliest_occurrence_and_says_it_was_unconfirmed() -> None:
    result = run(two_courses_first_poorly_prepared(), COUNTING_UNCONFIRMED)
    nonavid = criterion(result, "nonavid_lesion")
    assert (str(nonavid.date), nonavid.confirmed, nonavid.flags) == (
        "2023-01-05",
        False,
        {"tsh_inadequate"},
    )
    assert (result.status, str(result.onset_date)) == ("refractory", "2023-01-05")


def test_counting_unconfirmed_still_prefers_a_confirmed_occurrence_of_the_same_date() -> None:
    p = fdg_compared_with(
        study("2023-02-05", "post_therapy_wbs", finding(rai_uptake=True)),
        study("2023-04-01", "diagnostic_wbs"),
        tsh=20,
    )
    mismatch = criterion(run(p, COUNTING_UNCONFIRMED), "fdg_mismatch")
    assert (mismatch.confirmed, mismatch.flags) == (True, frozenset())


@given(crowded_patients(pid="P1"))
def test_crowded_patients_are_valid_registry_records(p: Patient) -> None:
    (result,) = validate_registry([SourcePatient(p.model_dump(mode="json"))], today=TODAY)
    assert result.ok, [x.line() for x in result.problems if x.is_error]


@given(crowded_patients(), st.booleans())
def test_the_listed_occurrence_follows_rules_md_section_2(p: Patient, counting: bool) -> None:
    params = DEFAULT_PARAMETERS.with_(count_unconfirmed_as_met=counting)
    result = classify(p, AS_OF, params)
    listed = {o.criterion: o for o in result.criteria}
    timeline = build_timeline(p, AS_OF, params)
    for code, evaluate in CRITERIA.items():
        found = evaluate(timeline, params).occurrences if code in listed else ()
        if not found:
            continue
        confirmed = [o for o in found if o.confirmed]
        day = min(o.date for o in (found if counting or not confirmed else confirmed))
        chosen = [o for o in found if o.date == day and o.confirmed] or [
            o for o in found if o.date == day
        ]
        shown = listed[code]
        assert (shown.date, shown.confirmed) == (day, chosen[0].confirmed)
        assert shown.flags == frozenset().union(*(o.flags for o in chosen))
        keys = [evidence_key(e) for e in shown.evidence]
        assert sorted(keys) == sorted({evidence_key(e) for o in chosen for e in o.evidence})
