"""Messages in the user's language: --lang, else RAIRTC_LANG, else the locale; codes, patient
ids and records stay as they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rairtc.cli.app import app
from rairtc.io.registry import write_registry
from tests.cli.runner import invoke
from tests.study.test_run import mixed


def bad_registry(tmp_path: Path) -> Path:
    path = tmp_path / "registry.json"
    write_registry(mixed(1, 1), path)
    patients = json.loads(path.read_text())
    patients[0]["rai_courses"][0]["activity_mci"] = -5
    path.write_text(json.dumps(patients), encoding="utf-8")
    return path


def test_validate_lists_problems_and_the_summary_in_russian(tmp_path: Path) -> None:
    outcome = invoke(
        "validate", str(bad_registry(tmp_path)), "--lang", "ru", "--today", "2025-01-01"
    )
    assert outcome.code == 65
    line = next(x for x in outcome.stderr.splitlines() if "activity_not_positive" in x)
    assert line.startswith(
        "ошибка: validation.activity_not_positive: пациент R000, $[0].rai_courses[0], поле activity_mci:"
    )
    assert "не больше нуля" in line
    assert "прочитано пациентов: 2; без ошибок: 1, ошибок: 1" in outcome.stderr


def test_validate_in_kazakh(tmp_path: Path) -> None:
    outcome = invoke(
        "validate", str(bad_registry(tmp_path)), "--lang", "kk", "--today", "2025-01-01"
    )
    assert "қате: validation.activity_not_positive: пациент R000" in outcome.stderr
    assert "оқылған пациенттер: 2" in outcome.stderr


def test_json_output_keeps_the_code_and_english_text_for_machines(tmp_path: Path) -> None:
    outcome = invoke(
        "validate",
        str(bad_registry(tmp_path)),
        "--lang",
        "ru",
        "--format",
        "json",
        "--today",
        "2025-01-01",
    )
    problems = json.loads(outcome.stdout)
    assert problems[0]["code"] == "validation.activity_not_positive"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"RAIRTC_LANG": "kk"}, "оқылған пациенттер"),
        (
            {"RAIRTC_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "ru_RU.UTF-8"},
            "прочитано пациентов",
        ),
        (
            {"RAIRTC_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"},
            "patient(s) read",
        ),
    ],
)
def test_the_default_language_comes_from_the_environment(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    result = CliRunner(env=env).invoke(
        app, ["validate", str(bad_registry(tmp_path)), "--today", "2025-01-01"]
    )
    assert expected in result.stderr


def test_lang_overrides_the_environment(tmp_path: Path) -> None:
    result = CliRunner(env={"RAIRTC_LANG": "kk"}).invoke(
        app, ["validate", str(bad_registry(tmp_path)), "--lang", "en", "--today", "2025-01-01"]
    )
    assert "patient(s) read" in result.stderr


def test_the_all_or_nothing_refusal_is_translated_and_names_the_flag(tmp_path: Path) -> None:
    outcome = invoke("classify", str(bad_registry(tmp_path)), "--lang", "ru")
    assert outcome.code == 65
    assert "rairtc: неверные входные данные: ошибок в registry.json: 1" in outcome.stderr
    assert "--skip-invalid" in outcome.stderr


def test_classify_table_title_and_dates_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "registry.json"
    write_registry(mixed(1, 0), path)
    outcome = invoke("classify", str(path), "--as-of", "2024-12-31", "--lang", "ru")
    assert outcome.code == 0
    assert "Радиойодрезистентность на 31.12.2024" in outcome.stdout
    assert "радиойодрезистентный" in outcome.stdout


def test_study_summary_in_kazakh(tmp_path: Path) -> None:
    path = tmp_path / "registry.json"
    write_registry(mixed(), path)
    outcome = invoke(
        "study", str(path), "--as-of", "2024-12-31", "--out", str(tmp_path / "r"), "--lang", "kk"
    )
    assert outcome.code == 0, outcome.stderr
    assert "Жазбалар 30" in outcome.stdout and "Радиойодқа төзімділік:" in outcome.stdout
