"""An Excel workbook: one sheet per table, a header row, dates as date cells."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.records import Patient
from rairtc.io.layout import TABLES, Assembled, Table, assemble, column_names, flatten, locator
from rairtc.io.malformed import malformed


def write_excel(patients: Sequence[Patient], path: FsPath) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table, rows in flatten(patients).items():
        sheet = book.create_sheet(table)
        names = column_names(table)
        sheet.append(names)
        for number, row in enumerate(rows, start=2):
            sheet.append([row[name] for name in names])
            for column, name in enumerate(names, start=1):
                if isinstance(row[name], str) and row[name].startswith("="):
                    cell = sheet.cell(number, column)  # text, never a formula
                    cell.value, cell.data_type = row[name], "s"
        for column, name in enumerate(names, start=1):
            if any(isinstance(row[name], date) for row in rows):
                for cell in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell[0].number_format = "yyyy-mm-dd"
    book.save(path)


def _value(cell: Any) -> Any:
    if isinstance(cell, datetime):
        return cell.date() if cell.time() == datetime.min.time() else cell
    return cell


def read_excel(path: FsPath, *, lenient: bool = False) -> Assembled:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError or its own errors
        raise malformed(path.name, "Excel (.xlsx)", str(error) or type(error).__name__) from None
    tables: dict[str, Table] = {}
    for table in TABLES:
        if table not in book.sheetnames:
            continue
        values = [tuple(_value(c) for c in row) for row in book[table].iter_rows(values_only=True)]
        header = [str(h).strip() for h in values[0] if h is not None] if values else []
        rows = [r[: len(header)] for r in values[1:] if any(c not in (None, "") for c in r)]
        tables[table] = Table(
            header, rows, locator(f"sheet {table} row {{row}}", f"sheet {table}", 2)
        )
    book.close()
    return assemble(tables, lenient=lenient)
