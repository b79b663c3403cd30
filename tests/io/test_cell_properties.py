"""Properties of the strict cell parsers (dates, numbers, codes) over generated input: every
input they accept reads back as what was written, every one they refuse is an error that
names the patient, the cell and the field; nothing in between."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from rairtc.core import codes
from rairtc.io.cells import Tally, Unreadable, read_cell, read_code
from rairtc.io.layout import Table, assemble, locator


def read(table: str, column: str, value: Any) -> tuple[Any, dict[str, int]]:
    tally = Tally()
    return read_cell(table, column, value, tally), tally.by_code()


# Text that looks like what is typed into a date or number cell, and anything at all.
DATE_LIKE = st.from_regex(r"\s?\d{1,4}[-./ ]\d{1,2}[-./ ]\d{1,4}\s?", fullmatch=True)
NUMBER_LIKE = st.from_regex(r"\s?[+-]?[\d ,.]{1,12}([eE][+-]?\d{1,3})?\s?", fullmatch=True)
ANY_TEXT = st.text(max_size=14)


@given(st.dates())
def test_an_iso_date_reads_as_itself_without_a_normalisation(day: date) -> None:
    assert read("labs", "date", day.isoformat()) == (day, {})


@given(st.dates(min_value=date(1000, 1, 1)), st.booleans())
def test_a_dotted_date_reads_day_first_and_is_counted(day: date, padded: bool) -> None:
    text = (
        f"{day.day:02}.{day.month:02}.{day.year}" if padded else f"{day.day}.{day.month}.{day.year}"
    )
    assert read("labs", "date", text) == (day, {"normalised.date_dotted": 1})


def _written_forms(day: date) -> set[str]:
    return {
        day.isoformat(),
        f"{day.day:02}.{day.month:02}.{day.year:04}",
        f"{day.day}.{day.month}.{day.year:04}",
        f"{day.day:02}.{day.month}.{day.year:04}",
        f"{day.day}.{day.month:02}.{day.year:04}",
    }


def _ascii_digits(text: str) -> str:
    """Digits of any script as ASCII: ``١`` (Arabic-Indic) and ``１`` (full width) are the
    digit 1 to Python's ``int`` and ``float``, and so to the readers (an exact reading)."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def _missing(text: str) -> bool:
    return not text.strip() or text.strip().casefold() == "nan"


@given(st.one_of(DATE_LIKE, ANY_TEXT))
def test_date_text_is_a_date_written_one_of_two_ways_or_an_error(text: str) -> None:
    value, _ = read("labs", "date", text)
    if value is None:
        assert _missing(text)
    elif isinstance(value, Unreadable):
        assert value.code in ("validation.date_invalid", "validation.date_ambiguous")
    else:
        assert _ascii_digits(text.strip()) in _written_forms(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_reads_as_itself_from_its_shortest_text(number: float) -> None:
    assert read("labs", "value", repr(number)) == (number, {})
    assert read("labs", "value", number) == (number, {})


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: "." in repr(x)))
def test_a_decimal_comma_reads_as_the_point_and_is_counted(number: float) -> None:
    typed = repr(number).replace(".", ",")
    assert read("labs", "value", typed) == (number, {"normalised.decimal_comma": 1})


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_a_whole_number_reads_as_itself(number: int) -> None:
    """As text (CSV) and as a 64-bit integer cell (Parquet, DuckDB, SQLite), to the last
    digit: -2**63 included, and no detour through a float's 53 bits."""
    assert read("patients", "lymph_nodes_positive", str(number)) == (number, {})
    assert read("patients", "lymph_nodes_positive", number) == (number, {})
    assert read("patients", "lymph_nodes_positive", np.int64(number)) == (number, {})


def _plain(text: str) -> str:
    """The number a person typed, with grouping spaces removed and a comma as the point."""
    return re.sub(r"[ \u00a0\u202f]", "", text.strip()).replace(",", ".")


@given(st.one_of(NUMBER_LIKE, ANY_TEXT))
def test_number_text_is_its_number_or_an_error(text: str) -> None:
    value, _ = read("labs", "value", text)
    if value is None:
        assert _missing(text)
    elif isinstance(value, Unreadable):
        assert value.code in ("validation.number_unreadable", "validation.not_finite")
    else:
        assert value == float(_plain(text))


ENUMS: list[type[StrEnum]] = [
    codes.Sex,
    codes.Histology,
    codes.TCategory,
    codes.NCategory,
    codes.Procedure,
    codes.Modality,
    codes.Site,
    codes.FindingKind,
    codes.LabTest,
    codes.Recommendation,
]


@given(st.sampled_from(ENUMS).flatmap(lambda enum: st.tuples(st.just(enum), st.sampled_from(enum))))
def test_a_code_reads_as_itself_and_in_another_case_is_counted(pair: tuple[Any, Any]) -> None:
    enum, code = pair
    tally = Tally()
    assert read_code(enum, code.value, tally) == code.value and not tally.by_code()
    shouted = code.value.swapcase()
    assert read_code(enum, shouted, tally) == code.value
    assert tally.by_code() == ({"normalised.code_case": 1} if shouted != code.value else {})


@given(st.sampled_from(ENUMS), ANY_TEXT)
def test_text_is_a_code_of_its_field_or_passed_on_unchanged(enum: type[StrEnum], text: str) -> None:
    """Passed on unchanged, validation refuses it and names the allowed codes."""
    read = read_code(enum, text, Tally())
    assert read == text or read in {code.value for code in enum}


def _registry(column: str, typed: str) -> Any:
    """One patient with one lab whose ``column`` holds ``typed``, read as a CSV folder is."""
    patients = Table(
        ["id", "sex", "birth_date", "diagnosis_date", "histology"],
        [["P1", "F", "1980-01-01", "2020-01-01", "papillary"]],
        locator("patients.csv line {row}", "patients.csv", 2),
    )
    lab = {"patient_id": "P1", "date": "2020-02-01", "test": "tg", "value": "1.0", "unit": "ng/mL"}
    lab[column] = typed
    labs = Table(list(lab), [list(lab.values())], locator("labs.csv line {row}", "labs.csv", 2))
    return assemble({"patients": patients, "labs": labs})


@given(
    st.sampled_from(["date", "value"]),
    st.one_of(DATE_LIKE, NUMBER_LIKE, ANY_TEXT).filter(lambda t: not t.strip().startswith("<")),
)
def test_a_refused_cell_is_an_error_naming_the_patient_the_cell_and_the_field(
    column: str, typed: str
) -> None:
    """(A lab value ``<x`` is a below-limit value, read by the row: tests/io/test_cells.py.)"""
    value, _ = read("labs", column, typed)
    problems = _registry(column, typed).sources[0].problems
    if isinstance(value, Unreadable):
        assert [(p.code, p.patient_id, p.record, p.field) for p in problems] == [
            (value.code, "P1", "labs.csv line 2", column)
        ]
        assert problems[0].is_error
    else:
        assert not problems
