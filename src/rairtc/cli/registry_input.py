"""The REGISTRY argument of the commands: a file or folder, or ``--demo`` for the bundled
synthetic registry (cli.md, Inputs)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rairtc.cli.errors import print_problems
from rairtc.core.errors import UsageError

if TYPE_CHECKING:  # pydantic models: imported when a command runs, not for --help
    from rairtc.core.parameters import RuleParameters
    from rairtc.core.records import Patient
    from rairtc.io.registry import CsvOptions

Demo = Annotated[
    bool, typer.Option("--demo", help="Use the bundled synthetic registry instead of REGISTRY.")
]


@dataclass(frozen=True)
class RegistryInput:
    patients: list[Patient]
    sha256: str


def csv_options(encoding: str | None, delimiter: str | None) -> CsvOptions:
    """``--encoding`` and ``--delimiter`` checked: a usage error names what is accepted."""
    import codecs

    from rairtc.io.csv_tables import DELIMITERS
    from rairtc.io.registry import CsvOptions

    if delimiter is not None and delimiter not in DELIMITERS:
        raise UsageError(f"--delimiter '{delimiter}' is not one of ',', ';' or 'tab'")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(
                f"--encoding '{encoding}' is not an encoding; use utf-8, cp1251 or utf-16"
            ) from None
    return CsvOptions(encoding, delimiter)


def open_registry(
    registry: Path | None,
    demo: bool,
    *,
    today: date,
    lenient: bool,
    params: RuleParameters,
    csv: CsvOptions | None = None,
) -> RegistryInput:
    """Validated patients (all or nothing) and the input checksum."""
    if demo == (registry is not None):
        raise UsageError("give a REGISTRY or --demo (one of the two)")
    if demo:
        from rairtc.io.json_files import patient_to_json
        from rairtc.synth.registry import demo_patients

        patients = demo_patients()
        text = json.dumps(
            [patient_to_json(p) for p in patients], sort_keys=True, ensure_ascii=False
        )
        return RegistryInput(patients, hashlib.sha256(text.encode()).hexdigest())
    from rairtc.io.checksum import input_sha256
    from rairtc.io.registry import load_valid_registry

    assert registry is not None
    loaded = load_valid_registry(registry, today=today, lenient=lenient, params=params, csv=csv)
    print_problems(loaded.warnings)
    return RegistryInput(loaded.patients, input_sha256(registry))


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
        csv=csv,
    )
    return Analysis(params, day, source)
