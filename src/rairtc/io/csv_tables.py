"""A folder of CSV tables (``patients.csv``, ``rai_courses.csv``, ...), UTF-8, header row.

Cells are text; an empty cell is unknown. Booleans are written ``true``/``false``, dates
ISO 8601, numbers in their shortest exact form.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.records import Patient
from rairtc.io.layout import TABLES, Assembled, Table, assemble, column_names, flatten, locator
from rairtc.io.malformed import malformed


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_csv_folder(patients: Sequence[Patient], folder: FsPath) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in flatten(patients).items():
        names = column_names(table)
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(names)
            for row in rows:
                writer.writerow([_cell(row[name]) for name in names])


def read_csv_folder(folder: FsPath, *, lenient: bool = False) -> Assembled:
    tables: dict[str, Table] = {}
    for table in TABLES:
        path = folder / f"{table}.csv"
        if not path.exists():
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig")
            reader = list(csv.reader(io.StringIO(text, newline="")))
        except (UnicodeDecodeError, csv.Error) as error:
            raise malformed(path.name, "CSV", str(error)) from None
        header = [h.strip() for h in reader[0]] if reader else []
        rows = [r for r in reader[1:] if any(cell.strip() for cell in r)]
        for number, row in enumerate(rows):
            if len(row) > len(header):
                raise malformed(
                    f"{path.name} line {number + 2}",
                    "CSV",
                    f"{len(row)} cells for {len(header)} columns",
                )
        tables[table] = Table(
            header, rows, locator(path.name + " line {row}", path.name + " header", 2)
        )
    return assemble(tables, lenient=lenient)
