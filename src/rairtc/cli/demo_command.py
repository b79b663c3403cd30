"""``rairtc demo``: the whole job on the bundled example registry, with no data of one's own.

It validates the bundled records, writes them in every interchange format, classifies them
as of the fixed date 2024-12-31 (so the output never changes with the calendar) and prints a
short summary.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from rairtc.cli.errors import print_problems, reports_errors

DEMO_AS_OF = date(2024, 12, 31)
FORMATS = (
    "registry.json",
    "registry.jsonl",
    "registry.xlsx",
    "registry.duckdb",
    "registry.sqlite",
    "csv",
    "parquet",
)


@reports_errors
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo's files.")] = Path(
        "rairtc-report"
    ),
) -> None:
    """Run rairtc end to end on the bundled example registry."""
    from rich.console import Console
    from rich.table import Table

    from rairtc.core.rules.classify import STATUSES, classify
    from rairtc.core.rules.terms import Criterion
    from rairtc.examples import example_registry_path
    from rairtc.io.registry import load_valid_registry, write_registry

    loaded = load_valid_registry(example_registry_path(), today=date.today())
    print_problems(loaded.warnings)
    patients = loaded.patients
    out.mkdir(parents=True, exist_ok=True)
    for name in FORMATS:
        write_registry(patients, out / "registry" / name, parquet=name == "parquet")
    results = [classify(p, DEMO_AS_OF) for p in patients]
    (out / "classification.json").write_text(
        json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )

    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 100)
    statuses = Counter(r.status for r in results)
    table = Table(title=f"Bundled example registry: {len(patients)} patients, as of {DEMO_AS_OF}")
    table.add_column("status")
    table.add_column("patients", justify="right")
    for status in STATUSES:
        table.add_row(status, str(statuses[status]))
    console.print(table)
    primary = Counter(r.primary_criterion for r in results if r.primary_criterion is not None)
    criteria = Table(title="Refractory patients by primary criterion")
    criteria.add_column("criterion")
    criteria.add_column("patients", justify="right")
    for criterion in Criterion:
        criteria.add_row(criterion.value, str(primary[criterion]))
    console.print(criteria)
    console.print(
        f"Registry written in {len(FORMATS)} formats to {out / 'registry'}; "
        f"classification with evidence in {out / 'classification.json'}."
    )
