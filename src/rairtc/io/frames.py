"""A registry held as pandas DataFrames in the table layout (``{"patients": df, ...}``).

The frames go through the same header and cell readers as every table format, so ``NaN``,
``pd.NA`` and ``NaT`` are missing values and a ``3,7`` typed in a notebook reads as 3.7.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rairtc.io.cells import Tally
from rairtc.io.grid import assemble_named, rows_named, typed_table
from rairtc.io.headers import find_tables
from rairtc.io.layout import Assembled, Table


def read_frames(frames: Mapping[str, Any], *, lenient: bool = False) -> Assembled:
    """Source patients from DataFrames keyed by table name (any case, Russian or Kazakh)."""
    tally = Tally()
    names, problems = find_tables(frames, lambda name: f"table {name}", tally)
    tables: dict[str, Table] = {}
    for table, name in names.items():
        frame = frames[name]
        columns = [str(c) for c in frame.columns]
        rows = list(frame.itertuples(index=False, name=None))
        tables[table], found = typed_table(
            table,
            f"table {name}",
            columns,
            rows,
            row_text=rows_named(f"table {name} row"),
            tally=tally,
            lenient=lenient,
        )
        problems += found
    return assemble_named(tables, problems, tally, lenient)
