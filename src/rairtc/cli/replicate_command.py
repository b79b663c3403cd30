"""``rairtc replicate``: the published study rebuilt from dated records, side by side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from rairtc.cli.errors import language, reports_errors, say
from rairtc.cli.options import Identified, Lang, PseudonymKey, TableOrJson


@reports_errors
def replicate(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the replica, results.json and the report.")
    ] = Path("rairtc-replication"),
    lang: Lang = None,
    output: Annotated[
        TableOrJson,
        typer.Option("--format", help="table or json (results.json on stdout)."),
    ] = TableOrJson.TABLE,
    pseudonym_key: PseudonymKey = None,
    identified: Identified = False,
) -> None:
    """Rebuild the published study frame (445 eligible records), draw its Epi Info sample of 229,
    run the study as of 2024-12-31 and compare."""
    from rairtc.io.registry import write_registry
    from rairtc.report.build import write_report
    from rairtc.synth.replica import build_frame
    from rairtc.synth.replication_study import replicate as run_replication

    cohort = build_frame()
    from rairtc.report.pseudonyms import identify_outputs

    results = identify_outputs(
        run_replication(cohort), key_file=pseudonym_key, identified_outputs=identified
    )
    out.mkdir(parents=True, exist_ok=True)
    write_registry(cohort, out / "replica.json")
    text = json.dumps(results, ensure_ascii=False, indent=1, allow_nan=False)
    (out / "results.json").write_text(text + "\n", encoding="utf-8")
    write_report(results, out, language())
    if output is TableOrJson.JSON:
        print(text)
    else:
        print_comparison(results, out)


def print_comparison(results: dict[str, Any], out: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    from rairtc.cli.study_commands import print_provenance

    print_provenance(Console(), results)
    table = Table(title=say("cli.replicate_title"))
    for column, justify in (
        ("variable", "left"),
        ("level", "left"),
        ("published", "right"),
        ("computed", "right"),
    ):
        table.add_column(say(f"cli.replicate_column.{column}"), justify=justify)  # type: ignore[arg-type]
    table.add_column("", justify="left")
    flag = say("cli.replicate_flag")
    analysed = results["flow"]["analysed"]
    for row in results["table1"]:
        published = row.get("published")
        if not published:
            continue
        if "value" in published:
            table.add_row(
                row["variable"],
                row["level"],
                str(published["value"]),
                f"{row['value']:.2f}",
                flag if published["flag"] else "",
            )
            continue
        table.add_row(
            row["variable"],
            row["level"],
            f"{published['n']} ({published['percent']:.1f} %)",
            f"{row['n']} ({100 * row['n'] / analysed:.2f} %)",
            flag if published["flag"] else "",
        )
    rate = results["rair"]
    for entry in rate["published"]:
        table.add_row(
            say("cli.replicate_refractory"),
            entry["source"],
            f"{entry['n']} ({entry['percent']:.1f} %)",
            f"{rate['n_refractory']} ({100 * rate['proportion']:.2f} %)",
            flag if entry["flag"] else "",
        )
    refractory = rate["n_refractory"]
    for code, entry in results["criteria"].items():
        published = entry["published"]
        shown = (
            say("cli.replicate_not_encountered")
            if published["percent"] is None
            else f"{published['n']} ({published['percent']:g} %)"
        )
        share = (
            f"{entry['primary']} ({100 * entry['primary'] / refractory:.2f} %)"
            if refractory
            else "0"
        )
        table.add_row(
            say("cli.replicate_primary"), code, shown, share, flag if published["flag"] else ""
        )
    console = Console(width=None if Console().is_terminal else 120)
    console.print(table)
    staging = results["staging"]
    other = staging["other_edition"]
    console.print(
        say(
            "cli.replicate_staging",
            edition=staging["edition"],
            reason=staging["reason"],
            other=other["edition"],
            stages=", ".join(f"{k} {v}" for k, v in other["stage"].items()),
        )
    )
    console.print(say("cli.replicate_flag_legend", flag=flag))
    console.print(
        say(
            "cli.replicate_files",
            replica=out / "replica.json",
            results=out / "results.json",
            report=out / "report.html",
        )
    )
