"""Sheet, file and column names as typed -> the tables and columns of the layout.

A sheet ``Patients`` or ``Пациенты`` and a file ``Patients.csv`` are the ``patients`` table; a
header ``Дата рождения`` is ``birth_date``. Every column keeps its own header: an empty column
without a header (a spacer) is skipped without moving its neighbours; a column with data but
no header, two headers naming the same column, and a header that names no column are errors
that name the sheet (or file) and the column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rairtc.core.messages import Problem
from rairtc.io.aliases import TABLE_LABELS, column_labels
from rairtc.io.cells import Tally
from rairtc.io.layout import TABLES, column_names


def fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


@cache
def _table_index() -> dict[str, str]:
    index = {fold(table): table for table in TABLES}
    for table, labels in TABLE_LABELS.items():
        for label in labels.values():
            index[fold(label)] = table
    return index


def table_named(name: str) -> str | None:
    """The layout table a sheet or file stem names (any case, English, Russian or Kazakh)."""
    return _table_index().get(fold(name))


def find_tables(
    names: Iterable[str], shown: Callable[[str], str], tally: Tally
) -> tuple[dict[str, str], list[Problem]]:
    """table -> the one sheet (or file stem) holding it; two names for one table are an error."""
    found: dict[str, list[str]] = {}
    for name in names:
        table = table_named(name)
        if table is not None:
            found.setdefault(table, []).append(name)
    problems = [
        Problem(
            "validation.table_duplicate",
            None,
            shown(names_[0]),
            None,
            {"names": ", ".join(shown(n) for n in names_), "table": table},
        )
        for table, names_ in found.items()
        if len(names_) > 1
    ]
    chosen = {table: names_[0] for table, names_ in found.items() if len(names_) == 1}
    for table, name in chosen.items():
        if name != table:
            tally.add("normalised.table_name", name=name, table=table)
    return chosen, problems


@cache
def _column_index(table: str) -> tuple[dict[str, str], dict[str, str]]:
    """(folded English name -> column, folded Russian/Kazakh header -> column)."""
    english = {fold(c): c for c in column_names(table)}
    translated: dict[str, str] = {}
    for column in column_names(table):
        for language, labels in column_labels(table, column).items():
            if language != "en":
                for label in labels:
                    translated[fold(label)] = column
    return english, translated


@dataclass
class Header:
    """The columns of one table as read: position -> column name, and what was wrong."""

    columns: dict[int, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_header(
    table: str,
    cells: Sequence[Any],
    has_data: Callable[[int], bool],
    where: str,
    column_shown: Callable[[int], str],
    tally: Tally,
    *,
    lenient: bool = False,
) -> Header:
    """Resolve the header row of ``table``; ``where`` names the sheet or file."""
    english, translated = _column_index(table)
    header = Header()
    positions: dict[str, list[int]] = {}
    last_named = max(
        (i for i, c in enumerate(cells) if c is not None and str(c).strip()), default=-1
    )
    for i, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        if not text:
            if has_data(i):
                header.problems.append(
                    Problem(
                        "validation.header_missing",
                        None,
                        f"{where}, {column_shown(i)}",
                        None,
                        {"column": column_shown(i)},
                    )
                )
            elif i < last_named:
                tally.add("normalised.spacer_column")
            continue
        key = fold(text)
        if text in english.values():
            name = text
        elif key in english:
            name = english[key]
            tally.add("normalised.header_case")
        elif key in translated:
            name = translated[key]
            tally.add("normalised.header_alias")
        else:
            code = "validation.header_unknown_ignored" if lenient else "validation.header_unknown"
            header.problems.append(
                Problem(
                    code,
                    None,
                    f"{where}, {column_shown(i)}",
                    None,
                    {
                        "header": text,
                        "column": column_shown(i),
                        "table": table,
                        "allowed": ", ".join(column_names(table)),
                    },
                )
            )
            continue
        positions.setdefault(name, []).append(i)
        header.columns[i] = name
    for name, places in positions.items():
        if len(places) > 1:
            shown = ", ".join(column_shown(i) for i in places)
            header.problems.append(
                Problem(
                    "validation.header_duplicate",
                    None,
                    f"{where}, {shown}",
                    None,
                    {"header": str(cells[places[-1]]).strip(), "columns": shown, "name": name},
                )
            )
            for i in places:
                del header.columns[i]
    return header


def unknown_table(where: str, name: str, reason: str) -> Problem:
    """A sheet, file or table that is not read: a warning when its name names no table (a
    ``notes`` sheet), an error when it does (a ``labs.csv`` beside Parquet tables, a table
    ``labs`` in another schema) since a whole table of records would be lost."""
    table = table_named(name)
    if table is None:
        return Problem(
            "validation.table_unknown",
            None,
            where,
            None,
            {"where": where, "allowed": ", ".join(TABLES)},
        )
    return Problem(
        "validation.table_unread",
        None,
        where,
        None,
        {"where": where, "table": table, "reason": reason},
    )


def unknown_tables(names: Iterable[str], shown: Callable[[str], str]) -> list[Problem]:
    """A warning for every name present that names no table."""
    return [
        unknown_table(shown(name), name, "") for name in sorted(names) if table_named(name) is None
    ]
