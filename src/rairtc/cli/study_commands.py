"""``rairtc sample-size``, ``rairtc sample`` and ``rairtc study``."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rairtc.cli.errors import language, reports_errors, say, usage_error
from rairtc.cli.options import (
    AsOf,
    CsvDelimiter,
    CsvEncoding,
    Identified,
    Lang,
    Lenient,
    Params,
    PseudonymKey,
    TableOrJson,
    parse_date,
)
from rairtc.cli.registry_input import (
    Demo,
    SkipInvalid,
    csv_options,
    open_registry,
    write_rejected,
)
from rairtc.cli.study_input import (
    EngineOption,
    RegistryChunks,
    StudyEngine,
    bulk_chooser,
    workers,
)
from rairtc.core.errors import InputUnavailable, InvalidInput, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from rairtc.cli.registry_input import RegistryInput
    from rairtc.core.parameters import RuleParameters
    from rairtc.io.registry import CsvOptions

Period_ = Annotated[
    str | None,
    typer.Option(
        "--period", metavar="START:END", help="Index admissions in this period (dates inclusive)."
    ),
]
Confidence = Annotated[
    float, typer.Option("--confidence", help="Confidence level, % (for --size epiinfo).")
]
Expected = Annotated[
    float, typer.Option("--expected", help="Expected frequency, % (for --size epiinfo).")
]
Margin = Annotated[
    float, typer.Option("--margin", help="Acceptable margin of error, % (for --size epiinfo).")
]


def _chunks(
    registry: Path,
    day: date,
    lenient: bool,
    parameters: RuleParameters,
    skip_invalid: bool,
    csv_read: CsvOptions,
) -> RegistryChunks:
    """A registry read in chunks, alike for ``sample`` and ``study`` (the same frame, hence
    the same draw); records may be dated up to the later of ``--as-of`` and today."""
    return RegistryChunks(
        registry,
        today=max(day, date.today()),
        lenient=lenient,
        params=parameters,
        skip_invalid=skip_invalid,
        csv=csv_read,
    )


def _period(text: str | None) -> Any:
    from rairtc.study.eligibility import Period

    if text is None:
        return None
    start, sep, end = text.partition(":")
    first, last = parse_date(start), parse_date(end)
    if not sep or first is None or last is None or last < first:
        raise usage_error("cli.period_invalid", value=text)
    return Period(first, last)


def _size(text: str | None) -> int | str | None:
    if text is None or text == "epiinfo":
        return text
    if not text.isdigit():
        raise usage_error("cli.size_invalid", value=text)
    return int(text)


@reports_errors
def sample_size_command(
    population: Annotated[int, typer.Option("--population", help="Population (frame) size N.")],
    expected: Annotated[float, typer.Option("--expected", help="Expected frequency, %.")],
    margin: Annotated[float, typer.Option("--margin", help="Acceptable margin of error, %.")],
    confidence: Annotated[
        float | None,
        typer.Option("--confidence", help="One confidence level, %; default: Epi Info's seven."),
    ] = None,
    design_effect: Annotated[float, typer.Option("--design-effect", help="Design effect.")] = 1.0,
    clusters: Annotated[int, typer.Option("--clusters", help="Number of clusters.")] = 1,
    method: Annotated[
        str, typer.Option("--method", help="epiinfo (StatCalc, to the unit) or openepi.")
    ] = "epiinfo",
    output: Annotated[
        TableOrJson, typer.Option("--format", help="table or json.")
    ] = TableOrJson.TABLE,
    lang: Lang = None,
) -> None:
    """Epi Info StatCalc population-survey sample size."""
    from rairtc.study.sample_size import Method, epiinfo_table, sample_size

    if method not in ("epiinfo", "openepi"):
        raise usage_error("cli.method_unknown", value=method)
    chosen: Method = "openepi" if method == "openepi" else "epiinfo"
    try:
        if confidence is None:
            rows = epiinfo_table(
                population,
                expected,
                margin,
                design_effect=design_effect,
                clusters=clusters,
                method=chosen,
            )
        else:
            rows = [
                sample_size(
                    population,
                    expected,
                    margin,
                    confidence,
                    design_effect=design_effect,
                    clusters=clusters,
                    method=chosen,
                )
            ]
    except ValueError as error:
        raise UsageError(str(error)) from None
    if output is TableOrJson.JSON:
        print(
            json.dumps(
                {
                    "rows": [{k: v for k, v in r.as_dict().items() if k != "method"} for r in rows],
                    "method": method,
                }
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"Sample size ({method}): N={population}, expected {expected} %, margin {margin} %"
    )
    for column in ("confidence %", "per cluster", "total"):
        table.add_column(column, justify="right")
    for r in rows:
        table.add_row(f"{r.confidence:g}", str(r.n_per_cluster), str(r.n_total))
    Console().print(table)


@reports_errors
def sample(
    registry: Annotated[Path | None, typer.Argument(help="The registry.")] = None,
    *,
    size: Annotated[
        str, typer.Option("--size", help="A number, or 'epiinfo' to compute it from the frame.")
    ],
    seed: Annotated[int, typer.Option("--seed", help="Seed of the PCG64 generator.")],
    out: Annotated[
        Path, typer.Option("--out", help="CSV file for the drawn ids (column patient_id).")
    ],
    period: Period_ = None,
    strata: Annotated[
        str | None,
        typer.Option("--strata", help="A patient field to stratify by (e.g. sex, region)."),
    ] = None,
    confidence: Confidence = 97.0,
    expected: Expected = 50.0,
    margin: Margin = 5.0,
    as_of: AsOf = None,
    params: Params = None,
    lenient: Lenient = False,
    demo: Demo = False,
    skip_invalid: SkipInvalid = False,
    lang: Lang = None,
    encoding: CsvEncoding = None,
    delimiter: CsvDelimiter = None,
) -> None:
    """Draw a reproducible sample of eligible patients."""
    from rairtc.cli.options import parse_date
    from rairtc.cli.parameters_file import load_parameters
    from rairtc.study.run import StudyError, StudyOptions, Survey, run_sample, run_sample_chunks

    if demo == (registry is not None):
        raise usage_error("cli.registry_or_demo")
    parameters = load_parameters(params)
    day = parse_date(as_of) or date.today()
    options = StudyOptions(
        as_of=day,
        params=parameters,
        period=_period(period),
        sample_size=_size(size),
        seed=seed,
        strata=strata,
        survey=Survey(confidence, expected, margin),
        workers=workers(),
    )
    source: RegistryInput | RegistryChunks
    try:
        if registry is None:  # the bundled demo, in memory
            source = open_registry(None, True, today=day, lenient=lenient, params=parameters)
            drawn, frame = run_sample(source.patients, options)
        else:  # read in chunks, as the study's first pass reads it: the same frame and draw
            source = _chunks(
                registry, day, lenient, parameters, skip_invalid, csv_options(encoding, delimiter)
            )
            drawn, frame = run_sample_chunks(source, options)
    except StudyError as error:
        raise UsageError(str(error), code=error.code, params=error.params) from None
    from rairtc.io.atomic import atomic_file

    with atomic_file(out) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient_id"])
        writer.writerows([pid] for pid in drawn)
    if skip_invalid:
        report_rejected(source, out.parent / "rejected.csv")
    print(
        say("cli.sample_summary", drawn=len(drawn), frame=frame, seed=seed, out=out),
        file=sys.stderr,
    )


STUDY_OUTPUTS = frozenset(
    {
        "results.json",
        "report.html",
        "report.pdf",
        "report.docx",
        "tables.xlsx",
        "figures",
        "rejected.csv",
    }
)


def report_rejected(
    source: RegistryInput | RegistryChunks, path: Path, shown: Path | None = None
) -> None:
    """``--skip-invalid``: the errors of the patients left out, beside the outputs (``shown``
    is where the file will be once a temporary folder is swapped in)."""
    write_rejected(source.rejected, path)
    print(say("cli.skipped", count=source.invalid_patients, path=shown or path), file=sys.stderr)


def with_invalid_records(results: dict[str, Any], invalid: int) -> dict[str, Any]:
    """The eligibility flow counts the patients ``--skip-invalid`` left out: they are records
    of the registry, excluded first (before any eligibility rule could be applied)."""
    flow = results["flow"]
    flow["records"] += invalid
    flow["excluded"] = {"excluded_invalid_record": invalid, **flow["excluded"]}
    return results


def _read_sample(path: Path) -> tuple[str, ...]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or "patient_id" not in reader.fieldnames:
                raise InvalidInput(say("cli.sample_file_column", name=path.name))
            return tuple(row["patient_id"].strip() for row in reader if row["patient_id"].strip())
    except OSError as error:
        raise InputUnavailable(say("cli.cannot_open", path=path, reason=error.strerror)) from None


@reports_errors
def study(
    registry: Annotated[Path | None, typer.Argument(help="The registry.")] = None,
    period: Period_ = None,
    sample_file: Annotated[
        Path | None,
        typer.Option(
            "--sample", metavar="FILE.csv", help="Analyse exactly these ids (column patient_id)."
        ),
    ] = None,
    sample_size_option: Annotated[
        str | None, typer.Option("--sample-size", help="Draw a sample: a number or 'epiinfo'.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the draw.")] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for results.json (and the report).")
    ] = Path("rairtc-report"),
    lang: Lang = None,
    as_of: AsOf = None,
    params: Params = None,
    output: Annotated[
        TableOrJson,
        typer.Option("--format", help="table (a summary) or json (results.json on stdout)."),
    ] = TableOrJson.TABLE,
    lenient: Lenient = False,
    demo: Demo = False,
    skip_invalid: SkipInvalid = False,
    encoding: CsvEncoding = None,
    delimiter: CsvDelimiter = None,
    pseudonym_key: PseudonymKey = None,
    identified: Identified = False,
    with_sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity/--no-sensitivity",
            help="Classify again under each rule preset (about 3x the classification time).",
        ),
    ] = True,
    engine: EngineOption = StudyEngine.AUTO,
) -> None:
    """Run the study: eligibility, sampling, classification, Table 1, rates, comparisons, survival."""
    from rairtc.cli.progress import tracked
    from rairtc.study.run import StudyError, StudyOptions, run_study, run_study_chunks

    if sample_file is not None and sample_size_option is not None:
        raise usage_error("cli.sample_or_size")
    if demo == (registry is not None):
        raise usage_error("cli.registry_or_demo")
    from rairtc.cli.options import parse_date
    from rairtc.cli.parameters_file import load_parameters

    parameters = load_parameters(params)
    day = parse_date(as_of) or date.today()
    csv = csv_options(encoding, delimiter)
    chunks = None
    if registry is not None:
        chunks = _chunks(registry, day, lenient, parameters, skip_invalid, csv)
    bulk = bulk_chooser(engine, registry, chunks)
    options = StudyOptions(
        as_of=day,
        params=parameters,
        period=_period(period),
        sample_ids=_read_sample(sample_file) if sample_file is not None else None,
        sample_size=_size(sample_size_option),
        seed=seed,
        sensitivity=with_sensitivity,
        workers=workers(),
    )
    try:
        if chunks is None:  # the bundled demo, in memory
            source = open_registry(None, True, today=day, lenient=lenient, params=parameters)
            results = run_study(
                source.patients,
                options,
                input_sha256=source.sha256,
                progress=lambda items: tracked(items, len(items), "classifying"),
            )
        else:
            from rairtc.io.checksum import input_sha256

            assert registry is not None
            results = run_study_chunks(
                chunks,
                options,
                input_sha256=input_sha256(registry),
                bulk=bulk,
                progress=lambda items, total: tracked(items, total, "classifying"),
            )
    except StudyError as error:
        raise InvalidInput(str(error), code=error.code, params=error.params) from None
    from rairtc.io.atomic import atomic_folder, check_folder_target
    from rairtc.report.build import write_report
    from rairtc.report.pseudonyms import identify_outputs

    results = identify_outputs(results, key_file=pseudonym_key, identified_outputs=identified)
    check_folder_target(out, lambda entry: entry.name in STUDY_OUTPUTS)
    if skip_invalid and chunks is not None:
        results = with_invalid_records(results, chunks.invalid_patients)
    text = json.dumps(results, ensure_ascii=False, indent=1, allow_nan=False)
    with atomic_folder(out) as folder:  # the previous run's outputs or these, never a mix
        if skip_invalid and chunks is not None:
            report_rejected(chunks, folder / "rejected.csv", out / "rejected.csv")
        (folder / "results.json").write_text(text + "\n", encoding="utf-8")
        write_report(results, folder, language())
    if output is TableOrJson.JSON:
        sys.stdout.write(text + "\n")
    else:
        print_summary(results, out)


def print_provenance(console: Console, results: dict[str, Any]) -> None:
    """Synthetic data say so first, on the terminal as in every file."""
    provenance = results.get("provenance") or {}
    if provenance.get("synthetic"):
        console.print(
            say(
                "cli.synthetic_data",
                generator=provenance.get("generator") or "rairtc.synth",
                seed=provenance.get("seed"),
            )
        )


def print_summary(results: dict[str, Any], out: Path) -> None:
    """The terminal summary: rounded figures; results.json keeps full precision."""
    from rich.console import Console

    console = Console()
    lang = language()
    flow, rate = results["flow"], results["rair"]
    print_provenance(console, results)
    as_of = results["as_of"] if lang == "en" else ".".join(reversed(results["as_of"].split("-")))
    console.print(
        say(
            "cli.study_flow",
            records=flow["records"],
            eligible=flow["eligible"],
            analysed=flow["analysed"],
            as_of=as_of,
        )
    )

    def percent(value: float) -> str:
        text = f"{100 * value:.1f}"
        return text if lang == "en" else text.replace(".", ",")

    if rate["proportion"] is not None:
        low, high = rate["ci_wilson"]
        console.print(
            say(
                "cli.study_rate",
                n=rate["n_refractory"],
                total=rate["n_analysed"],
                percent=percent(rate["proportion"]),
                low=percent(low),
                high=percent(high),
            )
        )
    statuses = ", ".join(f"{k} {v}" for k, v in results["status"].items())
    console.print(say("cli.study_status", items=statuses))
    primary = ", ".join(f"{k} {v['primary']}" for k, v in results["criteria"].items())
    console.print(say("cli.study_primary", items=primary))
    console.print(say("cli.study_results", path=out / "results.json"))
