"""``rairtc explain``: the published flip-flop case (patient G.) as a physician pastes it into
the MDT note, in three languages and three formats."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rairtc.core.records import Patient
from rairtc.explain import explain, explanation
from rairtc.io.registry import load_registry
from tests.cli.runner import invoke

CASES = Path(__file__).parents[1] / "fixtures" / "paper-cases.json"


def patient(pid: str) -> Patient:
    loaded = load_registry(CASES, today=date(2025, 1, 1))
    return next(p for p in loaded.patients if p.id == pid)


def test_the_timeline_lists_every_dated_record_in_order_with_cumulative_activity() -> None:
    text = explain(patient("case-G"), date(2024, 12, 31))
    timeline = text.split("TIMELINE\n")[1].split("\n\n")[0].splitlines()
    days = [line.split()[0] for line in timeline]
    assert days == sorted(days)
    assert "2021-12-20  I-131 course 2: 124 mCi (4.59 GBq); cumulative 205 mCi (7.59 GBq)" in text
    assert "cumulative 355 mCi (13.14 GBq)" in text
    assert "2022-12-07  FDG PET/CT: right thyroid bed local recurrence (FDG-avid)" in text
    assert "2023-03-13  Tg 260 ng/mL (stimulated); TgAb 12 IU/mL" in text
    assert "2023-03-17  MDT: molecular testing, systemic multikinase inhibitor" in text
    assert "Post-therapy SPECT/CT (after course 2): right cervical lymph node metastasis " in text


def test_the_verdict_gives_each_criterion_with_its_date_and_evidence_sentence() -> None:
    text = explain(patient("case-G"), date(2024, 12, 31))
    assert "- Status: refractory" in text
    assert "- Refractory since 2021-12-23; primary criterion: I-131 / FDG mismatch" in text
    assert "- non-avid lesion: 2021-12-23, confirmed (TSH at the course is not recorded)" in text
    assert (
        "    Post-therapy SPECT/CT of 2021-12-23: right cervical lymph node metastasis does not "
        "concentrate I-131." in text
    )
    assert (
        "- absence or loss of I-131 uptake: the first I-131 course has no post-therapy study"
        in text
    )
    assert "- Stage (AJCC 8): I" in text
    assert "- ATA risk of recurrence: intermediate" in text
    assert "- Response to therapy (ATA): not assessed; no imaging in the response window" in text


def test_as_of_shows_only_what_the_mdt_knew_that_day() -> None:
    text = explain(patient("case-G"), date(2022, 6, 30))
    assert "FDG PET/CT" not in text.split("VERDICT")[0]
    assert "2023-" not in text
    assert "I-131 / FDG mismatch: 2022" not in text


def test_russian_uses_dd_mm_yyyy_decimal_commas_and_the_seed_register() -> None:
    text = explain(patient("case-G"), date(2024, 12, 31), lang="ru")
    assert text.startswith("Пациент case-G на 31.12.2024")
    assert "20.12.2021  Курс I-131 № 2: 124 мКи (4,59 ГБк); суммарно 205 мКи (7,59 ГБк)" in text
    assert "Статус: радиойодрезистентный" in text
    assert "Посттерапевтическая ОФЭКТ/КТ от 23.12.2021" in text
    assert "ПЭТ-КТ" in text
    assert "2021-12-23" not in text


@pytest.mark.xfail(
    strict=True,
    reason="issue 13 (language, item 14): Kazakh 'status' is «Күйі», not «Мәртебе»; "
    "superseded by test_kazakh_status_is_kuyi",
)
def test_kazakh() -> None:
    text = explain(patient("case-G"), date(2024, 12, 31), lang="kk")
    assert text.startswith("31.12.2024 күнгі case-G пациенті")
    assert "Мәртебе: радиойодқа төзімді" in text
    assert "Радиойодқа төзімділік 23.12.2021 бастап" in text


def test_kazakh_status_is_kuyi() -> None:
    text = explain(patient("case-G"), date(2024, 12, 31), lang="kk")
    assert text.startswith("31.12.2024 күнгі case-G пациенті")
    assert "Күйі: радиойодқа төзімді" in text
    assert "Мәртебе" not in text
    assert "Радиойодқа төзімділік 23.12.2021 бастап" in text


def test_markdown_has_headings_and_nested_evidence() -> None:
    text = explain(patient("case-G"), date(2024, 12, 31), fmt="markdown")
    assert text.startswith("# Patient case-G as of 2024-12-31\n")
    assert "\n## Criteria met\n" in text
    assert "\n  - Post-therapy SPECT/CT of 2021-12-23: right cervical" in text


def test_html_is_an_escaped_fragment() -> None:
    text = explain(patient("case-G"), date(2024, 12, 31), fmt="html")
    assert text.startswith('<article class="rairtc-explain">')
    assert "<h2>Criteria met</h2>" in text
    assert "<li>I-131 / FDG mismatch: 2022-12-07, confirmed" in text


def test_the_explanation_is_plain_data_for_the_web_app() -> None:
    explained = explanation(patient("case-I"), date(2024, 12, 31), lang="ru")
    assert explained.timeline[0][0] == "17.08.2022"
    assert [s.heading for s in explained.sections][:2] == ["Заключение", "Выполненные критерии"]


def test_the_command_prints_the_explanation() -> None:
    outcome = invoke(
        "explain", str(CASES), "case-G", "--as-of", "2024-12-31", "--format", "markdown"
    )
    assert outcome.code == 0, outcome.stderr
    assert outcome.stdout == explain(patient("case-G"), date(2024, 12, 31), fmt="markdown")


def test_the_command_in_kazakh() -> None:
    outcome = invoke("explain", str(CASES), "case-I", "--as-of", "2024-12-31", "--lang", "kk")
    assert outcome.code == 0 and "күнгі case-I пациенті" in outcome.stdout


def test_an_unknown_patient_is_a_usage_error() -> None:
    outcome = invoke("explain", str(CASES), "case-g", "--as-of", "2024-12-31")
    assert outcome.code == 2
    assert "patient 'case-g' is not in paper-cases.json" in outcome.stderr


def test_an_unknown_format_is_a_usage_error() -> None:
    outcome = invoke("explain", str(CASES), "case-G", "--format", "pdf")
    assert outcome.code == 2


def test_an_invalid_patient_lists_its_problems(tmp_path: Path) -> None:
    cases = json.loads(CASES.read_text())
    cases[0]["rai_courses"][0]["activity_mci"] = -1
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    outcome = invoke("explain", str(path), cases[0]["id"], "--as-of", "2024-12-31")
    assert outcome.code == 65
    assert "validation.activity_not_positive" in outcome.stderr


def test_another_patients_error_does_not_stop_the_explanation(tmp_path: Path) -> None:
    cases = json.loads(CASES.read_text())
    cases[1]["sex"] = "X"
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    outcome = invoke("explain", str(path), "case-G", "--as-of", "2024-12-31")
    assert outcome.code == 0 and "Status: refractory" in outcome.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_published_case_renders_in_every_language_and_format(lang: str, fmt: str) -> None:
    loaded = load_registry(CASES, today=date(2025, 1, 1))
    for p in loaded.patients:
        text = explain(p, date(2024, 12, 31), lang=lang, fmt=fmt)
        assert p.id in text and "{" not in text
