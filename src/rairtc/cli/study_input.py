"""The registry of ``rairtc study`` read a chunk of patients at a time, and the engine that
classifies it (``--engine reference|bulk|auto``).

The study reads the registry twice (:func:`rairtc.study.run.run_study_chunks`): the first pass
sees every record, so it is where the registry is validated, all or nothing as before (or
with ``--skip-invalid``, the invalid patients listed): nothing is analysed or written before
the last chunk has been checked. The bulk engine then reads the same tables as stored, so it
classifies validated data; it is used only when the reader changed nothing on the way (no
normalised value, no ``--lenient``, ``--encoding`` or ``--delimiter``), since the bulk engine
would read those values as they are stored.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from rairtc.cli.errors import print_problems, say, usage_error
from rairtc.core.errors import InvalidInput

if TYPE_CHECKING:
    from rairtc.cli.registry_input import Rejected
    from rairtc.core.messages import Problem
    from rairtc.core.parameters import RuleParameters
    from rairtc.core.records import Patient
    from rairtc.io.cells import Tally
    from rairtc.io.registry import CsvOptions, Loaded
    from rairtc.study.in_bulk import BulkTables


class StudyEngine(StrEnum):
    REFERENCE = "reference"
    BULK = "bulk"
    AUTO = "auto"


EngineOption = Annotated[
    StudyEngine,
    typer.Option(
        "--engine",
        help="auto (the bulk engine when more than 5,000 patients are analysed from a Parquet "
        "or CSV folder or a .duckdb file, else the reference engine), reference, or bulk. The "
        "registry is validated first either way and results.json is the same.",
    ),
]

CHUNK_SIZE = 5_000
"""Patients read at a time (pass 1 and pass 2)."""

T = TypeVar("T")


@dataclass
class Note:
    """What the first pass keeps of one chunk besides the study's own part: its problems,
    the rejected records, and the reader's normalisations (small, sent back by a worker)."""

    problems: list[Problem]
    rejected: list[Rejected]
    invalid: int
    valid: int
    tally: Tally


def _noted(
    loaded: Loaded, fn: Callable[[Sequence[Patient]], T], first: bool
) -> tuple[Note | None, T]:
    """``fn`` of a chunk's valid patients and, in the first pass, the chunk's :class:`Note`
    (run where the chunk is read: in a worker process or here)."""
    from rairtc.cli.registry_input import _rejections

    patients = loaded.patients
    if not first:
        return None, fn(patients)
    rejected, invalid = _rejections(loaded)
    return Note(loaded.problems, rejected, invalid, len(patients), loaded.tally), fn(patients)


def workers() -> int:
    """The cores this process may use (the reference engine's forked workers)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class RegistryChunks:
    """The registry as chunks of valid patients; every call reads it again. The first pass
    also collects every problem and, once the last chunk is read, refuses an invalid registry
    (or reports the patients ``--skip-invalid`` leaves out), as ``open_registry`` does for a
    registry read whole."""

    def __init__(
        self,
        path: Path,
        *,
        today: date,
        lenient: bool,
        params: RuleParameters,
        skip_invalid: bool,
        csv: CsvOptions | None,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        from rairtc.io.cells import Tally

        self.path, self.today, self.lenient, self.params = path, today, lenient, params
        self.skip_invalid, self.csv, self.chunk_size = skip_invalid, csv, chunk_size
        self.passes = 0
        self.problems: list[Problem] = []
        self.rejected: list[Rejected] = []
        self.invalid_patients = 0
        self.valid_patients = 0
        self.tally: Tally = Tally()

    def __call__(self) -> Iterator[list[Patient]]:
        return self.map(list, workers=1)

    def map(
        self,
        fn: Callable[[Sequence[Patient]], T],
        workers: int,
        only: frozenset[str] | None = None,
    ) -> Iterator[T]:
        """``fn`` of every chunk's valid patients, in chunk order, computed by ``workers``
        forked processes that read and validate the chunks themselves (a registry of tables;
        otherwise here, chunk by chunk; ``__call__`` is ``map(list)`` here). The first pass
        checks the registry; a later pass may ask for ``only`` some patients (the others may be left out
        of the chunks unread: :func:`rairtc.io.chunks.load_chunks`)."""
        from rairtc.io.chunks import load_chunks

        first = self.passes == 0
        self.passes += 1
        chunks = load_chunks(
            self.path,
            today=self.today,
            lenient=self.lenient,
            params=self.params,
            csv=self.csv,
            chunk_size=self.chunk_size,
            only=None if first else only,
        )
        for note, result in chunks.map(partial(_noted, fn=fn, first=first), workers=workers):
            if note is not None:
                self._note(note)
            yield result
        if first:
            self._check()

    def _note(self, note: Note) -> None:
        self.problems += note.problems
        self.rejected += note.rejected
        self.invalid_patients += note.invalid
        self.valid_patients += note.valid
        self.tally.update(note.tally)

    def _check(self) -> None:
        from rairtc.cli.registry_input import print_rejected

        errors = sum(1 for p in self.problems if p.is_error)
        if errors and not self.skip_invalid:
            message = say("cli.registry_invalid", errors=errors, name=self.path.name)
            raise InvalidInput(message, self.problems)
        print_problems([p for p in self.problems if not p.is_error])
        print_rejected(self.rejected)
        if self.skip_invalid and not self.valid_patients:
            raise InvalidInput(say("cli.nothing_valid", name=self.path.name), self.problems)

    @property
    def read_as_stored(self) -> bool:
        """Whether the records are the tables' values as stored (what the bulk engine reads):
        nothing normalised, no lenient reading, no CSV encoding or delimiter given."""
        csv_given = self.csv is not None and (
            self.csv.encoding is not None or self.csv.delimiter is not None
        )
        return not (self.tally.counts or self.lenient or csv_given)


def bulk_chooser(
    engine: StudyEngine, registry: Path | None, chunks: RegistryChunks | None
) -> Callable[[int], BulkTables | None] | None:
    """What :func:`rairtc.study.run.run_study_chunks` asks after its first pass, with the number
    of analysed patients: the tables to classify in bulk, or None (the reference engine)."""
    if engine is StudyEngine.REFERENCE:
        return None
    from rairtc.bulk import AUTO_BULK_THRESHOLD
    from rairtc.bulk.api import is_table_source

    readable = registry is not None and chunks is not None and is_table_source(registry)
    if engine is StudyEngine.BULK and not readable:
        raise usage_error("cli.study_bulk_tables", name=registry.name if registry else "--demo")
    if not readable or registry is None or chunks is None:
        return None
    from rairtc.study.in_bulk import BulkTables

    tables, loaded, name = BulkTables(registry), chunks, registry.name

    def choose(analysed: int) -> BulkTables | None:
        if engine is StudyEngine.AUTO and analysed <= AUTO_BULK_THRESHOLD:
            return None
        if not loaded.read_as_stored:
            if engine is StudyEngine.BULK:
                raise usage_error("cli.study_bulk_as_stored", name=name)
            return None
        print(say("cli.study_bulk", count=analysed), file=sys.stderr)
        return tables

    return choose
