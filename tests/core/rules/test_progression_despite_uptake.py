"""Criterion 4: structural progression despite uptake (rules.md §3.4)."""

from __future__ import annotations

import pytest

from rairtc.core.parameters import preset
from tests.builders import course, criterion, finding, patient, run, study

AVID_LUNG = finding("lung", "distant_metastasis", side="left", rai_uptake=True)


def progressing(progression_day: str, modality: str = "ct", **study_kw):
    return patient(
        rai_courses=[course("2023-01-15")],
        imaging=[
            study("2023-01-18", "post_therapy_wbs", AVID_LUNG),
            study(progression_day, modality, **study_kw),
        ],
    )


def test_new_lesion_after_avid_disease_is_progression_despite_uptake() -> None:
    p = patient(
        rai_courses=[course("2023-01-15")],
        imaging=[
            study("2023-01-18", "post_therapy_wbs", AVID_LUNG),
            study("2023-12-01", "ct", finding("bone", "distant_metastasis", side=None, new=True)),
        ],
    )
    result = run(p)
    hit = criterion(result, "progression_despite_uptake")
    assert (str(hit.date), hit.confirmed, sorted(hit.flags)) == ("2023-12-01", True, [])
    assert "new bone metastasis" in hit.evidence[-1].text


def test_reader_reported_progression_counts() -> None:
    assert criterion(run(progressing("2023-12-01", progression=True)), "progression_despite_uptake")


@pytest.mark.parametrize(
    ("day", "met"),
    [
        ("2024-05-15", True),  # exactly 16 months after the course
        ("2024-05-16", False),  # one day more
    ],
)
def test_progression_window_ends_16_months_after_the_course(day, met) -> None:
    assert (
        criterion(run(progressing(day, progression=True)), "progression_despite_uptake") is not None
    ) is met


@pytest.mark.parametrize(
    ("day", "met"),
    [
        ("2024-01-14", False),  # one day before 12 months
        ("2024-01-15", True),  # exactly 12 months
        ("2024-05-15", True),  # exactly 16 months
    ],
)
def test_literal_preset_counts_only_12_to_16_months(day, met) -> None:
    result = run(progressing(day, progression=True), preset("literal_12_16"))
    assert (criterion(result, "progression_despite_uptake") is not None) is met


def test_progression_without_prior_avid_disease_does_not_count() -> None:
    p = patient(
        rai_courses=[course("2023-01-15")],
        imaging=[
            study(
                "2023-01-18", "post_therapy_wbs", finding("thyroid_bed", "remnant", rai_uptake=True)
            ),
            study("2023-12-01", "ct", progression=True),
        ],
    )
    assert criterion(run(p), "progression_despite_uptake") is None


def test_progression_on_the_same_day_as_the_post_therapy_study_does_not_count() -> None:
    p = patient(
        rai_courses=[course("2023-01-15")],
        imaging=[
            study("2023-01-18", "post_therapy_wbs", AVID_LUNG),
            study("2023-01-18", "ct", progression=True),
        ],
    )
    assert criterion(run(p), "progression_despite_uptake") is None


def test_new_finding_that_is_not_disease_is_no_progression() -> None:
    p = patient(
        rai_courses=[course("2023-01-15")],
        imaging=[
            study("2023-01-18", "post_therapy_wbs", AVID_LUNG),
            study("2023-12-01", "ct", finding("lung", "indeterminate", new=True)),
        ],
    )
    assert criterion(run(p), "progression_despite_uptake") is None


def test_published_progression_case_meets_the_literal_window_at_12_months_and_9_days(
    fixtures,
) -> None:
    import json

    from rairtc.core.records import Patient
    from tests.builders import AS_OF

    cases = {c["id"]: c for c in json.loads((fixtures / "paper-cases.json").read_text())}
    p = Patient.model_validate(cases["case-progression"])
    result = run(p, preset("literal_12_16"), AS_OF)
    assert result.primary_criterion == "progression_despite_uptake"
