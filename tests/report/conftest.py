"""One study per language, built once for the report tests (the PDF takes a second or two)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rairtc.core.parameters import DEFAULT_PARAMETERS
from rairtc.report.build import write_report
from rairtc.study.eligibility import Period
from rairtc.study.run import StudyOptions, run_study
from tests.builders import course, finding, study
from tests.study.cohort import refractory, sensitive


def cohort():
    patients = [
        refractory(f"R{i:02d}", sex="MF"[i % 2], birth=f"19{50 + i}-02-03") for i in range(5)
    ]
    patients += [
        sensitive(
            f"S{i:02d}",
            sex="FM"[i % 3 == 0],
            birth=f"19{45 + i}-04-05",
            histology="follicular" if i % 4 == 0 else "papillary",
        )
        for i in range(25)
    ]
    patients.append(
        refractory(
            "FF",
            birth="1990-01-01",
            rai_courses=[course("2023-02-06")],
            imaging=[
                study("2023-02-09", "post_therapy_spect_ct", finding(rai_uptake=False)),
                study("2023-08-01", "fdg_pet_ct", finding(fdg_uptake=True)),
            ],
        )
    )
    return patients


@pytest.fixture(scope="session")
def results() -> dict:
    options = StudyOptions(
        as_of=date(2024, 12, 31),
        params=DEFAULT_PARAMETERS,
        period=Period(date(2023, 1, 1), date(2023, 12, 31)),
        sample_size=25,
        seed=4,
    )
    return json.loads(json.dumps(run_study(cohort(), options, input_sha256="0" * 64)))


@pytest.fixture(scope="session")
def reports(results: dict, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for lang in ("en", "ru", "kk"):
        folder = tmp_path_factory.mktemp(f"report-{lang}")
        write_report(results, folder, lang)
        out[lang] = folder
    return out
