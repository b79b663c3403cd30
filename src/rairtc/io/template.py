"""An Excel workbook to fill in: every sheet and column of the layout, in English, Russian or
Kazakh, that the reader accepts back unchanged.

Headers, sheet names and the words in the drop-down lists come from the alias table
(:mod:`rairtc.io.aliases`), the same table the reader uses, so a filled template always reads.
Each coded column gets a drop-down list (Excel data validation, a warning rather than a stop,
so that a code typed another accepted way is not refused by Excel); date and number columns get
their formats; two example patients show a filled row in every sheet.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.records import Patient
from rairtc.core.units import LAB_UNITS
from rairtc.io.aliases import (
    BOOLEAN_ALIASES,
    CODE_ALIASES,
    LAB_UNIT_ALIASES,
    LANGUAGES,
    TABLE_LABELS,
    column_labels,
)
from rairtc.io.cells import kind_of
from rairtc.io.layout import COLUMNS, TABLES, flatten

ROWS = 1000  # rows that carry the drop-down lists
LISTS = "lists"
DATE_FORMATS = {"en": "yyyy-mm-dd", "ru": "dd.mm.yyyy", "kk": "dd.mm.yyyy"}
NUMBER_FORMATS = {"float": "0.0##", "int": "0", "string": "@"}

INSTRUCTIONS: dict[str, tuple[str, ...]] = {
    "en": (
        "rairtc registry template",
        "One sheet per table; one row per record. Every row of another sheet names its "
        "patient in the patient ID column.",
        "Leave a cell empty when the value is unknown. Do not rename sheets or headers "
        "(English, Russian and Kazakh headers are all accepted).",
        "Dates: date cells, DD.MM.YYYY or YYYY-MM-DD (day first, never MM/DD).",
        "Numbers: a decimal point or comma (3.7 or 3,7). A lab below the assay limit: <0.2.",
        "Coded columns offer a drop-down list; codes are also read in any case, with TNM "
        "prefixes (pT1) and as the Russian or Kazakh words of docs/data-format.md.",
        "Activity: mCi in one column or GBq in the other (150 mCi, 5.55 GBq or 5550 MBq).",
        "The two example patients (KZ-0001, KZ-0002) may be deleted.",
        "Check the filled workbook with: rairtc validate FILE.xlsx",
    ),
    "ru": (
        "Шаблон регистра rairtc",
        "Один лист на таблицу, одна строка на запись. В каждой строке других листов "
        "указывается ID пациента.",
        "Если значение неизвестно, оставьте ячейку пустой. Не переименовывайте листы и "
        "заголовки (принимаются английские, русские и казахские заголовки).",
        "Даты: ячейки с датой, ДД.ММ.ГГГГ или ГГГГ-ММ-ДД (сначала день, никогда ММ/ДД).",
        "Числа: десятичная точка или запятая (3,7 или 3.7). Анализ ниже предела определения: <0,2.",
        "В кодируемых столбцах есть выпадающий список; коды читаются в любом регистре, с "
        "префиксами TNM (pT1) и русскими или казахскими словами из docs/data-format.md.",
        "Активность: мКи в одном столбце или ГБк в другом (150 мКи, 5,55 ГБк или 5550 МБк).",
        "Два примера пациентов (KZ-0001, KZ-0002) можно удалить.",
        "Проверьте заполненную книгу командой: rairtc validate ФАЙЛ.xlsx",
    ),
    "kk": (
        "rairtc тіркелім үлгісі",
        "Әр кестеге бір парақ, әр жазбаға бір жол. Басқа парақтардың әр жолында пациент "
        "ID-і көрсетіледі.",
        "Мәні белгісіз болса, ұяшықты бос қалдырыңыз. Парақтар мен тақырыптардың атын "
        "өзгертпеңіз (ағылшын, орыс және қазақ тақырыптары қабылданады).",
        "Күндер: күн ұяшықтары, КК.АА.ЖЖЖЖ немесе ЖЖЖЖ-АА-КК (алдымен күн, ешқашан АА/КК).",
        "Сандар: ондық нүкте немесе үтір (3,7 немесе 3.7). Анықтау шегінен төмен талдау: <0,2.",
        "Кодталған бағандарда ашылмалы тізім бар; кодтар кез келген регистрде, TNM "
        "префикстерімен (pT1) және docs/data-format.md ішіндегі орыс не қазақ сөздерімен "
        "оқылады.",
        "Белсенділік: бір бағанда мКи немесе екіншісінде ГБк (150 мКи, 5,55 ГБк немесе 5550 МБк).",
        "Екі мысал пациентті (KZ-0001, KZ-0002) жоюға болады.",
        "Толтырылған кітапты тексеру: rairtc validate ФАЙЛ.xlsx",
    ),
}
INSTRUCTIONS_SHEET = {"en": "Instructions", "ru": "Инструкция", "kk": "Нұсқаулық"}


def sheet_name(table: str, lang: str) -> str:
    return table if lang == "en" else TABLE_LABELS[table][lang]


def header(table: str, column: str, lang: str) -> str:
    labels = column_labels(table, column)
    return labels.get(lang, labels["en"])[0]


def _word(enum: type[StrEnum], code: str, lang: str) -> str:
    """The word the template offers for a code: the language's first alias, else the code."""
    if lang != "en":
        for (owner, member), languages in CODE_ALIASES.items():
            if owner is enum and member.value == code and lang in languages:
                return languages[lang][0]
    return code


def _yes_no(value: bool, lang: str) -> str:
    return ("true" if value else "false") if lang == "en" else BOOLEAN_ALIASES[value][lang][0]


def _unit(unit: str, lang: str) -> str:
    if lang == "en":
        return unit
    return next((typed for typed, english in LAB_UNIT_ALIASES.items() if english == unit), unit)


def choices(table: str, column: str, lang: str) -> list[str] | None:
    """The drop-down list of a coded, yes/no or unit column; None for free columns."""
    kind = kind_of(table, column)
    if kind is bool:
        return [_yes_no(True, lang), _yes_no(False, lang)]
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return [_word(kind, v.value, lang) for v in kind]
    if table == "labs" and column == "unit":
        return [_unit(u, lang) for units in LAB_UNITS.values() for u in units]
    return None


def typed(table: str, column: str, value: Any, lang: str) -> Any:
    """A value of an example row as a clinician in ``lang`` would type it."""
    if value is None or isinstance(value, date | int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return _yes_no(value, lang)
    kind = kind_of(table, column)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return _word(kind, value, lang)
    if table == "labs" and column == "unit":
        return _unit(value, lang)
    return value


def example_patients() -> list[Patient]:
    """The first two bundled example patients."""
    from rairtc.examples import example_registry_path

    data = json.loads(example_registry_path().read_text(encoding="utf-8"))
    return [Patient.model_validate(p) for p in data[:2]]


def write_template(path: FsPath, lang: str = "en") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in LANGUAGES:
        raise ValueError(f"no template language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    book = Workbook()
    notes = book.active
    notes.title = INSTRUCTIONS_SHEET[lang]
    for line in INSTRUCTIONS[lang]:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 120
    for row in notes.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True)
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    list_column = 0
    examples = flatten(example_patients())
    for table in TABLES:
        sheet = book.create_sheet(sheet_name(table, lang))
        names = [name for name, _, _ in COLUMNS[table]]
        sheet.append([header(table, name, lang) for name in names])
        for row in examples[table]:
            sheet.append([typed(table, name, row[name], lang) for name in names])
        sheet.freeze_panes = "A2"
        for i, (name, kind, _) in enumerate(COLUMNS[table], start=1):
            letter = get_column_letter(i)
            sheet.cell(1, i).font = Font(bold=True)
            dimension = sheet.column_dimensions[letter]
            dimension.width = max(12, len(str(sheet.cell(1, i).value)) + 2)
            style = DATE_FORMATS[lang] if kind == "date" else NUMBER_FORMATS.get(kind)
            words = choices(table, name, lang)
            if words is not None:
                style = "@"
            if style is not None:
                dimension.number_format = style
                for cells in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                    cells[0].number_format = style
            if words is None:
                continue
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(1, list_column).value = f"{table}.{name}"
            for j, word in enumerate(words, start=2):
                lists.cell(j, list_column).value = word
            source = f"{quote_sheetname(LISTS)}!${list_letter}$2:${list_letter}${len(words) + 1}"
            check = DataValidation(
                type="list", formula1=source, allow_blank=True, errorStyle="warning"
            )
            check.add(f"{letter}2:{letter}{ROWS}")
            sheet.add_data_validation(check)
    book.save(path)
