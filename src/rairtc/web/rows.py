"""Plain SELECTs that give the ORM's values: each column's value goes through the converters
Django itself applies to that column (SQLite's dates, datetimes, booleans and decimals; almost
nothing on PostgreSQL).

Compiling an ORM query costs about 0.3 ms of CPU; the same statement written once and sent as
plain SQL costs a few hundredths of that. The hot paths (the patient read on every patient
page, the account read on every request) use these; everything else keeps the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field

Converter = Callable[[Any, Any, Any], Any]
Converters = tuple[tuple[int, tuple[Converter, ...], Any], ...]


def converters(table: str, fields: Sequence[Field[Any, Any]], first: int = 0) -> Converters:
    """The converters of ``fields`` (columns of ``table``) by position in a row; ``first`` is
    the position of the first of them."""
    found = []
    for i, f in enumerate(fields, start=first):
        column = f.get_col(table)
        functions = (
            *connection.ops.get_db_converters(column),
            *column.get_db_converters(connection),
        )
        if functions:
            found.append((i, tuple(functions), column))
    return tuple(found)


def convert(values: Sequence[Any], with_: Converters) -> list[Any]:
    """One row's values as the ORM would give them."""
    row = list(values)
    for i, functions, column in with_:
        for function in functions:
            row[i] = function(row[i], column, connection)
    return row
