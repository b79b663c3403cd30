"""``rairtc synth``: a synthetic registry of any size, in any format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rairtc.cli.errors import reports_errors, say, usage_error
from rairtc.cli.options import Lang


@reports_errors
def synth(
    patients: Annotated[
        int, typer.Option("--patients", help="How many patients (eligible and not).")
    ],
    seed: Annotated[int, typer.Option("--seed", help="Seed of the PCG64 generator.")],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="A folder (CSV, or Parquet with --parquet), .json, .jsonl, .xlsx, .duckdb or .sqlite.",
        ),
    ],
    parquet: Annotated[
        bool,
        typer.Option(
            "--parquet",
            metavar="",
            help="Write a folder as Parquet tables (the fast path for millions).",
        ),
    ] = False,
    index_year: Annotated[
        int,
        typer.Option(
            "--index-year",
            help="Year of the index admissions; follow-up runs to the end of the next year.",
        ),
    ] = 2023,
    lang: Lang = None,
) -> None:
    """Generate a synthetic registry whose refractoriness arises from its dated records."""
    from rairtc.io.registry import Format, output_format, write_registry
    from rairtc.synth.registry import synthetic_patients, write_synthetic_parquet

    if patients < 1:
        raise usage_error("cli.patients_at_least_one")
    fmt = output_format(out, parquet=parquet)
    if fmt is Format.PARQUET:
        write_synthetic_parquet(patients, seed, out, index_year=index_year)
    else:
        write_registry(synthetic_patients(patients, seed, index_year=index_year), out)
    summary = say("cli.synth_summary", patients=patients, seed=seed, out=out, format=fmt)
    print(summary, file=sys.stderr)
