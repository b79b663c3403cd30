"""One cell of a table as a clinician typed it -> the value of the data model, or a problem.

Every table format (CSV, Parquet, Excel, DuckDB, SQLite, pandas) goes through :func:`read_row`,
so a ``3,7`` or a ``03.04.2021`` means the same wherever it was typed. The rules:

- missing: a blank cell, ``NaN`` (a float, ``pd.NA``, ``NaT``, or the text ``NaN`` outside
  free-text columns) is a missing value; an infinite number is an error;
- dates: a date cell, ``YYYY-MM-DD`` text, ``DD.MM.YYYY``/``D.M.YYYY`` text (day first,
  always), or an Excel serial number from 3000 (1908-03-18) on; anything else, ``03/04/2021``
  included, is an error that says how to write it;
- numbers: a decimal point or a decimal comma, digits grouped by spaces; ``<0,2`` in a lab
  value is 0.2 with ``below_limit``; an activity may carry its unit (``150 мКи``, ``5,55 ГБк``,
  ``5550 МБк`` read as 5.55 GBq);
- codes: the code itself, in any case; a Russian or Kazakh alias (:mod:`rairtc.io.aliases`);
  Cyrillic look-alike letters (``Т2``, ``Н1а``); TNM prefixes (``pT1``, ``ycN0``). A text that
  is none of these is passed on, and validation names the allowed codes;
- yes/no: ``true``/``false`` in any case, 1/0, ``да``/``нет``, ``иә``/``жоқ``, ``yes``/``no``.

Nothing is guessed, and every change is counted in a :class:`Tally` under a code of
:data:`rairtc.core.messages.NORMALISATIONS`.
"""

from __future__ import annotations

import math
import numbers
import re
import types
import typing
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from rairtc.core.codes import MCategory, NCategory, Recommendation, TCategory
from rairtc.core.messages import normalisation_text
from rairtc.core.records import TABLE_RECORDS
from rairtc.io.aliases import (
    ACTIVITY_UNITS,
    BOOLEAN_ALIASES,
    CODE_ALIASES,
    LAB_UNIT_ALIASES,
    LOOK_ALIKES,
    TNM_PREFIXES,
)

Params = tuple[tuple[str, str], ...]


@dataclass
class Tally:
    """How many values each normalisation changed (and per-file notes such as the encoding)."""

    counts: Counter[tuple[str, Params]] = field(default_factory=Counter)

    def add(self, code: str, count: int = 1, **params: str) -> None:
        self.counts[(code, tuple(sorted(params.items())))] += count

    def update(self, other: Tally) -> None:
        self.counts.update(other.counts)

    def by_code(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for (code, _), count in self.counts.items():
            out[code] += count
        return dict(out)

    def lines(self) -> list[str]:
        """The summary lines in English, in a stable order."""
        return [normalisation_text(code, count, params) for code, count, params in self.entries()]

    def entries(self) -> list[tuple[str, int, dict[str, Any]]]:
        """(code, count, parameters) of every normalisation, in a stable order; other
        languages render the code (``rairtc.i18n.translate``)."""
        return [
            (code, count, dict(params)) for (code, params), count in sorted(self.counts.items())
        ]


@dataclass(frozen=True)
class Unreadable:
    """A cell that cannot be read: a message code of the catalogue and its parameters."""

    code: str
    params: Mapping[str, str]


FREE_TEXT = frozenset(
    {"id", "patient_id", "imaging_id", "mdt_id", "full_name", "national_id", "mrn"}
    | {"stage_recorded", "region", "centre", "note"}
)
TNM = (TCategory, NCategory, MCategory)
_EXTRA_CODES: dict[type[StrEnum], tuple[str, ...]] = {MCategory: ("MX",)}  # MX = unknown M


def _base(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return args[0] if isinstance(annotation, types.UnionType) and args else annotation


@cache
def kind_of(table: str, column: str) -> Any:
    """What a column holds: ``date``, ``bool``, ``int``, ``float``, ``str`` or an enum class."""
    if table == "mdt_recommendations":
        return Recommendation if column == "recommendation" else str
    if column.startswith("molecular_"):
        return bool
    fields = TABLE_RECORDS[table].model_fields
    return _base(fields[column].annotation) if column in fields else str


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


@cache
def _code_index(enum: type[StrEnum]) -> tuple[dict[str, str], dict[str, str]]:
    """(folded code -> code, folded alias -> code) for one enum."""
    codes = {_fold(v.value): v.value for v in enum} | {
        _fold(x): x for x in _EXTRA_CODES.get(enum, ())
    }
    aliases: dict[str, str] = {}
    for (owner, code), languages in CODE_ALIASES.items():
        if owner is enum:
            for words in languages.values():
                for word in words:
                    aliases[_fold(word)] = code.value
    return codes, aliases


@cache
def _exact_codes(enum: type[StrEnum]) -> frozenset[str]:
    return frozenset(v.value for v in enum) | frozenset(_EXTRA_CODES.get(enum, ()))


@cache
def _boolean_index() -> dict[str, bool]:
    return {
        _fold(word): value
        for value, languages in BOOLEAN_ALIASES.items()
        for words in languages.values()
        for word in words
    }


def _is_missing(value: Any) -> bool:
    """NaN, pd.NA and NaT without importing pandas."""
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def read_code(enum: type[StrEnum], text: str, tally: Tally) -> str:
    """The code ``text`` stands for, or ``text`` unchanged when it stands for none."""
    if text in _exact_codes(enum):
        return text
    codes, aliases = _code_index(enum)
    stripped = text.strip()
    if stripped in _exact_codes(enum):
        return stripped
    folded = _fold(stripped)
    if folded in aliases:
        tally.add("normalised.code_alias")
        return aliases[folded]
    found = _latin_code(enum, folded, codes, tally)
    if found is not None:
        return found
    latin = stripped.translate(LOOK_ALIKES)
    if latin != stripped and latin.isascii():
        found = _latin_code(enum, _fold(latin), codes, Tally())
        if found is not None:
            tally.add("normalised.code_cyrillic")
            return found
    return text


def _latin_code(
    enum: type[StrEnum], folded: str, codes: dict[str, str], tally: Tally
) -> str | None:
    if folded in codes:
        tally.add("normalised.code_case")
        return codes[folded]
    if enum in TNM:
        for prefix in TNM_PREFIXES:
            rest = folded.removeprefix(prefix)
            if rest != folded and rest in codes:
                tally.add("normalised.tnm_prefix")
                return codes[rest]
    return None


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DAY_MONTH = re.compile(r"\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}")
EXCEL_EPOCH = date(1899, 12, 30)
FIRST_SERIAL = 3000  # 1908-03-18: smaller numbers look like years, not dates


def read_date(value: Any, tally: Tally) -> Any:
    if isinstance(value, str):
        return _date_text(value.strip(), tally)
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return Unreadable("validation.date_invalid", {"value": str(value)})
    if isinstance(value, numbers.Real):
        number = float(value)
        if number.is_integer() and FIRST_SERIAL <= number <= 2958465:
            tally.add("normalised.date_serial")
            return EXCEL_EPOCH + timedelta(days=int(number))
        return Unreadable("validation.date_invalid", {"value": _shown(value)})
    return _date_text(str(value).strip(), tally)


def _date_text(text: str, tally: Tally) -> Any:
    try:
        if _ISO.fullmatch(text):
            return date.fromisoformat(text)
        dotted = _DOTTED.fullmatch(text)
        if dotted:
            day, month, year = (int(g) for g in dotted.groups())
            parsed = date(year, month, day)
            tally.add("normalised.date_dotted")
            return parsed
    except ValueError:
        return Unreadable("validation.date_invalid", {"value": text})
    if _DAY_MONTH.fullmatch(text):
        return Unreadable("validation.date_ambiguous", {"value": text})
    return Unreadable("validation.date_invalid", {"value": text})


_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?")


def _number_text(text: str, tally: Tally) -> Decimal | None:
    """The number a text holds (decimal point or comma, space-grouped digits), or None."""
    if _GROUPED.fullmatch(text):
        tally.add("normalised.digit_groups")
        text = re.sub(r"[ \u00a0\u202f]", "", text)
    elif not _NUMBER.fullmatch(text):
        return None
    if "," in text:
        tally.add("normalised.decimal_comma")
        text = text.replace(",", ".")
    return Decimal(text)


def read_number(value: Any, whole: bool, tally: Tally) -> Any:
    expected = "a whole number" if whole else "a number"
    if isinstance(value, float) and math.isfinite(value):
        return int(value) if whole and value.is_integer() else value
    if isinstance(value, bool):
        return Unreadable(
            "validation.number_unreadable", {"value": str(value), "expected": expected}
        )
    if isinstance(value, numbers.Integral):  # exactly: a float keeps 53 bits of an int64
        whole_number = int(value)
        if whole and not -_INT64 <= whole_number < _INT64:
            return Unreadable(
                "validation.number_unreadable", {"value": _shown(value), "expected": expected}
            )
        return whole_number
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            return Unreadable("validation.not_finite", {"value": str(number)})
        if whole and not -_INT64 <= number < _INT64:
            return Unreadable(
                "validation.number_unreadable", {"value": _shown(value), "expected": expected}
            )
        return int(number) if whole and number.is_integer() else value_of(value)
    text = str(value).strip()
    parsed = _number_text(text, tally)
    if parsed is None or not parsed.is_finite():
        if text.casefold() in ("inf", "+inf", "-inf", "infinity", "-infinity"):
            return Unreadable("validation.not_finite", {"value": text})
        return Unreadable("validation.number_unreadable", {"value": text, "expected": expected})
    if whole:
        if parsed != parsed.to_integral_value() or not -_INT64 <= parsed < _INT64:
            return Unreadable("validation.number_unreadable", {"value": text, "expected": expected})
        return int(parsed)
    if not math.isfinite(float(parsed)):  # 1e400 is a finite decimal but no float
        return Unreadable("validation.not_finite", {"value": text})
    return float(parsed)


_INT64 = 2**63  # every output format stores whole numbers in 64 bits


def value_of(value: Any) -> Any:
    """numpy scalars as Python numbers."""
    if isinstance(value, numbers.Integral) and not isinstance(value, int):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, float | int):
        return float(value)
    return value


def read_bool(value: Any, tally: Tally) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in _CANONICAL_BOOLEANS:
        return _CANONICAL_BOOLEANS[value]
    if isinstance(value, numbers.Real) and float(value) in (0.0, 1.0):
        return float(value) == 1.0
    text = str(value).strip()
    folded = _fold(text)
    if folded in ("true", "false", "1", "0"):
        if text not in ("true", "false", "1", "0"):
            tally.add("normalised.code_case")
        return folded in ("true", "1")
    if folded in _boolean_index():
        tally.add("normalised.boolean_alias")
        return _boolean_index()[folded]
    return Unreadable(
        "validation.field_type",
        {"value": text, "expected": "yes or no (true/false, да/нет, иә/жоқ)"},
    )


_CANONICAL_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
_ACTIVITY = re.compile(r"(?P<number>.*?\d)\s*(?P<unit>[^\d\s.,]+)")


def read_activity(column: str, value: Any, tally: Tally) -> Any:
    """An activity, possibly with its unit after the number (mCi, GBq or MBq, Latin or Russian)."""
    if not isinstance(value, str):
        return read_number(value, False, tally)
    match = _ACTIVITY.fullmatch(value.strip())
    if match is None or match["unit"] not in ACTIVITY_UNITS:
        return read_number(value, False, tally)
    unit = ACTIVITY_UNITS[match["unit"]]
    number = _number_text(match["number"].strip(), tally)
    if number is None:
        return read_number(value, False, tally)
    own = "mCi" if column == "activity_mci" else "GBq"
    if unit == own:
        tally.add("normalised.activity_unit")
        return float(number)
    if unit == "MBq" and own == "GBq":
        tally.add("normalised.activity_mbq")
        return float(number / 1000)
    return Unreadable("validation.activity_unit_column", {"value": value.strip(), "unit": unit})


def read_cell(table: str, column: str, value: Any, tally: Tally) -> Any:
    """The value of one cell (``None`` when missing) or :class:`Unreadable`."""
    if value is None:
        return None
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return None
        if len(stripped) == 3 and stripped.casefold() == "nan" and column not in FREE_TEXT:
            tally.add("normalised.nan_missing")
            return None
        if column in FREE_TEXT:
            return value
    elif _is_missing(value):
        tally.add("normalised.nan_missing")
        return None
    kind = kind_of(table, column)
    if kind is date:
        return read_date(value, tally)
    if kind is bool:
        return read_bool(value, tally)
    if column in ("activity_mci", "activity_gbq"):
        return read_activity(column, value, tally)
    if kind is int or kind is float:
        return read_number(value, kind is int, tally)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return read_code(kind, value, tally) if isinstance(value, str) else value_of(value)
    if table == "labs" and column == "unit" and isinstance(value, str):
        unit = LAB_UNIT_ALIASES.get(value.strip())
        if unit is not None:
            tally.add("normalised.lab_unit_alias")
            return unit
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))  # an id typed as a number, read by pandas as 101.0
    return value_of(value)


_BELOW = re.compile(r"<\s*(?P<number>.+)")


def read_row(
    table: str, row: Mapping[str, Any], tally: Tally
) -> tuple[dict[str, Any], list[tuple[str, Unreadable]]]:
    """A row with every known cell read; the unreadable ones as (column, problem).

    An unreadable cell is left out of the row, so that validation does not report it twice.
    """
    out: dict[str, Any] = {}
    problems: list[tuple[str, Unreadable]] = []
    below = None
    for column, raw in row.items():
        value = raw
        if table == "labs" and column == "value" and isinstance(raw, str):
            match = _BELOW.fullmatch(raw.strip())
            if match:
                value, below = match["number"], raw.strip()
        read = read_cell(table, column, value, tally)
        if isinstance(read, Unreadable):
            problems.append((column, read))
        else:
            out[column] = read
    if below is not None and "value" in out:
        if out.get("below_limit") is False:
            problems.append(
                ("below_limit", Unreadable("validation.below_limit_conflict", {"value": below}))
            )
        else:
            out["below_limit"] = True
            tally.add("normalised.below_limit_sign")
    return out, problems


def _shown(value: Any) -> str:
    return str(value)


def count_all(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.update(tally)
    return total
