"""Read and validate a registry a chunk of whole patients at a time, in bounded memory.

:func:`rairtc.io.registry.load_registry` holds every patient three times (the rows, the
source records, the validated records: about 42 KB a patient), so a million patients do not
fit in a workstation's memory. :func:`load_chunks` yields the same outcome in pieces: each
:class:`~rairtc.io.registry.Loaded` holds the validated records of a run of consecutive
patients with all of their rows, and the union of the pieces is what ``load_registry``
returns (the same records, problems, orphan rows and normalisation counts).

What is read how:

* Parquet folders are kept as Arrow columns (``rairtc.io.columnar``); only the rows of one
  chunk become Python values.
* CSV folders, Excel workbooks, DuckDB and SQLite files are read as rows, as today; the
  patients are assembled and validated one chunk at a time.
* JSON Lines is streamed line by line (read twice: once to check the file and find shared
  ids, once to yield the chunks).
* JSON and the exchange formats (REDCap, FHIR, OMOP) are read whole and validated chunk by
  chunk.

Checks across patients need only small state gathered before the first chunk: the ids held
by more than one patient (an error on each of them) and, for tables, which chunk each
``patient_id`` belongs to (a row whose patient is in no chunk goes to the last chunk, where
it is reported as an orphan). A file that is malformed, or tables that cannot be read as
tables, raise :class:`~rairtc.core.errors.InvalidInput` when :func:`load_chunks` is called,
before any chunk is yielded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from rairtc.core.errors import InvalidInput
from rairtc.core.messages import Problem
from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters
from rairtc.core.source import SourcePatient
from rairtc.i18n import translate
from rairtc.io.cells import Tally, read_row
from rairtc.io.layout import STRUCTURAL, Assembled, Table, assemble, missing_columns
from rairtc.io.layout import patients_missing as _patients_missing

if TYPE_CHECKING:
    from rairtc.io.grid import TableSet
    from rairtc.io.registry import CsvOptions, Loaded

T = TypeVar("T")

DEFAULT_CHUNK_SIZE = 2_000
"""Patients a chunk holds: about 100 MB of Python objects, and few enough chunks that the
per-chunk cost (one Arrow ``take`` per table) stays small beside validation."""


class Chunks(Iterator["Loaded"]):
    """The chunks of a registry, and how many patients they hold in all (for a progress
    display; None when it is not known before reading)."""

    def __init__(
        self, chunks: Iterator[Loaded], patients: int | None, plan: _TablePlan | None = None
    ) -> None:
        self._chunks = chunks
        self.patients = patients
        self._plan = plan

    def __next__(self) -> Loaded:
        return next(self._chunks)

    def map(self, fn: Callable[[Loaded], T], *, workers: int = 1) -> Iterator[T]:
        """``fn`` of every chunk, in chunk order, instead of iterating the chunks.

        With ``workers`` > 1, a registry of tables and the ``fork`` start method (Linux),
        the chunks are read and ``fn`` runs in that many worker processes; ``fn`` must be a
        module-level function and its results must pickle (keep them small: problems and
        counts, not the records). Otherwise the chunks are read here, one by one.
        """
        import multiprocessing

        plan = self._plan
        if (
            workers <= 1
            or plan is None
            or plan.chunks < 2
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            return (fn(chunk) for chunk in self)
        return _forked(plan, fn, workers)


class Part(Protocol):
    """One table of a registry, rows kept however the reader keeps them."""

    @property
    def columns(self) -> list[str]: ...

    def __len__(self) -> int: ...

    def location(self, index: int) -> str: ...

    def values(self, column: str) -> tuple[list[Any], Any]: ...

    def take(self, rows: Sequence[int]) -> Table: ...


@dataclass
class Rows:
    """A table read as Python rows (CSV, Excel, DuckDB, SQLite) seen as a :class:`Part`."""

    table: Table

    @property
    def columns(self) -> list[str]:
        return self.table.columns

    def __len__(self) -> int:
        return len(self.table.rows)

    def location(self, index: int) -> str:
        return self.table.location(index)

    def values(self, column: str) -> tuple[list[Any], Any]:
        from rairtc.io.columnar import distinct_values

        position = self.table.columns.index(column)
        return distinct_values(
            [row[position] if position < len(row) else None for row in self.table.rows]
        )

    def take(self, rows: Sequence[int]) -> Table:
        whole = self.table
        picked = [int(i) for i in rows]

        def location(index: int) -> str:
            return whole.location(index if index < 0 else picked[index])

        return Table(
            whole.columns,
            [whole.rows[i] for i in picked],
            location,
            [whole.number(i) for i in picked],
            whole.shown,
        )


def load_chunks(
    path: Path,
    *,
    today: date,
    lenient: bool = False,
    params: RuleParameters = DEFAULT_PARAMETERS,
    csv: CsvOptions | None = None,
    chunk_size: int | None = None,
    only: Collection[str] | None = None,
) -> Chunks:
    """The registry at ``path`` read and validated ``chunk_size`` patients at a time.

    ``only``: when given, a registry of tables is read again for these patients alone (the
    second pass of a study that draws a sample): each chunk takes only the rows of the
    patients of its range with one of these ids, and of the rows linked to them, so the other
    patients are neither turned into Python values nor validated. Those patients come out as a
    whole read gives them; file problems and orphan rows are not reported again. Other
    readers ignore it.

    Raises (at the call, before any chunk) what :func:`rairtc.io.registry.load_registry`
    raises: :class:`InvalidInput` for a malformed file or unreadable tables,
    ``InputUnavailable`` for a path that cannot be opened, ``UsageError`` for an unknown
    format. Every patient's rows are in one chunk; the first chunk carries the problems of
    the files themselves, the last the rows that belong to no patient. ``chunk_size``
    defaults to :data:`DEFAULT_CHUNK_SIZE`.
    """
    size = DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size
    if size < 1:
        raise ValueError("chunk_size must be at least 1")
    settings = _Settings(today, lenient, params, size, None if only is None else frozenset(only))
    from rairtc.io.registry import opening

    with opening(path):
        return _plan(path, settings, csv)


@dataclass(frozen=True)
class _Settings:
    today: date
    lenient: bool
    params: RuleParameters
    chunk_size: int
    only: frozenset[str] | None = None


def _plan(path: Path, settings: _Settings, csv: CsvOptions | None) -> Chunks:
    """Everything that can fail on the input is done here, eagerly; the chunks are lazy."""
    from rairtc.io import csv_tables, databases, excel
    from rairtc.io.registry import CsvOptions, Format, input_format, read_sources

    fmt = input_format(path)
    forced = csv or CsvOptions()
    lenient = settings.lenient
    tables: dict[Format, Callable[[], TableSet]] = {
        Format.PARQUET: lambda: _parquet_set(path, lenient),
        Format.CSV: lambda: csv_tables.csv_table_set(
            path, lenient=lenient, encoding=forced.encoding, delimiter=forced.delimiter
        ),
        Format.EXCEL: lambda: excel.excel_table_set(path, lenient=lenient),
        Format.DUCKDB: lambda: databases.duckdb_table_set(path, lenient=lenient, columnar=True),
        Format.SQLITE: lambda: databases.sqlite_table_set(path, lenient=lenient),
    }
    if fmt in tables:
        return _table_chunks(tables[fmt](), settings)
    if fmt is Format.JSONL:
        return _jsonl_chunks(path, settings)
    assembled = read_sources(path, lenient=lenient, csv=csv)
    _raise_structural(assembled.problems)
    return Chunks(_source_chunks(assembled, settings), len(assembled.sources))


def _raise_structural(problems: Sequence[Problem]) -> None:
    if any(p.is_error and p.code in STRUCTURAL for p in problems):
        code = "io.layout_unreadable"
        raise InvalidInput(translate(code), list(problems), code=code)


def _parquet_set(folder: Path, lenient: bool) -> TableSet:
    """The Parquet tables kept as Arrow columns (:mod:`rairtc.io.columnar`)."""
    from rairtc.io.columnar import arrow_table
    from rairtc.io.grid import TableSet, rows_named
    from rairtc.io.parquet_tables import parquet_files, read_arrow, rows_table

    tally = Tally()
    paths, problems = parquet_files(folder, tally)
    parts: dict[str, Any] = {}
    for table, file in paths.items():
        arrow = read_arrow(file)
        read = arrow_table(
            table,
            file.name,
            arrow,
            row_text=rows_named(f"{file.name} row"),
            fmt="Parquet",
            tally=tally,
            lenient=lenient,
        )
        if read is None:  # no column is named: read as the grid reader reads it
            parts[table], found = rows_table(table, file, arrow, tally, lenient)
        else:
            parts[table], found = read
        problems += found
    return TableSet(parts, problems, tally)


def _part(table: Any) -> Part:
    if isinstance(table, Table):
        return Rows(table)
    part: Part = table
    return part


def _shared(ids: Mapping[str, int]) -> frozenset[str]:
    return frozenset(pid for pid, count in ids.items() if count > 1)


def _validate(
    sources: Sequence[SourcePatient], settings: _Settings, shared: frozenset[str]
) -> list[Any]:
    from rairtc.core.validation import validate_registry

    return validate_registry(
        sources,
        today=settings.today,
        lenient=settings.lenient,
        params=settings.params,
        shared=shared,
    )


# -- tables --------------------------------------------------------------------------------


def _read_value(table: str, column: str, value: Any) -> Any:
    """A link cell as the assembler reads it (its normalisations are counted there)."""
    row, _ = read_row(table, {column: value}, Tally())
    return row.get(column)


def _text(value: Any) -> str | None:
    from rairtc.io.layout import _text as link_text

    return link_text(value)


def _patient_id(value: Any) -> str | None:
    """As :attr:`rairtc.core.source.SourcePatient.patient_id` names a patient."""
    return None if value is None or value == "" else str(value)


def _table_chunks(found: TableSet, settings: _Settings) -> Chunks:
    from rairtc.io.registry import Loaded

    if found.unreadable:
        problems = [*found.problems, *found.after]
        _raise_structural(problems)
        return Chunks(iter([Loaded([], problems, tally=found.tally)]), 0)
    parts = {name: _part(table) for name, table in found.tables.items()}
    structural = missing_columns({n: p.columns for n, p in parts.items()}, parts)
    filled = [name for name, part in parts.items() if len(part)]
    if not structural and "patients" not in parts and filled:
        structural = [_patients_missing(filled, parts)]
    if structural:
        _raise_structural([*found.problems, *structural, *found.after])
    plan = _table_plan(found, parts, settings)
    return Chunks((plan.chunk(c) for c in range(plan.chunks)), plan.count, plan)


@dataclass
class _TablePlan:
    """Which rows of every table each chunk takes: enough to read any chunk on its own."""

    found: TableSet
    parts: dict[str, Part]
    settings: _Settings
    count: int
    chunks: int
    shared: frozenset[str]
    rows: dict[str, tuple[Any, Any]]  # table -> (row order by chunk, chunk bounds)
    # settings.only: per table, whether each row belongs to one of those patients
    wanted: dict[str, Any] | None = None

    def chunk(self, chunk: int) -> Loaded:
        from rairtc.io.registry import Loaded

        size = self.settings.chunk_size
        tables: dict[str, Table] = {}
        for name, part in self.parts.items():
            if name == "patients":
                rows: Sequence[int] = range(chunk * size, min(self.count, (chunk + 1) * size))
            elif name in self.rows:
                order, bounds = self.rows[name]
                rows = order[bounds[chunk] : bounds[chunk + 1]]
            else:
                rows = []
            if self.wanted is not None and name in self.wanted and len(rows):
                import numpy as np

                picked = np.asarray(rows, dtype=np.int64)
                rows = picked[self.wanted[name][picked]]
            tables[name] = part.take(rows)
        tally = self.found.tally if chunk == 0 else Tally()
        assembled = assemble(tables, lenient=self.settings.lenient, tally=tally)
        del tables
        if self.wanted is not None:  # a second reading: the patients alone
            return Loaded(_validate(assembled.sources, self.settings, self.shared))
        problems = [*(self.found.problems if chunk == 0 else []), *assembled.problems]
        if chunk == self.chunks - 1:
            problems += self.found.after
        validated = _validate(assembled.sources, self.settings, self.shared)
        return Loaded(validated, problems, assembled.orphans, tally)


def _table_plan(found: TableSet, parts: dict[str, Part], settings: _Settings) -> _TablePlan:
    import numpy as np

    size = settings.chunk_size
    patients = parts.get("patients")
    count = len(patients) if patients is not None else 0
    chunks = max(1, -(-count // size))
    owner: dict[str, int] = {}
    ids: Counter[str] = Counter()
    only = settings.only
    wanted: dict[str, Any] | None = None if only is None else {}
    links_wanted: set[str] = set()
    if patients is not None and count:
        distinct, index = patients.values("id")
        read = [_read_value("patients", "id", v) for v in distinct]
        links = [_text(v) for v in read]
        names = [_patient_id(v) for v in read]
        for row, d in enumerate(index.tolist()):
            link, name = links[d], names[d]
            if link is not None and link not in owner:
                owner[link] = row // size
            if name is not None:
                ids[name] += 1
        if wanted is not None and only is not None:
            chosen = np.array([name in only for name in names], dtype=bool)
            wanted["patients"] = chosen[index]
            links_wanted = {link for link, c in zip(links, chosen, strict=True) if c and link}
    plans: dict[str, tuple[Any, Any]] = {}
    for name, part in parts.items():
        if name == "patients" or not len(part):
            continue
        distinct, index = part.values("patient_id")
        linked = [_text(_read_value(name, "patient_id", v)) for v in distinct]
        where = np.array([owner.get(link or "", -1) for link in linked], dtype=np.int64)
        where[where < 0] = chunks - 1  # no such patient: reported with the last chunk
        chunk_of_row = where[index]
        order = np.argsort(chunk_of_row, kind="stable")
        bounds = np.searchsorted(chunk_of_row[order], np.arange(chunks + 1))
        plans[name] = (order, bounds)
        if wanted is not None:
            wanted[name] = np.array([link in links_wanted for link in linked], dtype=bool)[index]
    return _TablePlan(found, parts, settings, count, chunks, _shared(ids), plans, wanted)


_WORK: tuple[_TablePlan, Callable[[Loaded], Any]] | None = None
"""The plan and function of :func:`_forked`, inherited by its forked workers."""


def _work(chunk: int) -> Any:
    assert _WORK is not None
    plan, fn = _WORK
    return fn(plan.chunk(chunk))


def _forked(plan: _TablePlan, fn: Callable[[Loaded], T], workers: int) -> Iterator[T]:
    """``fn`` of every chunk, in order, computed by ``workers`` forked processes that share
    the parent's columns (copy on write) and send back only ``fn``'s results."""
    import gc
    import multiprocessing

    global _WORK
    _WORK = (plan, fn)
    # The parent's objects (a study's frame and bulk outcomes: a million of each) moved out
    # of the collector's reach before the fork: a worker's full collection would otherwise
    # write to every one of them and copy the parent's whole heap into each worker.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            gc.unfreeze()
            yield from pool.imap(_work, range(plan.chunks))
    finally:
        gc.unfreeze()
        _WORK = None


# -- patients read whole (JSON, exchange formats) ------------------------------------------


def _source_chunks(assembled: Assembled, settings: _Settings) -> Iterator[Loaded]:
    from rairtc.io.registry import Loaded

    ids = Counter(s.patient_id for s in assembled.sources if s.patient_id is not None)
    shared = _shared(ids)
    pending = assembled.sources[::-1]  # popped from the end: each chunk's records are freed
    assembled.sources = []
    first = True
    while first or pending:
        take = min(settings.chunk_size, len(pending))
        sources = [pending.pop() for _ in range(take)]
        validated = _validate(sources, settings, shared)
        if first:
            yield Loaded(validated, assembled.problems, assembled.orphans, assembled.tally)
            first = False
        else:
            yield Loaded(validated)


# -- JSON Lines, streamed ------------------------------------------------------------------


def _jsonl_chunks(path: Path, settings: _Settings) -> Chunks:
    from rairtc.io.json_files import stream_jsonl

    ids: Counter[str] = Counter()
    count = 0
    for source in stream_jsonl(path):
        count += 1
        if source.patient_id is not None:
            ids[source.patient_id] += 1
    return Chunks(_streamed(path, settings, _shared(ids)), count)


def _streamed(path: Path, settings: _Settings, shared: frozenset[str]) -> Iterator[Loaded]:
    from rairtc.io.json_files import stream_jsonl
    from rairtc.io.registry import Loaded

    sources: list[SourcePatient] = []
    yielded = False
    for source in stream_jsonl(path):
        sources.append(source)
        if len(sources) == settings.chunk_size:
            yield Loaded(_validate(sources, settings, shared))
            sources, yielded = [], True
    if sources or not yielded:
        yield Loaded(_validate(sources, settings, shared))
