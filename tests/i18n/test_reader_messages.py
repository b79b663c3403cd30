"""What the readers say about a registry they cannot take reaches the user in Russian and
Kazakh: the errors carry stable codes, their English stays as it was, and a Russian workbook
broken the way a department breaks it is answered in Russian."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from rairtc.core.errors import InputUnavailable, InvalidInput, UsageError
from rairtc.i18n import error_text, translate
from rairtc.io.registry import input_format, load_registry, output_format
from tests.cli.runner import invoke


def russian_workbook_with_a_stray_column(path: Path) -> Path:
    """A patients sheet typed in Russian, with a column 'Комментарий' the layout lacks."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Пациенты"
    sheet.append(["ID пациента", "Пол", "Дата рождения", "Комментарий"])
    sheet.append(["KZ-1", "Ж", "01.02.1970", "повторный курс"])
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("call", "kind", "english"),
    [
        # a path that is not there (exit 66)
        (lambda tmp: input_format(tmp / "nope.xlsx"), InputUnavailable, "no such file or folder"),
        # a suffix the readers do not know (exit 2)
        (lambda tmp: input_format(Path(__file__)), UsageError, "unknown format '.py'"),
        # a folder without a registry table
        (lambda tmp: input_format(tmp), UsageError, "holds no registry tables"),
        # an output suffix no writer has
        (lambda tmp: output_format(tmp / "out.txt"), UsageError, "unknown output format '.txt'"),
    ],
)
def test_the_readers_errors_carry_a_code_and_keep_their_english(
    tmp_path: Path, call: Callable[[Path], object], kind: type[Exception], english: str
) -> None:
    with pytest.raises(kind) as caught:
        call(tmp_path)
    error = caught.value
    assert english in str(error)
    assert getattr(error, "code", "").startswith("io.")
    assert error_text(error, "en") == str(error)
    assert error_text(error, "ru") != str(error)
    assert error_text(error, "kk") not in (str(error), error_text(error, "ru"))


def test_an_unreadable_layout_is_said_in_russian(tmp_path: Path) -> None:
    path = russian_workbook_with_a_stray_column(tmp_path / "реестр.xlsx")
    with pytest.raises(InvalidInput) as caught:
        load_registry(path, today=date(2025, 1, 1))
    assert str(caught.value) == "the tables cannot be read as the registry layout"
    assert error_text(caught.value, "ru") == "таблицы не удаётся прочитать по структуре регистра"


def test_validate_of_a_broken_russian_workbook_speaks_russian(tmp_path: Path) -> None:
    path = russian_workbook_with_a_stray_column(tmp_path / "реестр.xlsx")
    outcome = invoke("validate", str(path), "--lang", "ru")
    assert outcome.code == 65
    lines = outcome.stderr.splitlines()
    assert lines[0].startswith("ошибка: validation.header_unknown: пациент ?, sheet Пациенты")
    assert "'Комментарий' (column D) не является столбцом таблицы 'patients'" in lines[0]
    assert lines[-1] == (
        "rairtc: неверные входные данные: таблицы не удаётся прочитать по структуре регистра"
    )


def test_a_missing_registry_is_said_in_kazakh(tmp_path: Path) -> None:
    outcome = invoke("validate", str(tmp_path / "жоқ.xlsx"), "--lang", "kk")
    assert outcome.code == 66
    assert outcome.stderr.strip().endswith("ашылмайды: мұндай файл немесе қалта жоқ")


def test_a_malformed_file_names_its_reason_in_the_language_when_it_is_ours(
    tmp_path: Path,
) -> None:
    path = tmp_path / "registry.json"
    path.write_text("")
    outcome = invoke("validate", str(path), "--lang", "ru")
    assert outcome.code == 65
    assert outcome.stderr.splitlines()[-1] == (
        "rairtc: неверные входные данные: не удаётся прочитать этот файл как JSON: файл пуст"
    )


def test_the_allowed_codes_are_joined_in_the_language_and_stay_codes() -> None:
    params = {"value": "X", "allowed": "'F' or 'M'"}
    assert translate("validation.field_enum", params, "ru").endswith("допустимо: 'F' или 'M'")
    assert translate("validation.field_enum", params, "kk").endswith("'F' немесе 'M'")
    assert translate("validation.field_enum", params, "en").endswith("allowed: 'F' or 'M'")
    # A value that merely contains the word is not touched.
    other = {"value": "X", "allowed": "either or neither"}
    assert translate("validation.field_enum", other, "ru").endswith("either or neither")


def test_a_yes_no_cell_typed_otherwise_is_explained_in_russian() -> None:
    from rairtc.io.cells import Tally, Unreadable, read_bool

    unreadable = read_bool("может быть", Tally())
    assert isinstance(unreadable, Unreadable)
    text = translate(unreadable.code, unreadable.params, "ru")
    assert text == (
        "'может быть' не является значением вида «да или нет (true/false, да/нет, иә/жоқ)»; "
        "введите да или нет (true/false, да/нет, иә/жоқ)"
    )


def test_a_date_option_that_is_no_date_is_a_usage_error_in_the_language(tmp_path: Path) -> None:
    # It used to escape as an internal error (exit 1).
    path = russian_workbook_with_a_stray_column(tmp_path / "реестр.xlsx")
    outcome = invoke("validate", str(path), "--today", "31.12.2024", "--lang", "ru")
    assert outcome.code == 2
    assert (
        outcome.stderr.strip() == "rairtc: '31.12.2024' не является датой; используйте ГГГГ-ММ-ДД"
    )
