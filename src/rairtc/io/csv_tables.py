"""A folder of CSV tables (``patients.csv``, ``rai_courses.csv``, ...), header row.

Written as UTF-8 with ``,``; read in UTF-8 (with or without BOM), UTF-16 or cp1251, separated
by ``,``, ``;`` or tab. Cells are text; an empty cell is unknown. Booleans are written ``true``/``false``, dates
ISO 8601, numbers in their shortest exact form.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.messages import Problem
from rairtc.core.records import Patient
from rairtc.io.cells import Tally
from rairtc.io.folders import unread_files
from rairtc.io.grid import TableSet, assemble_set, grid_table
from rairtc.io.headers import find_tables
from rairtc.io.layout import TABLES, Assembled, Table, column_names
from rairtc.io.malformed import malformed
from rairtc.io.sinks import TableSink


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
    sink = CsvSink(folder)
    sink.add(patients)
    sink.close()


class CsvSink(TableSink):
    """Every table's file open from the start; each chunk's rows appended."""

    def __init__(self, folder: FsPath) -> None:
        super().__init__()
        folder.mkdir(parents=True, exist_ok=True)
        self.files: dict[str, Any] = {}
        self.writers: dict[str, Any] = {}
        for table in TABLES:
            out = (folder / f"{table}.csv").open("w", encoding="utf-8", newline="")
            self.files[table] = out
            self.writers[table] = csv.writer(out)
            self.writers[table].writerow(column_names(table))

    def rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        names = column_names(table)
        self.writers[table].writerows([_cell(row[name]) for name in names] for row in rows)

    def close(self) -> None:
        for out in self.files.values():
            out.close()


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 with BOM"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}
_SHOWN = {",": ",", ";": ";", "\t": "tab"}


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """(text, the encoding as reported): a BOM decides, then UTF-8, then cp1251.

    cp1251 (Windows Cyrillic) is what Russian-locale Excel writes for "CSV"; UTF-16 is its
    "Unicode text". ``encoding`` forces one.
    """
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as error:
            raise malformed(name, "CSV", f"not {encoding} text ({error})") from None
        return text.removeprefix("\ufeff"), encoding
    for bom, codec, shown in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).removeprefix("\ufeff"), shown
            except UnicodeDecodeError as error:
                raise malformed(name, "CSV", f"not {shown} text ({error})") from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError as error:
        raise malformed(
            name, "CSV", f"neither UTF-8 nor cp1251 text (byte {error.start}); use --encoding"
        ) from None


def sniff_delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of ``,`` ``;`` and tab outside
    quotes (a comma when none occurs)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys((",", ";", "\t"), 0)
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def csv_files(folder: FsPath, tally: Tally) -> tuple[dict[str, FsPath], list[Problem]]:
    """table -> its file (``patients.csv``, ``Patients.csv``, ``Пациенты.csv``)."""
    files = {p.stem: p for p in sorted(folder.iterdir()) if p.suffix.lower() == ".csv"}
    found, problems = find_tables(files, lambda stem: files[stem].name, tally)
    return {table: files[stem] for table, stem in found.items()}, problems


def read_csv_folder(
    folder: FsPath,
    *,
    lenient: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Assembled:
    """Every CSV file of ``folder`` that names a table; the encoding and separator are
    detected per file (and reported when not UTF-8 and ``,``) unless forced."""
    found = csv_table_set(folder, lenient=lenient, encoding=encoding, delimiter=delimiter)
    return assemble_set(found, lenient)


def csv_table_set(
    folder: FsPath,
    *,
    lenient: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> TableSet:
    """The tables of :func:`read_csv_folder`, not yet assembled into patients."""
    tally = Tally()
    paths, problems = csv_files(folder, tally)
    problems += unread_files(folder, paths.values(), "CSV")
    tables: dict[str, Table] = {}
    for table, path in paths.items():
        text, shown_encoding = decode(path.read_bytes(), path.name, encoding)
        sep = DELIMITERS[delimiter] if delimiter is not None else sniff_delimiter(text)
        if (shown_encoding, sep) != ("UTF-8", ",") and encoding is None:
            tally.add(
                "normalised.csv_dialect",
                file=path.name,
                encoding=shown_encoding,
                delimiter=_SHOWN[sep],
            )
        tables[table], found = _table(table, path.name, text, sep, tally, lenient)
        problems += found
    return TableSet(tables, problems, tally)


def _table(
    table: str, name: str, text: str, sep: str, tally: Tally, lenient: bool
) -> tuple[Table, list[Problem]]:
    grid: list[tuple[int, list[str]]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        end = 0
        for row in reader:
            grid.append((end + 1, row))  # the line the record starts on
            end = reader.line_num
    except csv.Error as error:
        raise malformed(f"{name} line {end + 1}", "CSV", str(error)) from None
    filled = [(n, r) for n, r in grid if any(c.strip() for c in r)]
    if filled:
        width = len(filled[0][1])
        named = max(i for i, c in enumerate(filled[0][1]) if c.strip()) + 1
        for number, row in filled[1:]:
            if (len(row) > width and any(c.strip() for c in row[width:])) or len(row) < named:
                raise malformed(
                    f"{name} line {number}", "CSV", f"{len(row)} cells for {named} columns"
                )
    return grid_table(
        table,
        name,
        grid,
        row_text=lambda n: f"{name} line {n}",
        column_shown=lambda i: f"column {i + 1}",
        cell_column=lambda _i, header, column: None if header == column else f"column '{header}'",
        tally=tally,
        lenient=lenient,
    )
