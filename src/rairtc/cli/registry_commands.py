"""``rairtc validate`` and ``rairtc convert``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO, TypeVar

import typer

from rairtc.cli.errors import print_problems, reports_errors, say, usage_error
from rairtc.cli.exchange_commands import To
from rairtc.cli.options import (
    CsvDelimiter,
    CsvEncoding,
    Lang,
    Lenient,
    TableOrJson,
    Today,
    parse_date,
)
from rairtc.cli.registry_input import Demo
from rairtc.core.errors import InvalidInput

X = TypeVar("X")

if TYPE_CHECKING:
    from rairtc.core.messages import Problem
    from rairtc.core.records import Patient
    from rairtc.core.validation import Validated
    from rairtc.io.chunks import Chunks
    from rairtc.io.registry import CsvOptions, Loaded


def _chunks(
    registry: Path | None,
    demo: bool,
    *,
    today: date,
    lenient: bool,
    csv: CsvOptions | None = None,
) -> Chunks:
    """The registry argument read a chunk of patients at a time (``rairtc.io.chunks``), or
    the bundled demo registry validated like any input (one chunk)."""
    from rairtc.io.chunks import Chunks, load_chunks

    if demo == (registry is not None):
        raise usage_error("cli.registry_or_demo")
    if registry is not None:
        return load_chunks(registry, today=today, lenient=lenient, csv=csv)
    from rairtc.core.source import SourcePatient, json_locations
    from rairtc.core.validation import validate_registry
    from rairtc.io.json_files import patient_to_json
    from rairtc.io.registry import Loaded
    from rairtc.synth.registry import demo_patients

    sources = []
    for i, patient in enumerate(demo_patients()):
        data = patient_to_json(patient)
        sources.append(SourcePatient(data, json_locations(data, f"demo $[{i}]")))
    return Chunks(iter([Loaded(validate_registry(sources, today=today, lenient=lenient))]), 1)


class _Outcome:
    """What a run keeps of the chunks it has read: the problems (files' first, then the
    patients', as a whole-registry read lists them), the counts, the orphan rows. Small
    and picklable: a worker process sends one back per chunk."""

    def __init__(self) -> None:
        from rairtc.io.cells import Tally

        self.file_problems: list[Problem] = []
        self.patient_problems: list[Problem] = []
        self.orphans: list[dict[str, object]] = []
        self.total = 0
        self.invalid = 0
        self.errors = 0
        self.tally = Tally()

    def merge(self, other: _Outcome) -> None:
        self.file_problems += other.file_problems
        self.patient_problems += other.patient_problems
        self.orphans += other.orphans
        self.tally.update(other.tally)
        self.total += other.total
        self.invalid += other.invalid
        self.errors += other.errors

    @property
    def problems(self) -> list[Problem]:
        return [*self.file_problems, *self.patient_problems]


def _summary(chunk: Loaded) -> _Outcome:
    """What the run keeps of one chunk (module level: it runs in worker processes too)."""
    out = _Outcome()
    out.file_problems = list(chunk.file_problems)
    out.orphans = list(chunk.orphans)
    out.tally.update(chunk.tally)
    out.errors = sum(p.is_error for p in chunk.file_problems)
    for v in chunk.validated:
        out.total += 1
        out.invalid += not v.ok
        out.patient_problems += v.problems
        out.errors += sum(p.is_error for p in v.problems)
    return out


WORKERS_FROM = 20_000
"""Patients from which ``validate`` reads chunks in two worker processes (both cores of a
small machine); below it, starting processes costs more than it saves."""


def _workers(chunks: Chunks) -> int:
    import os

    return min(2, os.cpu_count() or 1) if (chunks.patients or 0) >= WORKERS_FROM else 1


def _tracked(
    items: Iterator[X], size: Callable[[X], int], total: int, description: str
) -> Iterator[X]:
    """``items`` (chunks, or their summaries) with a progress display per patient on a
    terminal (cli/progress.py)."""
    from rairtc.cli.progress import tracked

    def patients() -> Iterator[tuple[X, int]]:
        for item in items:
            yield from ((item, i) for i in range(max(1, size(item))))

    for item, i in tracked(patients(), total, description):
        if i == 0:
            yield item


@reports_errors
def validate(
    registry: Annotated[
        Path | None, typer.Argument(help="The registry: a file, a folder of tables.")
    ] = None,
    demo: Demo = False,
    lenient: Lenient = False,
    today: Today = None,
    output: Annotated[
        TableOrJson,
        typer.Option("--format", help="table or json (problems as JSON on stdout)."),
    ] = TableOrJson.TABLE,
    lang: Lang = None,
    encoding: CsvEncoding = None,
    delimiter: CsvDelimiter = None,
) -> None:
    """Check every record; exit 65 listing every problem when any is an error. The summary
    also counts every value the reader normalised (dates, decimal commas, aliases)."""
    from rairtc.cli.registry_input import csv_options

    chunks = _chunks(
        registry,
        demo,
        today=parse_date(today) or date.today(),
        lenient=lenient,
        csv=csv_options(encoding, delimiter),
    )
    outcome = _Outcome()
    pieces = chunks.map(_summary, workers=_workers(chunks))
    for piece in _tracked(pieces, lambda p: p.total, chunks.patients or 0, "validating"):
        outcome.merge(piece)
    problems = outcome.problems
    if output is TableOrJson.JSON:
        json.dump(
            [p.as_dict() for p in problems], sys.stdout, ensure_ascii=False, indent=1, default=str
        )
        sys.stdout.write("\n")
    print_problems(problems)
    errors = outcome.errors
    warnings = len(problems) - errors
    total = outcome.total
    valid = total - outcome.invalid
    print(
        say("cli.validate_summary", total=total, valid=valid, errors=errors, warnings=warnings),
        file=sys.stderr,
    )
    for code, count, values in outcome.tally.entries():
        print("  " + say("cli.normalised", line=say(code, count=count, **values)), file=sys.stderr)
    if errors:
        raise typer.Exit(InvalidInput.exit_code)


@reports_errors
def convert(
    registry: Annotated[
        Path | None,
        typer.Argument(help="The registry to read (leave out with --demo)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Argument(help="Where to write: .json, .jsonl, .xlsx, .duckdb, .sqlite or a folder."),
    ] = None,
    demo: Demo = False,
    parquet: Annotated[
        bool, typer.Option("--parquet", metavar="", help="Write a folder as Parquet, not CSV.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            metavar="FILE",
            help="Write valid records and put invalid ones (with their messages) in FILE (JSON Lines).",
        ),
    ] = None,
    lenient: Lenient = False,
    today: Today = None,
    lang: Lang = None,
    encoding: CsvEncoding = None,
    delimiter: CsvDelimiter = None,
    to: To = None,
) -> None:
    """Write the same records in another format; invalid input writes nothing (exit 65)."""
    from rairtc.cli.registry_input import csv_options
    from rairtc.io.atomic import check_file_target
    from rairtc.io.exchange import Exchange, check_output, write_to
    from rairtc.io.registry import check_output as check_registry_output
    from rairtc.io.registry import output_format, registry_writer

    if demo and out is None:  # `convert --demo OUT`: the one path given is the output
        registry, out = None, registry
    if out is None:
        raise usage_error("cli.convert_output_missing")
    target = Exchange(to.value) if to is not None else None
    if target is None:  # fail on a bad output before reading anything
        check_registry_output(out, output_format(out, parquet=parquet))
    else:
        check_output(out, target)
    if rejects is not None:
        check_file_target(rejects, "--rejects")
        if not rejects.absolute().parent.is_dir():
            raise usage_error("cli.rejects_folder_missing", rejects=rejects, folder=rejects.parent)
    chunks = _chunks(
        registry,
        demo,
        today=parse_date(today) or date.today(),
        lenient=lenient,
        csv=csv_options(encoding, delimiter),
    )
    outcome = _Outcome()
    kept: list[Patient] = []  # exchange formats are written whole, after the rejects
    written = refused = 0
    with ExitStack() as stack:
        sink = (
            None
            if target is not None
            else stack.enter_context(registry_writer(out, parquet=parquet))
        )
        kept_rejects = None if rejects is None else stack.enter_context(_rejects_file(rejects))
        sizes: Callable[[Loaded], int] = lambda chunk: len(chunk.validated)  # noqa: E731
        for chunk in _tracked(chunks, sizes, chunks.patients or 0, "converting"):
            outcome.merge(_summary(chunk))
            if outcome.errors and rejects is None:
                continue  # nothing will be written: the remaining chunks are only checked
            patients = chunk.patients
            if sink is not None:
                sink.add(patients)
            else:
                kept += patients
            refusals = [v for v in chunk.validated if not v.ok]
            if kept_rejects is not None:
                kept_rejects.refused(refusals)
            written += len(patients)
            refused += len(refusals)
        print_problems(outcome.problems)
        if outcome.errors and rejects is None:
            print(f"rairtc: {say('cli.convert_refused', errors=outcome.errors)}", file=sys.stderr)
            raise typer.Exit(InvalidInput.exit_code)  # the temporary output is removed
        if kept_rejects is not None:
            kept_rejects.orphans(outcome.orphans, outcome.file_problems)
    # leaving the block renamed --rejects into place first, then OUT
    fmt = write_to(kept, out, target) if target is not None else output_format(out, parquet=parquet)
    summary = say(
        "cli.convert_summary",
        written=written,
        out=out,
        format=fmt,
        rejected=refused,
    )
    print(summary, file=sys.stderr)


REJECTS_NOTE = (
    "a record refused by validation, kept with its identifiers because --rejects was asked; "
    "keep this file as confidential as the registry"
)


class _Rejects:
    """``--rejects``: one JSON line per refused record, each saying why it is kept."""

    def __init__(self, sink: TextIO) -> None:
        self.sink = sink

    def refused(self, refused: Sequence[Validated]) -> None:
        for v in refused:
            entry = {
                "patient_id": v.source.patient_id,
                "note": REJECTS_NOTE,
                "record": v.source.data,
                "problems": [p.as_dict() for p in v.problems],
            }
            self.sink.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")

    def orphans(self, orphans: Sequence[object], file_problems: Sequence[Problem]) -> None:
        problems = [p.as_dict() for p in file_problems]
        for orphan in orphans:
            entry = {
                "patient_id": None,
                "note": REJECTS_NOTE,
                "record": orphan,
                "problems": problems,
            }
            self.sink.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")


@contextmanager
def _rejects_file(path: Path) -> Iterator[_Rejects]:
    """Written atomically and renamed into place before OUT, so a failure leaves neither."""
    from rairtc.io.atomic import atomic_file

    with atomic_file(path) as temporary, temporary.open("w", encoding="utf-8") as sink:
        yield _Rejects(sink)


def write_rejects(path: Path, refused: list[Validated], loaded: Loaded) -> None:
    """``--rejects`` for a registry read whole."""
    with _rejects_file(path) as kept:
        kept.refused(refused)
        kept.orphans(loaded.orphans, loaded.file_problems)
