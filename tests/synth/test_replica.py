"""The replication: every published count from dated records, and the published discrepancies
flagged (replication.md)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from rairtc.study.published import flagged
from rairtc.synth.replica import aligned_timeline, build_replica, replica_parameters, rows_of
from rairtc.synth.replication_study import replicate
from tests.cli.runner import invoke


@pytest.fixture(scope="module")
def cohort():
    return build_replica()


@pytest.fixture(scope="module")
def results(cohort):
    return replicate(cohort)


def counts(results, variable):
    return {r["level"]: r["n"] for r in results["table1"] if r["variable"] == variable}


def test_table_1_counts_are_the_published_ones(results) -> None:
    assert results["flow"]["analysed"] == 229
    assert counts(results, "sex") == {"male": 65, "female": 164}
    assert counts(results, "histology") == {"papillary": 133, "follicular": 96, "oncocytic": 0}
    assert counts(results, "stage") == {"I": 85, "II": 89, "III": 49, "IV": 6}  # AJCC 7
    assert counts(results, "metastases") == {"yes": 66, "no": 163}
    assert counts(results, "recurrence") == {"yes": 31, "no": 198}
    assert counts(results, "course_number") == {"1": 161, "2": 33, "3": 20, "4": 8, "5": 7}
    age = {r["level"]: r["value"] for r in results["table1"] if r["variable"] == "age"}
    assert (round(age["mean"]), age["min"], age["max"]) == (49, 18, 80)


def test_refractoriness_counts_are_the_published_ones(results) -> None:
    assert results["status"] == {
        "refractory": 22,
        "possibly_refractory": 0,
        "not_refractory": 207,
        "insufficient_data": 0,
    }
    assert {c: e["primary"] for c, e in results["criteria"].items()} == {
        "fdg_mismatch": 1,
        "no_uptake": 0,
        "nonavid_lesion": 1,
        "progression_despite_uptake": 18,
        "cumulative_activity": 2,
    }


def test_progression_patients_are_12_papillary_and_6_follicular(cohort) -> None:
    params = replica_parameters()
    from rairtc.core.rules.classify import classify

    by_id = {p.id: p for p in cohort}
    rows = rows_of(cohort, params)
    histology = Counter(
        r.histology
        for r in rows
        if classify(by_id[r.patient_id], date(2024, 12, 31), params).primary_criterion
        == "progression_despite_uptake"
    )
    assert histology == {"papillary": 12, "follicular": 6}


def test_the_two_women_above_600_mci(results) -> None:
    above = [
        p for p in results["refractory_patients"] if p["primary_criterion"] == "cumulative_activity"
    ]
    assert sorted(p["patient_id"] for p in above) == ["case-600-follicular", "case-600-papillary"]
    assert all(p["cumulative_activity_mci"] >= 600 for p in above)


def test_the_published_cases_are_in_the_replica_and_classify_as_published(cohort, fixtures) -> None:
    expected = {
        e["patient_id"]: e
        for e in json.loads((fixtures / "paper-cases.expected.json").read_text())["patients"]
    }
    from rairtc.core.rules.classify import classify

    ids = {p.id for p in cohort}
    assert {"case-G", "case-I", "case-600-follicular", "case-600-papillary"} <= ids
    for p in cohort:
        if p.id in expected:
            result = classify(p, date(2024, 12, 31))
            assert (result.status, result.primary_criterion) == (
                expected[p.id]["status"],
                expected[p.id]["primary_criterion"],
            )


def test_the_flagged_figures_are_exactly_the_expected_ones(results) -> None:
    # replication.md: male 28.3, stage I 37.2, stage III 21.3, metastases 28.9 and 71.1,
    # recurrence 13.6 and 86.4, fifth course 3.0, the abstract's 9.4 % and the 81 % for progression.
    assert sorted(flagged(results)) == sorted(
        [
            "sex/male",
            "stage/I",
            "stage/III",
            "metastases/yes",
            "metastases/no",
            "recurrence/yes",
            "recurrence/no",
            "course_number/5",
            "rate/abstract and conclusion",
            "criteria/progression_despite_uptake",
        ]
    )


def test_9_and_4_5_percent_are_not_flagged(results) -> None:
    assert not results["criteria"]["cumulative_activity"]["published"]["flag"]  # 2/22 = 9.1 -> 9
    assert not results["criteria"]["nonavid_lesion"]["published"]["flag"]  # 1/22 = 4.55 -> 4.5
    assert (
        results["criteria"]["progression_despite_uptake"]["published"][
            "computed_at_published_precision"
        ]
        == 82
    )


def test_the_other_edition_is_shown_beside(results) -> None:
    other = results["staging"]["other_edition"]
    assert results["staging"]["edition"] == 7 and other["edition"] == 8
    assert sum(other["stage"].values()) == 229
    assert other["stage"]["III"] < 49  # AJCC 8 cannot give the published stage III count


def test_counts_come_from_the_records_not_from_labels(cohort) -> None:
    cleared = []
    for p in cohort:
        imaging = tuple(
            s.model_copy(
                update={
                    "progression": None,
                    "findings": tuple(f.model_copy(update={"new": None}) for f in s.findings),
                }
            )
            for s in p.imaging
        )
        cleared.append(p.model_copy(update={"imaging": imaging}))
    results = replicate(cleared)
    assert results["criteria"]["progression_despite_uptake"]["primary"] == 0
    assert results["status"]["refractory"] == 22 - 18


def test_no_two_patients_share_a_timeline(cohort) -> None:
    timelines = Counter(aligned_timeline(p) for p in cohort)
    assert max(timelines.values()) == 1


def test_the_replica_is_generated_not_written(cohort) -> None:
    generated = [p for p in cohort if p.id.startswith("REP-")]
    assert len(generated) == 229 - 6
    assert build_replica()[10].model_dump() == cohort[10].model_dump()  # reproducible


def test_rairtc_replicate_prints_both_columns_and_writes_published_values(tmp_path: Path) -> None:
    out = tmp_path / "rep"
    outcome = invoke("replicate", "--out", str(out))
    assert outcome.code == 0, outcome.stderr
    assert "65 (28.3 %)" in outcome.stdout and "65 (28.38 %)" in outcome.stdout
    results = json.loads((out / "results.json").read_text())
    male = next(r for r in results["table1"] if r["variable"] == "sex" and r["level"] == "male")
    assert (
        male["published"]["n"] == 65
        and male["published"]["percent"] == 28.3
        and male["published"]["flag"]
    )
    assert results["criteria"]["progression_despite_uptake"]["published"] == {
        "n": 18,
        "percent": 81.0,
        "flag": True,
        "computed_at_published_precision": 82.0,
    }
    assert (out / "report.pdf").exists() and (out / "replica.json").exists()


@pytest.fixture(scope="module")
def frame(cohort):
    from rairtc.synth.replica import build_frame

    return build_frame(cohort)


@pytest.fixture(scope="module")
def frame_results(frame):
    return replicate(frame)


def test_the_sample_of_229_is_drawn_from_445_eligible_records(frame, frame_results) -> None:
    flow = frame_results["flow"]
    assert (flow["records"], flow["eligible"], flow["sample_size"]) == (471, 445, 229)
    assert (flow["sampled"], flow["not_sampled"], flow["analysed"]) == (229, 216, 229)
    assert flow["excluded"]["no_course_in_period"] == 14
    assert frame_results["sampling"]["size_rule"] == "epiinfo"
    assert frame_results["sampling"]["survey"] == {
        "confidence": 97.0,
        "expected": 50.0,
        "margin": 5.0,
    }


def test_every_published_count_comes_from_the_drawn_sample(frame_results) -> None:
    test_table_1_counts_are_the_published_ones(frame_results)
    test_refractoriness_counts_are_the_published_ones(frame_results)
    test_the_flagged_figures_are_exactly_the_expected_ones(frame_results)
    assert sum(frame_results["staging"]["other_edition"]["stage"].values()) == 229


def test_the_draw_is_rairtcs_reproducible_draw_with_the_stated_seed(frame) -> None:
    from rairtc.study.eligibility import eligibility
    from rairtc.study.sampling import draw_sample
    from rairtc.synth.replica import AS_OF, PERIOD, SAMPLE_SEED

    eligible = eligibility(frame, period=PERIOD, as_of=AS_OF, params=replica_parameters())
    ids = sorted(e.patient.id for e in eligible.eligible)
    drawn = set(draw_sample(ids, 229, SAMPLE_SEED))
    assert {"case-G", "case-I", "case-600-follicular", "case-600-papillary"} <= drawn
    calibrated = {aligned_timeline(p) for p in build_replica()}
    assert {aligned_timeline(p) for p in frame if p.id in drawn} == calibrated


def test_the_replica_says_it_is_synthetic(frame_results) -> None:
    provenance = frame_results["provenance"]
    assert provenance["synthetic"] is True and provenance["seed"] == 2024
    assert provenance["calibration"]["sample_seed"] == 24
