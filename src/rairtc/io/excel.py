"""An Excel workbook: one sheet per table, a header row, dates as date cells."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.errors import InvalidInput
from rairtc.core.messages import Problem
from rairtc.core.records import Patient
from rairtc.io.cells import Tally
from rairtc.io.grid import TableSet, assemble_set, grid_table, rows_named
from rairtc.io.headers import find_tables, unknown_tables
from rairtc.io.layout import TABLES, Assembled, Table, column_names
from rairtc.io.malformed import malformed
from rairtc.io.sinks import TableSink


def write_excel(patients: Sequence[Patient], path: FsPath) -> None:
    sink = ExcelSink(path)
    sink.add(patients)
    sink.close()


class ExcelSink(TableSink):
    """Write-only mode: rows are streamed to the sheet files as they come, so memory stays
    at one chunk's rows (openpyxl's normal mode keeps a cell object per value)."""

    def __init__(self, path: FsPath) -> None:
        from openpyxl import Workbook

        super().__init__()
        self.path = path
        self.book = Workbook(write_only=True)
        self.sheets = {table: self.book.create_sheet(table) for table in TABLES}
        for table, sheet in self.sheets.items():
            sheet.append(column_names(table))

    def rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        from openpyxl.cell import WriteOnlyCell

        sheet = self.sheets[table]
        names = column_names(table)

        def cell(value: Any) -> Any:
            if isinstance(value, date):
                dated = WriteOnlyCell(sheet, value=value)
                dated.number_format = "yyyy-mm-dd"
                return dated
            if isinstance(value, str) and value.startswith("="):
                text = WriteOnlyCell(sheet, value=value)
                text.data_type = "s"  # text, never a formula
                return text
            return value

        for row in rows:
            sheet.append([cell(row[name]) for name in names])

    def close(self) -> None:
        self.book.save(self.path)


def _blank_at(cells: Sequence[Any], index: int) -> bool:
    return index >= len(cells) or cells[index] is None or cells[index] == ""


def _value(cell: Any) -> Any:
    if isinstance(cell, datetime):
        return cell.date() if cell.time() == datetime.min.time() else cell
    return cell


def read_excel(path: FsPath, *, lenient: bool = False) -> Assembled:
    """Every sheet that names a table (``patients``, ``Patients``, ``Пациенты``, ...); any
    other sheet is reported. A workbook that is no zip, or whose sheet XML is broken, is a
    malformed file (exit 65), whatever openpyxl, zipfile, zlib or the XML parser raise."""
    return assemble_set(excel_table_set(path, lenient=lenient), lenient)


def excel_table_set(path: FsPath, *, lenient: bool = False) -> TableSet:
    """The sheets of :func:`read_excel`, not yet assembled into patients."""
    try:
        return _read_book(path, lenient=lenient)
    except InvalidInput:
        raise
    except (OSError, MemoryError):
        raise
    except Exception as error:  # zipfile, zlib, XML, KeyError, ValueError, openpyxl's own
        raise malformed(path.name, "Excel (.xlsx)", _reason(error)) from None


def _reason(error: BaseException) -> str:
    text = (str(error).splitlines() or [""])[0]
    return f"{type(error).__name__}: {text[:120]}" if text else type(error).__name__


def _has_formulas(path: FsPath) -> bool:
    """Whether any worksheet holds a formula cell (``<f>``), read in chunks: the second,
    slower pass over the cells runs only for workbooks that have formulas."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/"):
                continue
            tail = b""
            with archive.open(name) as sheet:
                while chunk := sheet.read(1 << 20):
                    if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                        return True
                    tail = chunk[-3:]
    return False


def _formulas(path: FsPath, sheet: str) -> dict[tuple[int, int], str]:
    """(row, column) -> formula of every formula cell of ``sheet`` (read without values)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        return {
            (cell.row, cell.column): str(cell.value)
            for row in book[sheet].iter_rows()
            for cell in row
            if getattr(cell, "data_type", None) == "f"
        }
    finally:
        book.close()


def _read_book(path: FsPath, *, lenient: bool) -> TableSet:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(path, read_only=True, data_only=True)
    tally = Tally()
    problems: list[Problem] = []
    sheets, duplicates = find_tables(book.sheetnames, lambda name: f"sheet {name}", tally)
    problems += duplicates
    problems += unknown_tables(book.sheetnames, lambda name: f"sheet {name}")
    formulas = _has_formulas(path)
    tables: dict[str, Table] = {}
    for table, name in sheets.items():
        grid = [
            (number, tuple(_value(c) for c in row))
            for number, row in enumerate(
                book[name].iter_rows(min_row=1, min_col=1, values_only=True), start=1
            )
        ]
        uncached = [
            (row, column)
            for row, column in (_formulas(path, name) if formulas else {})
            if row <= len(grid) and _blank_at(grid[row - 1][1], column - 1)
        ]
        problems += [
            Problem(
                "validation.formula_uncached",
                None,
                f"sheet {name}, cell {get_column_letter(column)}{row}",
                None,
                {"cell": f"{get_column_letter(column)}{row}"},
            )
            for row, column in uncached
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
    return TableSet(tables, problems, tally)
