"""An Excel workbook: one sheet per table, a header row, dates as date cells."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.messages import Problem
from rairtc.core.records import Patient
from rairtc.io.cells import Tally
from rairtc.io.grid import assemble_named, grid_table, rows_named
from rairtc.io.headers import find_tables
from rairtc.io.layout import Assembled, Table, column_names, flatten
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
    """Every sheet that names a table (``patients``, ``Patients``, ``Пациенты``, ...)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError or its own errors
        raise malformed(path.name, "Excel (.xlsx)", str(error) or type(error).__name__) from None
    tally = Tally()
    problems: list[Problem] = []
    sheets, duplicates = find_tables(book.sheetnames, lambda name: f"sheet {name}", tally)
    problems += duplicates
    tables: dict[str, Table] = {}
    for table, name in sheets.items():
        grid = [
            (number, tuple(_value(c) for c in row))
            for number, row in enumerate(
                book[name].iter_rows(min_row=1, min_col=1, values_only=True), start=1
            )
        ]
        tables[table], found = grid_table(
            table,
            f"sheet {name}",
            grid,
            row_text=rows_named(f"sheet {name} row"),
            column_shown=lambda i: f"column {get_column_letter(i + 1)}",
            cell_column=lambda i, _header, _name: f"column {get_column_letter(i + 1)}",
            tally=tally,
            lenient=lenient,
        )
        problems += found
    book.close()
    return assemble_named(tables, problems, tally, lenient)
