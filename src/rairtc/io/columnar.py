"""A typed table kept as Arrow columns until a chunk of its rows is needed.

A million-patient registry holds about 18 million rows; as Python tuples they would need
more memory than a workstation has. :func:`arrow_table` resolves the header and drops blank
rows exactly as :func:`rairtc.io.grid.typed_table` does, but on the columns; :meth:`Columns.take`
turns only the rows of one chunk into Python values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rairtc.core.messages import Problem
from rairtc.io.cells import Tally
from rairtc.io.headers import read_header
from rairtc.io.layout import Table
from rairtc.io.malformed import cell_error, malformed


@dataclass
class Columns:
    """The layout columns of one table (renamed, blank rows dropped) and, per kept row, the
    row number a message shows."""

    columns: list[str]
    arrow: Any  # pyarrow.Table
    numbers: Any  # numpy int64 array
    where: str
    row_text: Callable[[int], str]
    fmt: str
    shown: Mapping[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.arrow.num_rows)

    def location(self, index: int) -> str:
        return self.where if index < 0 else self.row_text(int(self.numbers[index]))

    def values(self, column: str) -> tuple[list[Any], Any]:
        """(distinct values, index of each row's value among them): the link columns read
        once per distinct value instead of once per row."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        data = self.arrow.column(column)
        try:
            distinct = pc.unique(data)
            index = pc.index_in(data, value_set=distinct)
        except (pa.ArrowNotImplementedError, pa.ArrowTypeError, pa.ArrowInvalid):
            return distinct_values(self._python(data))  # a dictionary column, say
        return self._python(distinct), np.asarray(index.to_numpy(zero_copy_only=False))

    def take(self, rows: Sequence[int]) -> Table:
        """The rows at ``rows`` (indices into this table) as a :class:`Table` whose row
        ``i`` is located and numbered as row ``rows[i]`` of the whole table."""
        import numpy as np

        picked = np.asarray(rows, dtype=np.int64)
        part = self.arrow.take(picked)
        cells = [self._python(part.column(c)) for c in self.columns]
        numbers = self.numbers[picked]

        def location(index: int) -> str:
            return self.where if index < 0 else self.row_text(int(numbers[index]))

        return Table(
            self.columns,
            list(zip(*cells, strict=True)) if cells else [() for _ in rows],
            location,
            [int(n) for n in numbers],
            self.shown,
        )

    def _python(self, data: Any) -> list[Any]:
        try:
            values: list[Any] = data.to_pylist()
        except (UnicodeDecodeError, OverflowError, ValueError) as error:
            raise malformed(self.where, self.fmt, cell_error(error)) from None
        return values


def distinct_values(values: Sequence[Any]) -> tuple[list[Any], Any]:
    """(distinct values, index of each value among them); ``1`` and ``True`` stay apart."""
    import numpy as np

    seen: dict[tuple[type, Any], int] = {}
    distinct: list[Any] = []
    index = np.empty(len(values), dtype=np.int64)
    for i, value in enumerate(values):
        key = (type(value), value)
        found = seen.get(key)
        if found is None:
            found = seen[key] = len(distinct)
            distinct.append(value)
        index[i] = found
    return distinct, index


def _check_cells(arrow: Any, where: str, fmt: str) -> None:
    """Fail now, before any chunk is read, on a cell no chunk could turn into Python: text
    that is not UTF-8, a date beyond the years Python knows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arrow.validate(full=True)
    except pa.ArrowInvalid:
        raise malformed(where, fmt, "a text column holds bytes that are not UTF-8") from None
    for column in arrow.columns:
        if pa.types.is_temporal(column.type) and len(column):
            bounds = pc.min_max(column)
            try:
                bounds["min"].as_py()
                bounds["max"].as_py()
            except (OverflowError, ValueError) as error:
                raise malformed(where, fmt, cell_error(error)) from None


def _blank(column: Any) -> Any:
    """Per row, whether the cell is blank as :func:`rairtc.io.grid.grid_table` sees it:
    missing, or text of only spaces."""
    import pyarrow as pa
    import pyarrow.compute as pc

    missing = pc.is_null(column)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        empty = pc.equal(pc.utf8_trim_whitespace(column), "")
        return pc.or_kleene(missing, pc.fill_null(empty, True))
    return missing


def arrow_table(
    table: str,
    where: str,
    arrow: Any,
    *,
    row_text: Callable[[int], str],
    fmt: str,
    tally: Tally,
    lenient: bool = False,
) -> tuple[Columns, list[Problem]] | None:
    """The table as :func:`rairtc.io.grid.typed_table` would read it, kept columnar; None
    when every column name is blank (the grid reader would then take the first data row
    as the header: the caller falls back to it)."""
    import numpy as np
    import pyarrow.compute as pc

    names = list(arrow.column_names)
    if not any(str(name).strip() for name in names):
        return None
    _check_cells(arrow, where, fmt)
    blank = [_blank(arrow.column(i)) for i in range(len(names))]
    filled = np.zeros(arrow.num_rows, dtype=bool)  # a row with any cell that is not blank
    for mask in blank:
        filled |= ~np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)

    def has_data(i: int) -> bool:
        return bool(pc.any(pc.invert(blank[i])).as_py()) if i < len(blank) else False

    def column_shown(i: int) -> str:
        return f"column '{names[i]}'"

    header = read_header(table, names, has_data, where, column_shown, tally, lenient=lenient)
    positions = sorted(header.columns)
    layout = [header.columns[i] for i in positions]
    shown = {
        header.columns[i]: f"column '{str(names[i]).strip()}'"
        for i in positions
        if str(names[i]).strip() != header.columns[i]
    }
    kept = np.flatnonzero(filled)
    projected = arrow.select(positions).rename_columns(layout)
    if len(kept) != arrow.num_rows:
        projected = projected.take(kept)
    return Columns(layout, projected, kept + 1, where, row_text, fmt, shown), header.problems
