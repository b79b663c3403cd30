"""``rairtc validate`` and ``rairtc convert``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from rairtc.cli.errors import print_problems, reports_errors
from rairtc.cli.exchange_commands import To
from rairtc.cli.options import Lenient, Today, parse_date
from rairtc.core.errors import InvalidInput


@reports_errors
def validate(
    registry: Annotated[Path, typer.Argument(help="The registry: a file, a folder of tables.")],
    lenient: Lenient = False,
    today: Today = None,
    output: Annotated[
        str, typer.Option("--format", help="table or json (problems as JSON on stdout).")
    ] = "table",
) -> None:
    """Check every record; exit 65 listing every problem when any is an error."""
    from rairtc.io.registry import load_registry

    loaded = load_registry(registry, today=parse_date(today) or date.today(), lenient=lenient)
    problems = loaded.problems
    if output == "json":
        json.dump(
            [p.as_dict() for p in problems], sys.stdout, ensure_ascii=False, indent=1, default=str
        )
        sys.stdout.write("\n")
    print_problems(problems)
    errors, warnings = len(loaded.errors), len(loaded.warnings)
    total = len(loaded.validated)
    print(
        f"{total} patient(s) read: {total - sum(not v.ok for v in loaded.validated)} valid, "
        f"{errors} error(s), {warnings} warning(s)",
        file=sys.stderr,
    )
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
        bool, typer.Option("--parquet", help="Write a folder as Parquet, not CSV.")
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
    to: To = None,
) -> None:
    """Write the same records in another format; invalid input writes nothing (exit 65)."""
    from rairtc.io.exchange import Exchange, check_output, write_to
    from rairtc.io.registry import load_registry, output_format

    target = Exchange(to.value) if to is not None else None
    if target is None:  # fail on a bad output before reading
        output_format(out, parquet=parquet)
    else:
        check_output(out, target)
    loaded = load_registry(registry, today=parse_date(today) or date.today(), lenient=lenient)
    print_problems(loaded.problems)
    if loaded.errors and rejects is None:
        print(
            f"rairtc: invalid input: {len(loaded.errors)} error(s); nothing written "
            "(use --rejects FILE to write the valid records)",
            file=sys.stderr,
        )
        raise typer.Exit(InvalidInput.exit_code)
    fmt = write_to(loaded.patients, out, target, parquet=parquet)
    refused = [v for v in loaded.validated if not v.ok]
    if rejects is not None:
        with rejects.open("w", encoding="utf-8") as sink:
            for v in refused:
                entry = {
                    "patient_id": v.source.patient_id,
                    "record": v.source.data,
                    "problems": [p.as_dict() for p in v.problems],
                }
                sink.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
            orphan_problems = [p.as_dict() for p in loaded.file_problems]
            for orphan in loaded.orphans:
                sink.write(
                    json.dumps(
                        {"patient_id": None, "record": orphan, "problems": orphan_problems},
                        ensure_ascii=False,
                        default=str,
                    )
                    + "\n"
                )
    print(
        f"{len(loaded.patients)} patient(s) written to {out} ({fmt}); {len(refused)} rejected",
        file=sys.stderr,
    )
