"""``rairtc validate`` and ``rairtc convert``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from rairtc.core.validation import Validated

if TYPE_CHECKING:
    from rairtc.io.registry import CsvOptions, Loaded


def _load(
    registry: Path | None,
    demo: bool,
    *,
    today: date,
    lenient: bool,
    csv: CsvOptions | None = None,
) -> Loaded:
    """The registry argument, or the bundled demo registry validated like any input."""
    from rairtc.io.registry import load_registry

    if demo == (registry is not None):
        raise usage_error("cli.registry_or_demo")
    if registry is not None:
        return load_registry(registry, today=today, lenient=lenient, csv=csv)
    from rairtc.core.source import SourcePatient, json_locations
    from rairtc.core.validation import validate_registry
    from rairtc.io.json_files import patient_to_json
    from rairtc.io.registry import Loaded
    from rairtc.synth.registry import demo_patients

    sources = []
    for i, patient in enumerate(demo_patients()):
        data = patient_to_json(patient)
        sources.append(SourcePatient(data, json_locations(data, f"demo $[{i}]")))
    return Loaded(validate_registry(sources, today=today, lenient=lenient))


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

    loaded = _load(
        registry,
        demo,
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
    from rairtc.io.registry import output_format

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
    loaded = _load(
        registry,
        demo,
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
    fmt = write_to(loaded.patients, out, target, parquet=parquet)
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
