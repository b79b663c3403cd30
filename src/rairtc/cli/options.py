"""Options shared by several commands, declared once."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


def parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from None


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


Lenient = Annotated[
    bool, typer.Option("--lenient", help="Unknown fields are warnings, not errors.")
]
Today = Annotated[
    str | None,
    typer.Option(
        "--today", metavar="DATE", help="The date used for 'in the future' (default: the clock)."
    ),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Ignore every record dated after DATE (default: today)."
    ),
]
Params = Annotated[
    str | None,
    typer.Option(
        "--params",
        metavar="FILE.toml",
        help="Rule parameters (TOML); 'preset = \"literal_12_16\"' selects a preset.",
    ),
]


def _language(value: str) -> str:
    from rairtc.report import LANGUAGES

    if value not in LANGUAGES:
        raise typer.BadParameter(
            f"'{value}' is not a report language; allowed: {', '.join(LANGUAGES)}"
        )
    return value


Lang = Annotated[
    str, typer.Option("--lang", callback=_language, help="Report language: en, ru or kk.")
]
PseudonymKey = Annotated[
    Path | None,
    typer.Option(
        "--pseudonym-key",
        metavar="FILE",
        help="Keep the key of the patient pseudonyms in FILE (read if it exists, else written); "
        "without it the key is never stored.",
    ),
]
Identified = Annotated[
    bool,
    typer.Option(
        "--identified",
        help="Write registry ids instead of pseudonyms, for internal MDT use; every page is "
        "marked 'contains identifiers'.",
    ),
]
