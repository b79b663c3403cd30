"""The REGISTRY argument of the commands: a file or folder, or ``--demo`` for the bundled
synthetic registry (cli.md, Inputs)."""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rairtc.cli.errors import language, print_problems, say, usage_error
from rairtc.core.errors import InvalidInput

if TYPE_CHECKING:  # pydantic models: imported when a command runs, not for --help
    from rairtc.core.parameters import RuleParameters
    from rairtc.core.records import Patient
    from rairtc.io.registry import CsvOptions, Loaded

Demo = Annotated[
    bool,
    typer.Option(
        "--demo", metavar="", help="Use the bundled synthetic registry instead of REGISTRY."
    ),
]


SkipInvalid = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        metavar="",
        help="Leave invalid patients out, list them in rejected.csv and on stderr, and go on "
        "with the valid ones (default: any error stops the run).",
    ),
]
REJECTED_COLUMNS = ("patient_id", "record", "field", "code", "message")


@dataclass(frozen=True)
class Rejected:
    """One error that kept a patient out of the analysis (``--skip-invalid``)."""

    patient_id: str | None
    record: str
    field: str | None
    code: str
    message: str


@dataclass(frozen=True)
class RegistryInput:
    patients: list[Patient]
    sha256: str
    rejected: tuple[Rejected, ...] = ()
    invalid_patients: int = 0


def write_rejected(rejected: Sequence[Rejected], path: Path) -> None:
    """``rejected.csv``: one row per error of a patient left out by ``--skip-invalid``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REJECTED_COLUMNS)
        for r in rejected:
            writer.writerow([r.patient_id or "", r.record, r.field or "", r.code, r.message])


def _rejections(loaded: Loaded) -> tuple[list[Rejected], int]:
    from rairtc.i18n.problems import problem_text

    lang = language()
    errors = [p for p in loaded.file_problems if p.is_error]
    invalid = [v for v in loaded.validated if not v.ok]
    errors += [p for v in invalid for p in v.problems if p.is_error]
    rejected = [
        Rejected(p.patient_id, p.record, p.field, p.code, problem_text(p, lang)) for p in errors
    ]
    return rejected, len(invalid)


def csv_options(encoding: str | None, delimiter: str | None) -> CsvOptions:
    """``--encoding`` and ``--delimiter`` checked: a usage error names what is accepted."""
    import codecs

    from rairtc.io.csv_tables import DELIMITERS
    from rairtc.io.registry import CsvOptions

    if delimiter is not None and delimiter not in DELIMITERS:
        raise usage_error("cli.delimiter_invalid", delimiter=delimiter)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise usage_error("cli.encoding_invalid", encoding=encoding) from None
    return CsvOptions(encoding, delimiter)


def open_registry(
    registry: Path | None,
    demo: bool,
    *,
    today: date,
    lenient: bool,
    params: RuleParameters,
    skip_invalid: bool = False,
    csv: CsvOptions | None = None,
) -> RegistryInput:
    """Validated patients and the input checksum: all or nothing, or with ``skip_invalid`` the
    valid patients and the errors of those left out."""
    if demo == (registry is not None):
        raise usage_error("cli.registry_or_demo")
    if demo:
        from rairtc.io.json_files import patient_to_json
        from rairtc.synth.registry import demo_patients

        patients = demo_patients()
        text = json.dumps(
            [patient_to_json(p) for p in patients], sort_keys=True, ensure_ascii=False
        )
        return RegistryInput(patients, hashlib.sha256(text.encode()).hexdigest())
    from rairtc.io.checksum import input_sha256
    from rairtc.io.registry import load_registry

    assert registry is not None
    loaded = load_registry(registry, today=today, lenient=lenient, params=params, csv=csv)
    if loaded.errors and not skip_invalid:
        message = say("cli.registry_invalid", errors=len(loaded.errors), name=registry.name)
        raise InvalidInput(message, loaded.problems)

    print_problems(loaded.warnings)
    rejected, invalid = _rejections(loaded)
    print_rejected(rejected)
    if skip_invalid and not loaded.patients:
        raise InvalidInput(say("cli.nothing_valid", name=registry.name), loaded.problems)
    return RegistryInput(loaded.patients, input_sha256(registry), tuple(rejected), invalid)


@dataclass(frozen=True)
class Analysis:
    """What every analysis command starts from: parameters, the as-of date, the registry."""

    params: RuleParameters
    as_of: date
    registry: RegistryInput


def open_analysis(
    registry: Path | None,
    demo: bool,
    *,
    as_of: str | None,
    params_file: str | None,
    lenient: bool,
    today: str | None = None,
    skip_invalid: bool = False,
    csv: CsvOptions | None = None,
) -> Analysis:
    """``--params``, ``--as-of`` (default: today) and the registry, validated all or nothing;
    "in the future" is judged against ``--today``, else the later of as-of and the clock."""
    from rairtc.cli.options import parse_date
    from rairtc.cli.parameters_file import load_parameters

    params = load_parameters(params_file)
    day = parse_date(as_of) or date.today()
    source = open_registry(
        registry,
        demo,
        today=parse_date(today) or max(day, date.today()),
        lenient=lenient,
        params=params,
        skip_invalid=skip_invalid,
        csv=csv,
    )
    return Analysis(params, day, source)


def print_rejected(rejected: Sequence[Rejected]) -> None:
    """``--skip-invalid``: one line on stderr per error of a patient left out."""
    for r in rejected:
        line = say(
            "cli.rejected",
            patient=r.patient_id or "?",
            record=r.record,
            field=r.field or "-",
            code=r.code,
        )
        print(line, file=sys.stderr)
