"""``rairtc classify`` and ``rairtc stage``."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from rairtc.cli.classify_engines import (
    Backend,
    BackendOption,
    ClassifyFormat,
    Engine,
    EngineOption,
    Explain,
    Out,
    SparkMaster,
    choose_engine,
    output_kind,
)
from rairtc.cli.errors import reports_errors
from rairtc.cli.options import AsOf, Lenient, OutputFormat, Params, Today
from rairtc.cli.registry_input import Demo
from rairtc.core.errors import UsageError

CSV_SCALARS = (
    "patient_id",
    "status",
    "rair",
    "onset_date",
    "primary_criterion",
    "cumulative_activity_mci",
    "follow_up_months",
    "stage",
    "stage_reason",
    "ata_risk",
    "response",
    "response_reason",
)


def _csv_row(result: dict[str, Any]) -> dict[str, Any]:
    from rairtc.core.rules.terms import Criterion

    row = {key: result[key] for key in CSV_SCALARS}
    row["criteria"] = ";".join(c["code"] for c in result["criteria"])
    row["not_evaluable"] = ";".join(f"{n['code']}:{n['reason']}" for n in result["not_evaluable"])
    row["risk_flags"] = ";".join(result["risk_flags"])
    row["response_flags"] = ";".join(result["response_flags"])
    dates = {c["code"]: c["date"] for c in result["criteria"]}
    for criterion in Criterion:
        row[f"{criterion.value}_date"] = dates.get(criterion.value)
    return {
        k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v)
        for k, v in row.items()
    }


@reports_errors
def classify(
    registry: Annotated[
        str | None,
        typer.Argument(
            help="The registry: a file, a folder of tables or a postgresql:// URL (bulk)."
        ),
    ] = None,
    as_of: AsOf = None,
    params: Params = None,
    output: Annotated[
        ClassifyFormat | None,
        typer.Option("--format", help="table, json, csv or parquet (default: table)."),
    ] = None,
    lenient: Lenient = False,
    today: Today = None,
    demo: Demo = False,
    engine: EngineOption = Engine.AUTO,
    explain: Explain = None,
    out: Out = None,
    backend: BackendOption = None,
    spark_master: SparkMaster = "local[*]",
) -> None:
    """Classify every patient: refractoriness with its dated evidence, stage, ATA risk and response."""
    from rairtc.cli.registry_input import open_analysis
    from rairtc.core.rules.classify import classify as classify_patient

    kind = output_kind((output or ClassifyFormat.TABLE).value, out, output is None)
    if choose_engine(engine, registry, backend) is Engine.BULK:
        _classify_bulk(
            registry, demo, as_of, params, today, kind, out, backend, spark_master, explain or []
        )
        return
    if kind == "parquet":
        raise UsageError("--format parquet is written by the bulk engine; add --engine bulk")
    analysis = open_analysis(
        None if registry is None else Path(registry),
        demo,
        as_of=as_of,
        params_file=params,
        lenient=lenient,
        today=today,
    )
    parameters, day, source = analysis.params, analysis.as_of, analysis.registry
    from rairtc.cli.progress import tracked

    patients = source.patients
    results = [
        classify_patient(p, day, parameters).as_dict()
        for p in tracked(patients, len(patients), "classifying")
    ]
    with _text_out(out) as stream:
        if kind == OutputFormat.JSON:
            json.dump(results, stream, ensure_ascii=False, indent=1)
            stream.write("\n")
        elif kind == OutputFormat.CSV:
            rows = [_csv_row(r) for r in results]
            writer = csv.DictWriter(
                stream, fieldnames=list(_csv_row(results[0]) if results else CSV_SCALARS)
            )
            writer.writeheader()
            writer.writerows(rows)
        else:
            _print_table(results, day)


@contextmanager
def _text_out(out: Path | None) -> Iterator[TextIO]:
    """``--out FILE`` (as the terminal would get it), else stdout."""
    if out is None:
        yield sys.stdout
        return
    with out.open("w", encoding="utf-8", newline="") as stream:
        yield stream


def _classify_bulk(
    registry: str | None,
    demo: bool,
    as_of: str | None,
    params: str | None,
    today: str | None,
    kind: str,
    out: Path | None,
    backend: Backend | None,
    spark_master: str,
    explain: list[str],
) -> None:
    """The bulk engine (``--engine bulk``, or ``auto`` on a large table source)."""
    from rairtc.cli.classify_engines import backend_of, is_table_source, run_bulk
    from rairtc.cli.options import parse_date
    from rairtc.cli.parameters_file import load_parameters

    if demo or registry is None or not is_table_source(registry):
        raise UsageError(
            "the bulk engine reads a folder of Parquet or CSV tables, a .duckdb file or a "
            "postgresql:// URL; convert the registry first (rairtc convert REGISTRY OUT --parquet)"
        )
    day = parse_date(as_of) or date.today()
    run_bulk(
        registry,
        as_of=day,
        params=load_parameters(params),
        kind=kind,
        out=out,
        backend=backend_of(registry, backend),
        spark_master=spark_master,
        explain=explain,
        today=parse_date(today) or max(day, date.today()),
        print_table=_print_table,
    )


def _print_table(results: list[dict[str, Any]], day: date) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Radioiodine refractoriness as of {day.isoformat()}")
    for column in (
        "patient",
        "status",
        "primary criterion",
        "onset",
        "stage",
        "ATA risk",
        "response",
    ):
        table.add_column(column, overflow="fold")
    for r in results:
        table.add_row(
            r["patient_id"],
            r["status"],
            r["primary_criterion"] or "",
            r["onset_date"] or "",
            r["stage"] or f"({r['stage_reason']})",
            r["ata_risk"] or "",
            r["response"] or f"({r['response_reason']})",
        )
    console = Console()
    if not console.is_terminal:  # a pipe or a file: never cut a patient id or a status
        console = Console(width=160)
    console.print(table)


@reports_errors
def stage(
    age: Annotated[int, typer.Option("--age", help="Age at diagnosis in completed years.")],
    t: Annotated[str, typer.Option("--t", help="T: TX, T0, T1a, T1b, T2, T3a, T3b, T4a, T4b.")],
    n: Annotated[str, typer.Option("--n", help="N: NX, N0, N0a, N0b, N1a, N1b.")],
    m: Annotated[str, typer.Option("--m", help="M: M0, M1 or MX.")],
    edition: Annotated[int, typer.Option("--edition", help="AJCC edition: 8 or 7.")] = 8,
    ete: Annotated[
        str | None,
        typer.Option(
            "--ete", help="Extrathyroidal extension (edition 7): none, microscopic, gross."
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Print the AJCC stage for an age and T, N, M."""
    from rairtc.core.codes import Extension, MCategory, NCategory, TCategory
    from rairtc.core.rules.staging import stage_for

    def code(value: str, allowed: list[str], name: str) -> str:
        if value not in allowed:
            raise UsageError(f"--{name} '{value}' is not allowed; allowed: {', '.join(allowed)}")
        return value

    if edition not in (7, 8):
        raise UsageError(f"--edition {edition} is not allowed; allowed: 8, 7")
    if age < 0:
        raise UsageError("--age must be zero or more")
    result = stage_for(
        age,
        code(t, [c.value for c in TCategory], "t"),
        code(n, [c.value for c in NCategory], "n"),
        code(m, [c.value for c in MCategory] + ["MX"], "m"),
        edition=edition,
        ete=None if ete is None else Extension(code(ete, [e.value for e in Extension], "ete")),
    )
    if output is OutputFormat.JSON:
        print(
            json.dumps({"stage": result.stage, "edition": result.edition, "reason": result.reason})
        )
    else:
        print(result.stage if result.stage is not None else f"no stage ({result.reason})")
