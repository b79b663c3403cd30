"""What clinicians type, cell by cell: every accepted spelling, its count, and every refusal."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from rairtc.core.codes import MCategory, NCategory, NodalLevel, Sex, TCategory
from rairtc.io.aliases import BOOLEAN_ALIASES, CODE_ALIASES, LAB_UNIT_ALIASES
from rairtc.io.cells import Tally, Unreadable, read_cell, read_code, read_row


def read(table: str, column: str, value: Any) -> tuple[Any, dict[str, int]]:
    tally = Tally()
    return read_cell(table, column, value, tally), tally.by_code()


ALIAS_CASES = [
    (enum, code.value, alias)
    for (enum, code), languages in CODE_ALIASES.items()
    for aliases in languages.values()
    for alias in aliases
]


@pytest.mark.parametrize(
    ("enum", "code", "alias"), ALIAS_CASES, ids=[f"{e.__name__}-{a}" for e, _, a in ALIAS_CASES]
)
def test_every_alias_reads_as_its_code(enum: Any, code: str, alias: str) -> None:
    tally = Tally()
    assert read_code(enum, alias, tally) == code
    assert read_code(enum, f"  {alias.upper()} ", tally) == code  # any case, spaces
    assert tally.by_code() == {"normalised.code_alias": 2}


def test_no_alias_names_two_codes_of_one_field() -> None:
    seen: dict[tuple[Any, str], str] = {}
    for (enum, code), languages in CODE_ALIASES.items():
        for aliases in languages.values():
            for alias in aliases:
                key = (enum, alias.casefold().replace("ё", "е"))
                assert seen.setdefault(key, code.value) == code.value, key


def test_no_alias_is_another_code_of_its_field() -> None:
    for (enum, code), languages in CODE_ALIASES.items():
        others = {v.value.casefold() for v in enum if v is not code}
        for aliases in languages.values():
            assert not others & {a.casefold() for a in aliases}, code


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, aliases) for aliases in BOOLEAN_ALIASES[True].values()]
    + [(False, aliases) for aliases in BOOLEAN_ALIASES[False].values()],
)
def test_every_yes_no_word_reads_as_a_boolean(value: bool, expected: tuple[str, ...]) -> None:
    for word in expected:
        assert read("patients", "smoker", word) == (value, {"normalised.boolean_alias": 1})
        assert read("patients", "smoker", word.upper())[0] is value


@pytest.mark.parametrize(("typed", "unit"), sorted(LAB_UNIT_ALIASES.items()))
def test_every_russian_lab_unit_reads_as_the_english_spelling(typed: str, unit: str) -> None:
    assert read("labs", "unit", typed) == (unit, {"normalised.lab_unit_alias": 1})


def test_units_are_matched_with_their_case_because_case_is_the_prefix() -> None:
    assert read("labs", "unit", "МЕД/Л") == ("МЕД/Л", {})  # passed on; validation refuses it


@pytest.mark.parametrize(
    ("enum", "typed", "code", "count"),
    [
        (TCategory, "pT1b", "T1b", "normalised.tnm_prefix"),  # pathological
        (TCategory, "ypT2", "T2", "normalised.tnm_prefix"),  # after therapy
        (NCategory, "cN0", "N0", "normalised.tnm_prefix"),  # clinical
        (NCategory, "pn1B", "N1b", "normalised.tnm_prefix"),
        (MCategory, "cM0", "M0", "normalised.tnm_prefix"),
        (TCategory, "t3a", "T3a", "normalised.code_case"),
        (TCategory, "Т2", "T2", "normalised.code_cyrillic"),  # Cyrillic Т
        (NCategory, "Н1а", "N1a", "normalised.code_cyrillic"),  # Cyrillic Н and а
        (MCategory, "М0", "M0", "normalised.code_cyrillic"),  # Cyrillic М
        (TCategory, "рТ3а", "T3a", "normalised.code_cyrillic"),  # Cyrillic р prefix
        (MCategory, "Mx", "MX", "normalised.code_case"),  # unknown M, as validation reads it
        (NodalLevel, "ii", "II", "normalised.code_case"),
        (NodalLevel, "ІІІ", "III", "normalised.code_cyrillic"),  # Kazakh І
        (Sex, "ж", "F", "normalised.code_alias"),
        (Sex, "М", "M", "normalised.code_alias"),  # Cyrillic М is the Russian alias
    ],
)
def test_codes_are_read_in_any_case_with_prefixes_and_look_alikes(
    enum: Any, typed: str, code: str, count: str
) -> None:
    tally = Tally()
    assert read_code(enum, typed, tally) == code
    assert tally.by_code() == {count: 1}


def test_a_tnm_prefix_maps_to_whatever_category_the_enum_holds() -> None:
    """Generic over the enum values: pT1 is T1 as soon as the data model has T1."""
    for category in TCategory:
        assert read_code(TCategory, "p" + category.value, Tally()) == category.value
        assert read_code(TCategory, "yp" + category.value.lower(), Tally()) == category.value


@pytest.mark.parametrize("typed", ["T5", "pX", "папилярный", "T2 N0", "Тх1"])
def test_text_that_is_no_code_is_passed_on_unchanged_for_validation_to_refuse(
    typed: str,
) -> None:
    tally = Tally()
    assert read_code(TCategory, typed, tally) == typed
    assert not tally.counts


@pytest.mark.parametrize(
    ("typed", "expected", "count"),
    [
        (date(2021, 4, 3), date(2021, 4, 3), None),  # a date cell
        (datetime(2021, 4, 3), date(2021, 4, 3), None),  # Excel's date cell
        (pd.Timestamp("2021-04-03"), date(2021, 4, 3), None),
        ("2021-04-03", date(2021, 4, 3), None),
        ("03.04.2021", date(2021, 4, 3), "normalised.date_dotted"),  # day first, always
        ("3.4.2021", date(2021, 4, 3), "normalised.date_dotted"),
        (" 31.12.2020 ", date(2020, 12, 31), "normalised.date_dotted"),
        (44289, date(2021, 4, 3), "normalised.date_serial"),  # Excel serial number
        (44289.0, date(2021, 4, 3), "normalised.date_serial"),
    ],
)
def test_dates_as_clinicians_type_them(typed: Any, expected: date, count: str | None) -> None:
    assert read("rai_courses", "date", typed) == (expected, {count: 1} if count else {})


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("03/04/2021", "validation.date_ambiguous"),  # 3 April or March 4: never guessed
        ("04/25/2021", "validation.date_ambiguous"),  # MM/DD is never read
        ("03-04-2021", "validation.date_ambiguous"),
        ("03.04.21", "validation.date_ambiguous"),  # the century is a guess too
        ("31.02.2021", "validation.date_invalid"),
        ("2021-02-30", "validation.date_invalid"),
        ("весной", "validation.date_invalid"),
        ("44289", "validation.date_invalid"),  # digits as text are no serial number
        (2021, "validation.date_invalid"),  # a year is not a date
        (44289.5, "validation.date_invalid"),  # a time of day
        (True, "validation.date_invalid"),
    ],
)
def test_dates_that_cannot_be_read_are_errors(typed: Any, code: str) -> None:
    value, counts = read("rai_courses", "date", typed)
    assert isinstance(value, Unreadable) and value.code == code
    assert not counts


def test_an_ambiguous_date_says_how_to_write_it() -> None:
    from rairtc.core.messages import Problem

    value, _ = read("labs", "date", "03/04/2021")
    assert isinstance(value, Unreadable)
    text = Problem(value.code, "P1", "labs.csv line 2", "date", value.params).text
    assert "'03/04/2021'" in text and "DD.MM.YYYY" in text and "YYYY-MM-DD" in text


@pytest.mark.parametrize(
    ("typed", "expected", "counts"),
    [
        ("3,7", 3.7, {"normalised.decimal_comma": 1}),
        ("3.7", 3.7, {}),
        (" 12 ", 12.0, {}),
        ("1 234,5", 1234.5, {"normalised.decimal_comma": 1, "normalised.digit_groups": 1}),
        ("22\u00a0200", 22200.0, {"normalised.digit_groups": 1}),  # a no-break space
        ("1e-05", 1e-05, {}),  # the CSV writer's shortest form
        (3.7, 3.7, {}),
        (np.float64(3.7), 3.7, {}),
        (np.int64(64), 64, {}),
    ],
)
def test_numbers_with_a_decimal_comma_or_point(
    typed: Any, expected: float, counts: dict[str, int]
) -> None:
    value, found = read("rai_courses", "tsh_miu_l", typed)
    assert value == expected and found == counts


@pytest.mark.parametrize("typed", ["3,7,1", "3.7,1", "12 мЕд/л", "<0,2", ">100", "1 23", "--"])
def test_numbers_that_cannot_be_read_are_errors(typed: str) -> None:
    value, _ = read("rai_courses", "tsh_miu_l", typed)
    assert isinstance(value, Unreadable) and value.code == "validation.number_unreadable"


def test_a_whole_number_column_refuses_fractions() -> None:
    assert read("patients", "vascular_invasion_foci", "4") == (4, {})
    assert read("patients", "vascular_invasion_foci", 4.0) == (4, {})
    value, _ = read("patients", "vascular_invasion_foci", "4,5")
    assert isinstance(value, Unreadable) and value.params["expected"] == "a whole number"


@pytest.mark.parametrize(
    "missing", [None, "", "  ", float("nan"), np.nan, pd.NA, pd.NaT, "NaN", "nan"]
)
def test_an_empty_or_nan_cell_is_a_missing_value(missing: Any) -> None:
    for table, column in [
        ("rai_courses", "tsh_miu_l"),
        ("labs", "date"),
        ("patients", "smoker"),
        ("patients", "t"),
    ]:
        assert read(table, column, missing)[0] is None


def test_nan_cells_are_counted_and_blank_ones_are_not() -> None:
    assert read("rai_courses", "tsh_miu_l", float("nan"))[1] == {"normalised.nan_missing": 1}
    assert read("rai_courses", "tsh_miu_l", pd.NA)[1] == {"normalised.nan_missing": 1}
    assert read("rai_courses", "tsh_miu_l", "")[1] == {}


def test_the_text_nan_stays_text_in_free_text_columns() -> None:
    assert read("mdt", "note", "NaN") == ("NaN", {})


@pytest.mark.parametrize("typed", [math.inf, -math.inf, "inf", "Infinity"])
def test_an_infinite_number_in_a_table_is_an_error(typed: Any) -> None:
    value, _ = read("rai_courses", "tsh_miu_l", typed)
    assert isinstance(value, Unreadable) and value.code == "validation.not_finite"


@pytest.mark.parametrize(
    ("column", "typed", "expected", "count"),
    [
        ("activity_mci", "150 мКи", 150.0, "normalised.activity_unit"),
        ("activity_mci", "150mCi", 150.0, "normalised.activity_unit"),
        ("activity_gbq", "5,55 ГБк", 5.55, "normalised.activity_unit"),
        ("activity_gbq", "5550 МБк", 5.55, "normalised.activity_mbq"),
        ("activity_gbq", "3700 MBq", 3.7, "normalised.activity_mbq"),
    ],
)
def test_activities_may_carry_their_unit(
    column: str, typed: str, expected: float, count: str
) -> None:
    tally = Tally()
    assert read_cell("rai_courses", column, typed, tally) == expected
    assert tally.by_code()[count] == 1


@pytest.mark.parametrize(
    ("column", "typed"),
    [("activity_mci", "5,55 ГБк"), ("activity_mci", "5550 МБк"), ("activity_gbq", "150 мКи")],
)
def test_an_activity_in_the_other_columns_unit_is_an_error(column: str, typed: str) -> None:
    value, _ = read("rai_courses", column, typed)
    assert isinstance(value, Unreadable) and value.code == "validation.activity_unit_column"


def test_a_below_limit_lab_is_its_limit_with_the_flag() -> None:
    tally = Tally()
    row, problems = read_row("labs", {"value": "<0,2", "below_limit": None}, tally)
    assert row == {"value": 0.2, "below_limit": True} and not problems
    assert tally.by_code() == {"normalised.below_limit_sign": 1, "normalised.decimal_comma": 1}


def test_a_below_limit_sign_against_below_limit_no_is_an_error() -> None:
    row, problems = read_row("labs", {"value": "< 0.2", "below_limit": "нет"}, Tally())
    assert [(column, p.code) for column, p in problems] == [
        ("below_limit", "validation.below_limit_conflict")
    ]


def test_an_unreadable_cell_is_left_out_of_the_row() -> None:
    row, problems = read_row("rai_courses", {"date": "03/04/2021", "tsh_miu_l": "12"}, Tally())
    assert row == {"tsh_miu_l": 12.0}
    assert [c for c, _ in problems] == ["date"]


def test_ids_typed_as_numbers_keep_their_digits() -> None:
    assert read("patients", "id", 101.0) == ("101", {})
    assert read("patients", "id", 101) == (101, {})


def test_decimals_from_text_are_the_typed_decimal() -> None:
    value, _ = read("rai_courses", "activity_gbq", "7,4")
    assert Decimal(repr(value)) == Decimal("7.4")


def test_every_header_names_one_column_of_its_table() -> None:
    from rairtc.io.aliases import column_labels
    from rairtc.io.headers import fold
    from rairtc.io.layout import COLUMNS, TABLES

    for table in TABLES:
        seen: dict[str, str] = {}
        for name, _, _ in COLUMNS[table]:
            for labels in column_labels(table, name).values():
                for label in labels:
                    assert seen.setdefault(fold(label), name) == name, (table, label)


def test_every_table_name_names_one_table() -> None:
    from rairtc.io.aliases import TABLE_LABELS
    from rairtc.io.headers import table_named

    for table, labels in TABLE_LABELS.items():
        assert table_named(table.upper()) == table
        for label in labels.values():
            assert table_named(label) == table
            assert table_named(label.upper()) == table
