"""Generated registries are valid, clinically consistent and reproducible."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rairtc.core.codes import POST_THERAPY_MODALITIES, Procedure
from rairtc.core.rules.staging import stage_patient
from rairtc.synth.generator import generate
from rairtc.synth.registry import synthetic_patients

THYROID = {Procedure.TOTAL_THYROIDECTOMY, Procedure.LOBECTOMY, Procedure.COMPLETION_THYROIDECTOMY}


@pytest.fixture(scope="module")
def registry():
    return synthetic_patients(3000, 17)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 400))
def test_every_generated_record_passes_validation(seed: int, n: int) -> None:
    patients = synthetic_patients(n, seed)  # validates; a single invalid record raises
    assert len(patients) == n


def test_no_course_before_the_thyroidectomy(registry) -> None:
    for p in registry:
        first_surgery = min(s.date for s in p.surgeries if s.procedure in THYROID)
        assert all(c.date > first_surgery for c in p.rai_courses), p.id


def test_every_post_therapy_scan_follows_its_course_within_14_days(registry) -> None:
    for p in registry:
        courses = sorted(c.date for c in p.rai_courses)
        for s in p.imaging:
            if s.modality in POST_THERAPY_MODALITIES:
                assert any(0 <= (s.date - c).days <= 14 for c in courses), (p.id, s.date)


def test_recorded_stage_is_the_stage_recomputed_from_age_and_tnm(registry) -> None:
    for p in registry:
        computed = stage_patient(
            p.birth_date,
            p.diagnosis_date,
            p.histology,
            p.t,
            p.n,
            p.m,
            p.extrathyroidal_extension,
            edition=8,
            age_cutoff=55,
        ).stage
        if p.histology.value != "poorly_differentiated":
            assert p.stage_recorded == computed, p.id


def test_every_date_lies_within_the_patients_life_and_the_follow_up(registry) -> None:
    end = date(2024, 12, 31)
    for p in registry:
        dates = [
            p.diagnosis_date,
            *(x.date for x in (*p.surgeries, *p.rai_courses, *p.imaging, *p.labs, *p.mdt)),
        ]
        assert all(p.birth_date < d <= end for d in dates), p.id
        assert p.last_follow_up is not None and max(dates) <= p.last_follow_up <= end


def test_distant_metastases_on_the_first_post_therapy_scan_come_with_m1(registry) -> None:
    for p in registry:
        first = min(c.date for c in p.rai_courses)
        scans = [
            s
            for s in p.imaging
            if s.modality in POST_THERAPY_MODALITIES and 0 <= (s.date - first).days <= 14
        ]
        if any(f.kind.value == "distant_metastasis" for s in scans for f in s.findings):
            assert p.m is not None and p.m.value == "M1", p.id


def test_non_refractory_histories_stay_below_600_mci(registry) -> None:
    from rairtc.core.rules.classify import classify

    for p in registry:
        result = classify(p, date(2024, 12, 31))
        if result.primary_criterion != "cumulative_activity":
            assert result.cumulative_activity_mci < 600, p.id


def test_the_same_seed_gives_the_same_registry_and_another_seed_another() -> None:
    a, b, c = generate(500, 3), generate(500, 3), generate(500, 4)
    for table in a:
        for column in a[table]:
            assert np.array_equal(a[table][column], b[table][column]), (table, column)
    assert not np.array_equal(a["rai_courses"]["date"][:50], c["rai_courses"]["date"][:50])


def test_no_label_is_stored() -> None:
    columns = generate(200, 1)
    stored = {name for table in columns.values() for name in table}
    assert not stored & {"scenario", "status", "refractory", "criterion"}


def test_index_year_moves_the_whole_history() -> None:
    patients = synthetic_patients(50, 2, index_year=2019)
    assert max(d for p in patients for d in (c.date for c in p.rai_courses)) <= date(2020, 12, 31)
    assert max(p.last_follow_up for p in patients) <= date(2020, 12, 31) + timedelta(days=0)
