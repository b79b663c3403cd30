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
from rairtc.cli.errors import language, reports_errors, say, usage_error
from rairtc.cli.options import (
    AsOf,
    CsvDelimiter,
    CsvEncoding,
    Lang,
    Lenient,
    OutputFormat,
    Params,
    TableOrJson,
    Today,
)
from rairtc.cli.registry_input import Demo, SkipInvalid


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
    skip_invalid: SkipInvalid = False,
    rejected: Annotated[
        Path,
        typer.Option(
            "--rejected",
            metavar="FILE.csv",
            help="Where --skip-invalid lists the patients left out.",
        ),
    ] = Path("rejected.csv"),
    lang: Lang = None,
    encoding: CsvEncoding = None,
    delimiter: CsvDelimiter = None,
    engine: EngineOption = None,
    explain: Explain = None,
    out: Out = None,
    backend: BackendOption = None,
    spark_master: SparkMaster = "local[*]",
) -> None:
    """Classify every patient: refractoriness with its dated evidence, stage, ATA risk and response."""
    from rairtc.cli.registry_input import csv_options, open_analysis
    from rairtc.core.rules.classify import classify as classify_patient
    from rairtc.results import COLUMNS, csv_row

    kind = output_kind((output or ClassifyFormat.TABLE).value, out, output is None)
    if choose_engine(engine, registry, backend) is Engine.BULK:
        _classify_bulk(
            registry, demo, as_of, params, today, kind, out, backend, spark_master, explain or []
        )
        return
    if kind == "parquet":
        raise usage_error("cli.parquet_needs_bulk")
    analysis = open_analysis(
        None if registry is None else Path(registry),
        demo,
        as_of=as_of,
        params_file=params,
        lenient=lenient,
        today=today,
        skip_invalid=skip_invalid,
        csv=csv_options(encoding, delimiter),
    )
    if skip_invalid:
        from rairtc.cli.study_commands import report_rejected

        report_rejected(analysis.registry, rejected)
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
            rows = [csv_row(r) for r in results]
            writer = csv.DictWriter(
                stream, fieldnames=list(csv_row(results[0]) if results else COLUMNS)
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
        raise usage_error("cli.bulk_needs_tables")
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


def _date(iso: str | None, lang: str) -> str:
    """ISO in English, DD.MM.YYYY in Russian and Kazakh (as clinical documents there)."""
    if iso is None:
        return ""
    return iso if lang == "en" else ".".join(reversed(iso.split("-")))


def _print_table(results: list[dict[str, Any]], day: date) -> None:
    from rich.console import Console
    from rich.table import Table

    from rairtc.i18n import name

    lang = language()

    def words(kind: str, code: str | None) -> str:
        """Codes in English (as in JSON and CSV), words in Russian and Kazakh."""
        return (code or "") if lang == "en" else name(kind, code, lang)

    table = Table(title=say("cli.classify_title", date=_date(day.isoformat(), lang)))
    for column in (
        "patient",
        "status",
        "primary_criterion",
        "onset",
        "stage",
        "ata_risk",
        "response",
    ):
        table.add_column(say(f"cli.column.{column}"), overflow="fold")
    for r in results:
        table.add_row(
            r["patient_id"],
            words("status", r["status"]),
            words("criterion", r["primary_criterion"]),
            _date(r["onset_date"], lang),
            r["stage"] or f"({words('reason', r['stage_reason'])})",
            words("risk", r["ata_risk"]),
            words("response", r["response"]) or f"({words('reason', r['response_reason'])})",
        )
    console = Console()
    if not console.is_terminal:  # a pipe or a file: never cut a patient id or a status
        console = Console(width=160)
    console.print(table)


@reports_errors
def stage(
    age: Annotated[int, typer.Option("--age", help="Age at diagnosis in completed years.")],
    t: Annotated[
        str,
        typer.Option("--t", help="T: TX, T0, T1, T1a, T1b, T2, T3, T3a, T3b, T4, T4a or T4b."),
    ],
    n: Annotated[str, typer.Option("--n", help="N: NX, N0, N0a, N0b, N1, N1a or N1b.")],
    m: Annotated[str, typer.Option("--m", help="M: M0, M1 or MX.")],
    edition: Annotated[int, typer.Option("--edition", help="AJCC edition: 8 or 7.")] = 8,
    ete: Annotated[
        str | None,
        typer.Option(
            "--ete", help="Extrathyroidal extension (edition 7): none, microscopic, gross."
        ),
    ] = None,
    output: Annotated[
        TableOrJson, typer.Option("--format", help="table or json.")
    ] = TableOrJson.TABLE,
    lang: Lang = None,
) -> None:
    """Print the AJCC stage for an age and T, N, M."""
    from rairtc.core.codes import Extension, MCategory, NCategory, TCategory
    from rairtc.core.rules.staging import stage_for
    from rairtc.core.validation import AGE_AT_DIAGNOSIS_RANGE

    def code(value: str, allowed: list[str], name: str) -> str:
        if value not in allowed:
            raise usage_error(
                "cli.code_not_allowed", option=name, value=value, allowed=", ".join(allowed)
            )
        return value

    if edition not in (7, 8):
        raise usage_error("cli.edition_unknown", edition=edition)
    low, high = AGE_AT_DIAGNOSIS_RANGE
    if not low <= age <= high:
        raise usage_error("cli.age_out_of_range", age=age, low=low, high=high)
    if ete is not None and edition != 7:
        raise usage_error("cli.ete_needs_edition_7", ete=ete, edition=edition)
    result = stage_for(
        age,
        code(t, [c.value for c in TCategory], "t"),
        code(n, [c.value for c in NCategory], "n"),
        code(m, [c.value for c in MCategory] + ["MX"], "m"),
        edition=edition,
        ete=None if ete is None else Extension(code(ete, [e.value for e in Extension], "ete")),
    )
    if output is TableOrJson.JSON:
        print(
            json.dumps({"stage": result.stage, "edition": result.edition, "reason": result.reason})
        )
    else:
        print(result.stage if result.stage is not None else f"no stage ({result.reason})")
