"""``rairtc explain``: one patient's timeline and verdict, to paste into the MDT note."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rairtc.cli.errors import language, reports_errors, say
from rairtc.cli.options import AsOf, Lang, Lenient, Params
from rairtc.core.errors import InvalidInput, UsageError


class ExplainFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


@reports_errors
def explain(
    registry: Annotated[
        Path,
        typer.Argument(metavar="REGISTRY", help="The registry: a file or a folder of tables."),
    ],
    patient_id: Annotated[str, typer.Argument(metavar="ID", help="The patient's registry id.")],
    as_of: AsOf = None,
    params: Params = None,
    output: Annotated[
        ExplainFormat, typer.Option("--format", help="text, markdown or html.")
    ] = ExplainFormat.TEXT,
    lenient: Lenient = False,
    lang: Lang = None,
) -> None:
    """Explain one patient: dated timeline, criteria met with their evidence, stage, risk, response."""
    from datetime import date

    from rairtc.cli.options import parse_date
    from rairtc.cli.parameters_file import load_parameters
    from rairtc.explain import explain as render_explanation
    from rairtc.io.registry import load_registry

    parameters = load_parameters(params)
    day = parse_date(as_of) or date.today()
    loaded = load_registry(
        registry, today=max(day, date.today()), lenient=lenient, params=parameters
    )
    mine = [v for v in loaded.validated if v.source.patient_id == patient_id]
    if not mine:
        raise UsageError(say("cli.patient_not_found", patient=patient_id, registry=registry.name))
    errors = [p for v in mine for p in v.problems if p.is_error]
    if errors or mine[0].patient is None:
        message = say("cli.patient_invalid", patient=patient_id, errors=len(errors))
        raise InvalidInput(message, [p for v in mine for p in v.problems])
    text = render_explanation(
        mine[0].patient, day, params=parameters, lang=language(), fmt=output.value
    )
    sys.stdout.write(text)
