"""``rairtc redcap dictionary`` and ``rairtc export``: thin commands over :mod:`rairtc.io`.

Nothing heavy is imported here at module level, so ``rairtc --help`` stays fast; the enum of
exchange formats is repeated as plain strings for the option (``rairtc.io.exchange`` imports
the record model).
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rairtc.cli.errors import print_problems, reports_errors, usage_error
from rairtc.cli.options import Lenient, Today, parse_date
from rairtc.cli.registry_input import Demo

if TYPE_CHECKING:
    from rairtc.core.records import Patient


class ExchangeFormat(StrEnum):
    REDCAP = "redcap"
    FHIR = "fhir"
    OMOP = "omop"


To = Annotated[
    ExchangeFormat | None,
    typer.Option(
        "--to",
        help="Write an exchange format: redcap (one flat CSV file), fhir (a folder of Bundle "
        "JSON files, or an .ndjson file) or omop (a folder of CSV tables).",
    ),
]

redcap_app = typer.Typer(
    name="redcap", help="REDCap projects: the data dictionary.", no_args_is_help=True
)


@redcap_app.command("dictionary")
@reports_errors
def dictionary(
    out: Annotated[Path, typer.Argument(help="Where to write the data dictionary (.csv).")],
    repeating: Annotated[
        Path | None,
        typer.Option(
            "--repeating",
            metavar="FILE.csv",
            help="Also write the repeating instruments (REDCap's form_name, custom_form_label).",
        ),
    ] = None,
) -> None:
    """Write the REDCap data dictionary of a rairtc project (patient form, repeating forms)."""
    from rairtc.io.redcap.dictionary import write_dictionary, write_repeating_forms

    if out.suffix.lower() != ".csv":
        raise usage_error("cli.dictionary_not_csv", name=out.name)
    write_dictionary(out)
    if repeating is not None:
        write_repeating_forms(repeating)
    print(f"REDCap data dictionary written to {out}", file=sys.stderr)


def _inside(path: Path, folder: Path) -> bool:
    return folder.resolve() in path.resolve().parents or path.resolve() == folder.resolve()


@reports_errors
def export(
    registry: Annotated[
        Path | None, typer.Argument(help="The registry to read (leave out with --demo).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Argument(help="Where to write: any registry format, or --to redcap|fhir|omop."),
    ] = None,
    demo: Demo = False,
    pseudonymise: Annotated[
        Path | None,
        typer.Option(
            "--pseudonymise",
            metavar="KEYFILE",
            help="The manager's re-identification key (created when absent, never "
            "overwritten). Keep it away from the export.",
        ),
    ] = None,
    to: To = None,
    parquet: Annotated[
        bool, typer.Option("--parquet", help="Write a folder as Parquet, not CSV.")
    ] = False,
    aggregate: Annotated[
        str | None,
        typer.Option(
            "--aggregate",
            metavar="FIELDS",
            help="Write patient counts by these comma-separated fields (a .csv) instead of "
            "records, e.g. sex,histology,age_group.",
        ),
    ] = None,
    min_cell: Annotated[
        int | None,
        typer.Option(
            "--min-cell",
            metavar="N",
            help="With --aggregate: suppress counts below N (default 5).",
        ),
    ] = None,
    lenient: Lenient = False,
    today: Today = None,
) -> None:
    """Write a research export: pseudonymised records, or counts with small cells hidden.

    Invalid input writes nothing (exit 65).
    """
    if demo and out is None:  # `export --demo OUT`: the one path given is the output
        registry, out = None, registry
    if out is None:
        raise usage_error("cli.export_output_missing")
    if demo == (registry is not None):
        raise usage_error("cli.registry_or_demo")
    day = parse_date(today) or date.today()
    if aggregate is not None:
        from rairtc.io.aggregate import DEFAULT_MIN_CELL, counts, parse_fields, write_counts

        if pseudonymise is not None or to is not None:
            raise usage_error("cli.aggregate_alone")
        if out.suffix.lower() != ".csv":
            raise usage_error("cli.aggregate_not_csv", name=out.name)
        fields = parse_fields(aggregate)
        threshold = DEFAULT_MIN_CELL if min_cell is None else min_cell
        patients = _valid_patients(registry, today=day, lenient=lenient)
        cells = counts(patients, fields, threshold)
        write_counts(cells, fields, out)
        hidden = sum(cell.count is None for cell in cells)
        print(
            f"{len(cells)} cell(s) written to {out}; {hidden} below {threshold} suppressed",
            file=sys.stderr,
        )
        return
    if min_cell is not None:
        raise usage_error("cli.min_cell_needs_aggregate")
    if pseudonymise is None:
        raise usage_error("cli.export_needs_mode")
    from rairtc.io.exchange import Exchange, check_output, write_to
    from rairtc.io.pseudonymise import load_or_create_key, read_key
    from rairtc.io.pseudonymise import pseudonymise as pseudonymised
    from rairtc.io.registry import output_format

    target = Exchange(to.value) if to is not None else None
    if target is None:
        output_format(out, parquet=parquet)
    else:
        check_output(out, target)
    if _inside(pseudonymise, out) or (out.suffix and pseudonymise.resolve() == out.resolve()):
        raise usage_error("cli.key_inside_export")
    if pseudonymise.exists():
        read_key(pseudonymise)  # a bad key file fails before any work
    patients = _valid_patients(registry, today=day, lenient=lenient)
    key, created = load_or_create_key(pseudonymise)
    fmt = write_to(pseudonymised(patients, key), out, target, parquet=parquet)
    origin = "created; keep it with the registry manager" if created else "used"
    print(
        f"{len(patients)} patient(s) written to {out} ({fmt}), pseudonymised; "
        f"key file {pseudonymise} {origin}",
        file=sys.stderr,
    )


def _valid_patients(registry: Path | None, *, today: date, lenient: bool) -> list[Patient]:
    """Every patient of the registry (all or nothing, warnings shown), or of the bundled
    synthetic registry with ``--demo`` (``registry`` None)."""
    if registry is None:
        from rairtc.cli.registry_input import open_registry
        from rairtc.core.parameters import DEFAULT_PARAMETERS

        return open_registry(
            None, True, today=today, lenient=lenient, params=DEFAULT_PARAMETERS
        ).patients
    from rairtc.io.registry import load_valid_registry

    loaded = load_valid_registry(registry, today=today, lenient=lenient)
    print_problems(loaded.warnings)
    return loaded.patients
