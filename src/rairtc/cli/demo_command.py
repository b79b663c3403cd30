"""``rairtc demo``: the seed study's job, end to end, on the embedded synthetic registry.

445 eligible patients with index admissions in 2023 and 26 ineligible records; the Epi Info
sample size (229 of 445 at 97 % confidence, 50 % expected, 5 % margin), the draw with a fixed
seed, classification and the study as of 2024-12-31, and the report. Nothing depends on the
calendar, so the demo's output never changes.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from rairtc.cli.errors import language, reports_errors, say
from rairtc.cli.options import Identified, Lang, PseudonymKey

DEMO_AS_OF = date(2024, 12, 31)
DEMO_SAMPLE_SEED = 229


@reports_errors
def demo(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the registry, the sample and the report.")
    ] = Path("rairtc-report"),
    lang: Lang = None,
    pseudonym_key: PseudonymKey = None,
    identified: Identified = False,
) -> None:
    """Run rairtc end to end on the embedded synthetic registry."""
    from rich.console import Console

    from rairtc.cli.registry_input import open_registry
    from rairtc.cli.study_commands import print_summary
    from rairtc.core.parameters import DEFAULT_PARAMETERS
    from rairtc.io.registry import write_registry
    from rairtc.report.build import write_report
    from rairtc.report.pseudonyms import identify_outputs
    from rairtc.study.eligibility import Period
    from rairtc.study.run import Provenance, StudyOptions, run_sample, run_study
    from rairtc.synth.provenance_texts import DEMO_GENERATOR, DEMO_TARGETS
    from rairtc.synth.registry import DEMO_SEED

    registry = open_registry(
        None, True, today=date.today(), lenient=False, params=DEFAULT_PARAMETERS
    )
    out.mkdir(parents=True, exist_ok=True)
    write_registry(registry.patients, out / "registry.json")
    options = StudyOptions(
        as_of=DEMO_AS_OF,
        params=DEFAULT_PARAMETERS,
        period=Period(date(2023, 1, 1), date(2023, 12, 31)),
        sample_size="epiinfo",
        seed=DEMO_SAMPLE_SEED,
        provenance=Provenance(
            synthetic=True,
            generator=DEMO_GENERATOR,
            seed=DEMO_SEED,
            calibration={"targets": DEMO_TARGETS},
        ),
    )
    results = run_study(registry.patients, options, input_sha256=registry.sha256)
    results = identify_outputs(results, key_file=pseudonym_key, identified_outputs=identified)
    (out / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1, allow_nan=False) + "\n", encoding="utf-8"
    )
    drawn, _ = run_sample(registry.patients, options)
    with (out / "sample.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient_id"])
        writer.writerows([pid] for pid in drawn)
    write_report(results, out, language())
    print_summary(results, out)
    Console(file=sys.stdout).print(
        say(
            "cli.demo_report",
            html=out / "report.html",
            pdf=out / "report.pdf",
            docx=out / "report.docx",
            xlsx=out / "tables.xlsx",
        )
    )
