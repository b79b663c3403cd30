"""tables.xlsx in the report's language (issue 13, item 8): a Russian or Kazakh workbook names
its sheets, statuses, criteria, stages, sexes, histologies, tests, methods, flags and yes/no in
its language, shows dates as real dates in DD.MM.YYYY, and still holds every number of
results.json. The English workbook keeps the code names scripts address."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from rairtc.report.excel import (
    FORBIDDEN_IN_SHEET_NAMES,
    SHEET_NAME_LIMIT,
    SHEET_NAMES,
    sheet_names,
    sheet_title,
)
from rairtc.report.figures import CRITERIA, CRITERION_NAMES, EXCLUSION_NAMES, STATUS_NAMES
from rairtc.report.html import (
    FLAG_NAMES,
    LEVEL_NAMES,
    METHOD_NAMES,
    TEST_NAMES,
    VARIABLE_NAMES,
    level_label,
)
from rairtc.report.i18n import Language
from rairtc.report.pseudonyms import display_id
from rairtc.report.sections import ANALYSIS_NAMES, BY_GROUP_COLUMNS, GROUP_NAMES, PRESET_NAMES

TRANSLATED = ["ru", "kk"]
NAME_TABLES = (
    STATUS_NAMES,
    CRITERION_NAMES,
    EXCLUSION_NAMES,
    VARIABLE_NAMES,
    LEVEL_NAMES,
    TEST_NAMES,
    METHOD_NAMES,
    FLAG_NAMES,
    GROUP_NAMES,
    PRESET_NAMES,
    ANALYSIS_NAMES,
)


def same(got: Any, expected: Any) -> bool:
    """Equal, numbers to the 16 significant digits openpyxl writes (Excel itself keeps 15)."""
    if isinstance(expected, (list, tuple)):
        return len(got) == len(expected) and all(map(same, got, expected))
    if isinstance(expected, float):
        return isinstance(got, (int, float)) and float(f"{expected:.16g}") == got
    return bool(got == expected)


def valid(names: list[str]) -> bool:
    return all(
        0 < len(name) <= SHEET_NAME_LIMIT and not set(name) & set(FORBIDDEN_IN_SHEET_NAMES)
        for name in names
    ) and len({name.casefold() for name in names}) == len(names)


def sheet(book: Any, lang: str, code: str) -> Any:
    return book[sheet_names(Language(lang))[code]]


def rows(book: Any, lang: str, code: str) -> list[tuple[Any, ...]]:
    return list(sheet(book, lang, code).iter_rows(values_only=True))


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_sheet_name_is_one_excel_accepts(lang: str) -> None:
    assert valid(list(sheet_names(Language(lang)).values()))


def test_the_english_workbook_keeps_the_code_names(reports) -> None:
    assert load_workbook(reports["en"] / "tables.xlsx").sheetnames == list(SHEET_NAMES)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_russian_or_kazakh_workbook_names_every_sheet_in_its_language(reports, lang) -> None:
    names = load_workbook(reports[lang] / "tables.xlsx").sheetnames
    assert names == list(sheet_names(Language(lang)).values())
    for code, name in zip(SHEET_NAMES, names, strict=True):
        assert name != code and name != SHEET_NAMES[code]
        assert any("а" <= ch.lower() <= "я" or ch in "әғқңөұүһі" for ch in name), name


@given(st.lists(st.text(max_size=60), max_size=12))
def test_any_text_becomes_a_valid_and_unique_sheet_name(texts: list[str]) -> None:
    taken: list[str] = []
    for text in texts:
        taken.append(sheet_title(text, set(taken)))
    assert valid(taken)


def test_sheet_titles_replace_forbidden_characters_and_keep_names_apart() -> None:
    assert sheet_title("Доля [95 %]: Уилсон/Клоппер", set()) == "Доля -95 %-- Уилсон-Клоппер"
    assert sheet_title("Критерии", {"критерии"}) == "Критерии (2)"
    long = "Время до развития радиойодрезистентности"
    assert sheet_title(long, set()) == long[:31].rstrip()
    assert sheet_title(long, {long[:31].rstrip()}).endswith(" (2)")


def english_and_codes() -> set[str]:
    """Every English label of a code and every raw code a translated workbook must not show."""
    out = {"True", "False", "TRUE", "FALSE"}
    for table in NAME_TABLES:
        out |= set(table) | set(table.values())
    return out


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_code_is_left_in_english_or_as_a_raw_code(reports, lang) -> None:
    book = load_workbook(reports[lang] / "tables.xlsx")
    forbidden = english_and_codes()
    names = sheet_names(Language(lang))
    left = []
    for code, name in names.items():
        for r, row in enumerate(book[name].iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if code == "parameters" and c == 0 and r > 0:
                    continue  # parameter names are what a TOML file says
                if not isinstance(value, str):
                    continue
                parts = {value, *value.split(": "), *value.split("; ")}
                left += [(name, r, c, value) for part in parts if part in forbidden]
    assert left == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_statuses_and_criteria_are_translated_and_counted_as_in_results(
    reports, results, lang
) -> None:
    book = load_workbook(reports[lang] / "tables.xlsx")
    g = Language(lang).gettext
    status = rows(book, lang, "status")
    assert status[1:] == [(g(STATUS_NAMES[k]), v) for k, v in results["status"].items()]
    criteria = rows(book, lang, "criteria")
    assert criteria[1:] == [
        (g(CRITERION_NAMES[c]), results["criteria"][c]["any"], results["criteria"][c]["primary"])
        for c in CRITERIA
    ]
    flow = dict(rows(book, lang, "flow")[1:])
    for code, count in results["flow"]["excluded"].items():
        assert flow[g(EXCLUSION_NAMES[code])] == count


def test_the_kazakh_status_sheet_speaks_kazakh(reports) -> None:
    """What the superseded test checked, with the sheet's Kazakh name."""
    book = load_workbook(reports["kk"] / "tables.xlsx")
    assert book["Күйі"]["A2"].value == "Радиойодқа төзімді"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_table_1_keeps_every_number_under_translated_variables_and_levels(
    reports, results, lang
) -> None:
    book = load_workbook(reports[lang] / "tables.xlsx")
    lang_ = Language(lang)
    table1 = rows(book, lang, "table1")
    header, body = table1[0], table1[1:]
    by_group = {(r["variable"], r["level"]): r for r in results["table1_by_group"]}
    assert len(body) == len(results["table1"])
    for got, row in zip(body, results["table1"], strict=True):
        assert got[0] == lang_.gettext(VARIABLE_NAMES[row["variable"]])
        assert got[1] == level_label(row["variable"], row["level"], lang_)
        assert same(got[2:5], (row.get("n"), row.get("percent"), row.get("value")))
        grouped = by_group[(row["variable"], row["level"])]
        for k, column in enumerate(BY_GROUP_COLUMNS):
            name = lang_.gettext(GROUP_NAMES[column])
            assert header[5 + 3 * k] == f"{name}: n"
            cell = grouped[column]
            assert same(
                got[5 + 3 * k : 8 + 3 * k], (cell.get("n"), cell.get("percent"), cell.get("value"))
            )
        assert same(got[-2], grouped["p_value"])
        assert got[-1] == (lang_.gettext(TEST_NAMES[grouped["test"]]) if grouped["test"] else None)
    levels = {r[1] for r in body}
    expected = {"ru": {"Женский", "Мужской", "Папиллярный"}, "kk": {"Әйел", "Ер", "Папиллярлы"}}
    assert expected[lang] <= levels


def test_the_russian_workbook_has_formats_widths_frozen_headers_and_by_group_columns(
    reports, results
) -> None:
    """What the superseded test checked, with the sheets' Russian names."""
    book = load_workbook(reports["ru"] / "tables.xlsx")
    table1 = book["Таблица 1"]
    assert table1.freeze_panes == "A2" and book["Время до события"].freeze_panes == "A2"
    assert table1.column_dimensions["A"].width > 10
    header = [c.value for c in table1[1]]
    female = next(r for r in table1.iter_rows(min_row=2) if r[1].value == "Женский")
    grouped = next(
        g for g in results["table1_by_group"] if g["variable"] == "sex" and g["level"] == "female"
    )
    assert female[header.index("Радиойодрезистентные: n")].value == grouped["refractory"]["n"]
    percent = female[header.index("Радиойодрезистентные: %")]
    assert percent.value == grouped["refractory"]["percent"] and percent.number_format == "0.0"
    p = female[header.index("p")]
    assert p.value == grouped["p_value"] and p.number_format == "0.000"
    listing = list(book["Радиойодрезистентные пациенты"].iter_rows(min_row=2))
    assert listing[0][2].number_format == "dd.mm.yyyy"
    tests = {r[1].value for r in book["Сравнение групп"].iter_rows(min_row=2)} - {None}
    assert tests and all(not t.isascii() for t in tests)


def as_day(value: Any) -> date | None:
    assert value is None or isinstance(value, datetime), value
    return None if value is None else value.date()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_patient_dates_are_real_dates_shown_day_first(reports, results, lang) -> None:
    book = load_workbook(reports[lang] / "tables.xlsx")
    lang_ = Language(lang)
    g = lang_.gettext
    listing = list(sheet(book, lang, "refractory_patients").iter_rows(min_row=2))
    expected = [(p, c) for p in results["refractory_patients"] for c in p["criteria"]]
    assert len(listing) == len(expected) > 0
    for cells, (patient, criterion) in zip(listing, expected, strict=True):
        values = [cell.value for cell in cells]
        assert values[0] == display_id(results, patient["patient_id"])
        assert values[1] == g(CRITERION_NAMES[patient["primary_criterion"]])
        assert as_day(values[2]) == date.fromisoformat(patient["onset_date"])
        assert values[3] == g(CRITERION_NAMES[criterion["code"]])
        assert as_day(values[4]) == date.fromisoformat(criterion["date"])
        assert cells[2].number_format == cells[4].number_format == "dd.mm.yyyy"
        assert values[5] == g("Yes" if criterion["confirmed"] else "No")
        assert values[7] == level_label("stage", patient["stage"], lang_)
        flags = "; ".join(g(FLAG_NAMES[f]) for f in criterion["flags"])
        assert values[8] == (flags or None)
    parameters = dict(rows(book, lang, "parameters")[1:])
    as_of = next(c for c in sheet(book, lang, "parameters")["B"] if isinstance(c.value, datetime))
    assert as_of.value.date() == date.fromisoformat(results["as_of"])
    assert as_of.number_format == "dd.mm.yyyy"
    assert parameters["include_pdtc"] == g("No")
    assert parameters["tsh_threshold_miu_l"] == results["parameters"]["tsh_threshold_miu_l"]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_rates_comparisons_and_survival_hold_the_results_numbers(reports, results, lang) -> None:
    book = load_workbook(reports[lang] / "tables.xlsx")
    g = Language(lang).gettext
    rate = {r[0]: r for r in rows(book, lang, "refractory_rate") if r and r[0]}
    assert same(rate[g("Proportion")][1], results["rair"]["proportion"])
    assert same(rate[g("Wilson")][2:4], results["rair"]["ci_wilson"])
    for entry in results["sensitivity"]:
        got = rate[g(PRESET_NAMES[entry["preset"]])]
        assert got[1] == entry["n_refractory"] and same(got[4], entry["proportion"])
    comparisons = rows(book, lang, "comparisons")[1:]
    tests = {r[1] for r in comparisons} - {None}
    expected = {
        g(TEST_NAMES[t["test"]])
        for c in results["comparisons"]
        for t in (c.get("tests") or ([c] if c.get("test") else []))
    }
    assert tests == expected
    methods = {r[8] for r in comparisons} - {None}
    assert methods <= {g(name) for name in METHOD_NAMES.values()} and methods
    survival = rows(book, lang, "survival")[1:]
    for key, name in ANALYSIS_NAMES.items():
        points = {r[0]: r for r in survival if r[5] == g(name) and isinstance(r[0], int)}
        for month, point in results[key]["at_months"].items():
            assert same(points[int(month)][1], point["estimate"])


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_report_names_the_patient_sheet_as_the_workbook_does(lang: str) -> None:
    sentence = Language(lang).gettext(
        "Further refractory patients not listed here (every patient is in tables.xlsx, "
        "sheet refractory_patients):"
    )
    assert f"«{sheet_names(Language(lang))['refractory_patients']}»" in sentence
