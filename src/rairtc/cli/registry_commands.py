"""``rairtc validate`` and ``rairtc convert``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rairtc.cli.errors import print_problems, reports_errors, say
from rairtc.cli.options import (
    CsvDelimiter,
    CsvEncoding,
    Lang,
    Lenient,
    TableOrJson,
    Today,
    parse_date,
)
from rairtc.core.errors import InvalidInput, UsageError

if TYPE_CHECKING:
    from rairtc.core.validation import Validated
    from rairtc.io.registry import Loaded


@reports_errors
def validate(
    registry: Annotated[Path, typer.Argument(help="The registry: a file, a folder of tables.")],
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
    from rairtc.io.registry import load_registry

    loaded = load_registry(
        registry,
        today=parse_date(today) or date.today(),
        lenient=lenient,
        csv=csv_options(encoding, delimiter),
    )
    problems = loaded.problems
    if output is TableOrJson.JSON:
        json.dump(
            [p.as_dict() for p in problems], sys.stdout, ensure_ascii=False, indent=1, default=str
        )
        sys.stdout.write("\n")
    print_problems(problems)
    errors, warnings = len(loaded.errors), len(loaded.warnings)
    total = len(loaded.validated)
    valid = total - sum(not v.ok for v in loaded.validated)
    print(
        say("cli.validate_summary", total=total, valid=valid, errors=errors, warnings=warnings),
        file=sys.stderr,
    )
    for code, count, values in loaded.tally.entries():
        print("  " + say("cli.normalised", line=say(code, count=count, **values)), file=sys.stderr)
    if errors:
        raise typer.Exit(InvalidInput.exit_code)


@reports_errors
def convert(
    registry: Annotated[Path, typer.Argument(help="The registry to read.")],
    out: Annotated[
        Path,
        typer.Argument(help="Where to write: .json, .jsonl, .xlsx, .duckdb, .sqlite or a folder."),
    ],
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
) -> None:
    """Write the same records in another format; invalid input writes nothing (exit 65)."""
    from rairtc.cli.registry_input import csv_options
    from rairtc.io.atomic import check_file_target
    from rairtc.io.registry import check_output, load_registry, output_format, write_registry

    check_output(out, output_format(out, parquet=parquet))  # fail before reading anything
    if rejects is not None:
        check_file_target(rejects, "--rejects")
        if not rejects.absolute().parent.is_dir():
            raise UsageError(f"--rejects {rejects}: the folder {rejects.parent} does not exist")
    loaded = load_registry(
        registry,
        today=parse_date(today) or date.today(),
        lenient=lenient,
        csv=csv_options(encoding, delimiter),
    )
    print_problems(loaded.problems)
    if loaded.errors and rejects is None:
        print(f"rairtc: {say('cli.convert_refused', errors=len(loaded.errors))}", file=sys.stderr)
        raise typer.Exit(InvalidInput.exit_code)
    refused = [v for v in loaded.validated if not v.ok]
    if rejects is not None:
        write_rejects(rejects, refused, loaded)
    fmt = write_registry(loaded.patients, out, parquet=parquet)
    summary = say(
        "cli.convert_summary",
        written=len(loaded.patients),
        out=out,
        format=fmt,
        rejected=len(refused),
    )
    print(summary, file=sys.stderr)


REJECTS_NOTE = (
    "a record refused by validation, kept with its identifiers because --rejects was asked; "
    "keep this file as confidential as the registry"
)


def write_rejects(path: Path, refused: list[Validated], loaded: Loaded) -> None:
    """``--rejects``: one JSON line per refused record, each saying why it is kept (written
    atomically, before OUT, so a failure leaves neither)."""
    from rairtc.io.atomic import atomic_file

    with atomic_file(path) as temporary, temporary.open("w", encoding="utf-8") as sink:
        for v in refused:
            entry = {
                "patient_id": v.source.patient_id,
                "note": REJECTS_NOTE,
                "record": v.source.data,
                "problems": [p.as_dict() for p in v.problems],
            }
            sink.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        orphan_problems = [p.as_dict() for p in loaded.file_problems]
        for orphan in loaded.orphans:
            entry = {
                "patient_id": None,
                "note": REJECTS_NOTE,
                "record": orphan,
                "problems": orphan_problems,
            }
            sink.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
