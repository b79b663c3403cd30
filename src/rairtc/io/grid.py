"""A sheet or CSV file as a grid of rows -> one :class:`~rairtc.io.layout.Table`.

The header is the first non-blank row. Blank rows are skipped but keep their numbers, so a
message names the row as Excel or a text editor shows it and a reader-assigned id
``<table>-<n>`` (``n`` = shown row minus header row) does not depend on blank rows above it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rairtc.core.messages import Problem
from rairtc.io.cells import Tally
from rairtc.io.headers import read_header
from rairtc.io.layout import Assembled, Table, assemble


def rows_named(prefix: str) -> Callable[[int], str]:
    """Row ``n`` -> ``"<prefix> n"`` ("sheet labs row 5", "labs.csv line 5")."""
    return lambda n: f"{prefix} {n}"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def grid_table(
    table: str,
    where: str,
    rows: Sequence[tuple[int, Sequence[Any]]],
    *,
    row_text: Callable[[int], str],
    column_shown: Callable[[int], str],
    cell_column: Callable[[int, str, str], str | None],
    tally: Tally,
    lenient: bool = False,
) -> tuple[Table, list[Problem]]:
    """``rows`` are (shown row number, cells); ``row_text(n)`` names row ``n`` ("sheet labs
    row 5"); ``column_shown(i)`` names column ``i`` for header problems; ``cell_column(i,
    header, name)`` names it in a cell's location (or None to name the field only)."""
    filled = [(n, cells) for n, cells in rows if not all(_blank(c) for c in cells)]
    if not filled:
        return Table([], [], lambda i: where if i < 0 else row_text(i)), []
    header_number, header_cells = filled[0]
    data = filled[1:]
    width = max(len(cells) for _, cells in filled)

    def has_data(i: int) -> bool:
        return any(i < len(cells) and not _blank(cells[i]) for _, cells in data)

    header = read_header(
        table,
        [*header_cells, *[None] * (width - len(header_cells))],
        has_data,
        where,
        column_shown,
        tally,
        lenient=lenient,
    )
    positions = sorted(header.columns)
    names = [header.columns[i] for i in positions]
    shown: dict[str, str] = {}
    for i in positions:
        label = cell_column(i, str(header_cells[i]).strip(), header.columns[i])
        if label:
            shown[header.columns[i]] = label
    numbers = [n for n, _ in data]
    projected = [[cells[i] if i < len(cells) else None for i in positions] for _, cells in data]

    def location(index: int) -> str:
        return where if index < 0 else row_text(numbers[index])

    return (
        Table(names, projected, location, [n - header_number for n in numbers], shown),
        header.problems,
    )


def typed_table(
    table: str,
    where: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    row_text: Callable[[int], str],
    tally: Tally,
    lenient: bool = False,
) -> tuple[Table, list[Problem]]:
    """A table with named columns (Parquet, DuckDB, SQLite, pandas): rows numbered from 1."""
    grid: list[tuple[int, Sequence[Any]]] = [(0, list(columns))]
    grid += [(n, row) for n, row in enumerate(rows, start=1)]
    return grid_table(
        table,
        where,
        grid,
        row_text=row_text,
        column_shown=lambda i: f"column '{columns[i]}'",
        cell_column=lambda _i, header, column: None if header == column else f"column '{header}'",
        tally=tally,
        lenient=lenient,
    )


@dataclass
class TableSet:
    """The tables of a registry as read, before they are assembled into patients: the
    problems of files, sheets and headers, what the reader normalised so far, and problems
    reported after the patients' own (a table in another schema)."""

    tables: dict[str, Table]
    problems: list[Problem]
    tally: Tally
    after: list[Problem] = field(default_factory=list)

    @property
    def unreadable(self) -> bool:
        """Names or headers already make the tables unreadable: no patient is assembled."""
        return any(p.is_error for p in self.problems)


def assemble_set(found: TableSet, lenient: bool) -> Assembled:
    """Assemble the tables unless their names or headers already make them unreadable."""
    if found.unreadable:
        return Assembled([], [*found.problems, *found.after], tally=found.tally)
    assembled = assemble(found.tables, lenient=lenient, tally=found.tally)
    assembled.problems[:0] = found.problems
    assembled.problems += found.after
    return assembled


def assemble_named(
    found: dict[str, Table], problems: list[Problem], tally: Tally, lenient: bool
) -> Assembled:
    """Assemble the tables unless their names or headers already make them unreadable."""
    return assemble_set(TableSet(found, problems, tally), lenient)
