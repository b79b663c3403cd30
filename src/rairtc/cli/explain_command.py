"""``rairtc explain``: one patient's timeline and verdict, to paste into the MDT note."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rairtc.cli.errors import language, reports_errors, say
from rairtc.cli.options import AsOf, Lang, Lenient, Params
from rairtc.cli.registry_input import Demo
from rairtc.core.errors import InvalidInput, UsageError

if TYPE_CHECKING:
    from rairtc.core.parameters import RuleParameters
    from rairtc.core.records import Patient


class ExplainFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


@reports_errors
def explain(
    registry: Annotated[
        Path | None,
        typer.Argument(
            metavar="REGISTRY", help="The registry: a file or a folder of tables (not with --demo)."
        ),
    ] = None,
    patient_id: Annotated[
        str | None, typer.Argument(metavar="ID", help="The patient's registry id.")
    ] = None,
    demo: Demo = False,
    as_of: AsOf = None,
    params: Params = None,
    output: Annotated[
        ExplainFormat, typer.Option("--format", help="text, markdown or html.")
    ] = ExplainFormat.TEXT,
    lenient: Lenient = False,
    lang: Lang = None,
) -> None:
    """Explain one patient: dated timeline, criteria met with their evidence, stage, risk, response."""
    from rairtc.cli.errors import usage_error
    from rairtc.cli.options import parse_date
    from rairtc.cli.parameters_file import load_parameters
    from rairtc.explain import explain as render_explanation

    if demo and patient_id is None:  # `explain --demo ID`: the one argument given is the id
        registry, patient_id = None, None if registry is None else str(registry)
    if demo == (registry is not None):
        raise usage_error("cli.registry_or_demo")
    if patient_id is None:
        raise usage_error("cli.explain_id_missing")
    parameters = load_parameters(params)
    day = parse_date(as_of) or date.today()
    today = max(day, date.today())
    patient = (
        _demo_patient(patient_id, today=today, params=parameters)
        if registry is None
        else _registry_patient(
            registry, patient_id, today=today, lenient=lenient, params=parameters
        )
    )
    text = render_explanation(patient, day, params=parameters, lang=language(), fmt=output.value)
    sys.stdout.write(text)


def _registry_patient(
    registry: Path, patient_id: str, *, today: date, lenient: bool, params: RuleParameters
) -> Patient:
    """The patient of a registry file, validated; other patients' errors don't matter here."""
    from rairtc.io.registry import load_registry

    loaded = load_registry(registry, today=today, lenient=lenient, params=params)
    mine = [v for v in loaded.validated if v.source.patient_id == patient_id]
    if not mine:
        raise UsageError(say("cli.patient_not_found", patient=patient_id, registry=registry.name))
    errors = [p for v in mine for p in v.problems if p.is_error]
    if errors or mine[0].patient is None:
        message = say("cli.patient_invalid", patient=patient_id, errors=len(errors))
        raise InvalidInput(message, [p for v in mine for p in v.problems])
    return mine[0].patient


def _demo_patient(patient_id: str, *, today: date, params: RuleParameters) -> Patient:
    """A patient of the bundled synthetic registry (issue 11: every reading command takes --demo)."""
    from rairtc.cli.registry_input import open_registry

    demo = open_registry(None, True, today=today, lenient=False, params=params)
    for patient in demo.patients:
        if patient.id == patient_id:
            return patient
    raise UsageError(say("cli.patient_not_found", patient=patient_id, registry="--demo"))
