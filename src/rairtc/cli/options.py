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
    except ValueError:  # a usage error (exit 2), said by the command's error handler
        from rairtc.cli.errors import usage_error

        raise usage_error("cli.date_option_invalid", value=value) from None


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class TableOrJson(StrEnum):
    """Commands without a CSV form: an unknown --format is a usage error (exit 2)."""

    TABLE = "table"
    JSON = "json"


Lenient = Annotated[
    bool,
    typer.Option("--lenient", metavar="", help="Unknown fields are warnings, not errors."),
]
Today = Annotated[
    str | None,
    typer.Option(
        "--today", metavar="DATE", help="The date used for 'in the future' (default: the clock)."
    ),
]
CsvEncoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="NAME",
        help="CSV tables: read them in this encoding (utf-8, cp1251, utf-16); default: detected.",
    ),
]
CsvDelimiter = Annotated[
    str | None,
    typer.Option(
        "--delimiter",
        metavar="SEP",
        help="CSV tables: the separator (',', ';' or 'tab'); default: detected.",
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


def _language(value: str | None) -> str | None:
    """Validate ``--lang`` and make it the language of every message of this run."""
    from rairtc.cli.errors import LANGUAGE
    from rairtc.i18n import LANGUAGES, translate

    if value is None:
        return None
    if value not in LANGUAGES:
        raise typer.BadParameter(
            translate(
                "cli.language_unknown",
                {"value": value, "allowed": ", ".join(LANGUAGES)},
                LANGUAGE["code"],
            )
        )
    LANGUAGE["code"] = value
    return value


Lang = Annotated[
    str | None,
    typer.Option(
        "--lang",
        callback=_language,
        metavar="en|ru|kk",
        help="Language of messages and reports: en, ru or kk "
        "(default: RAIRTC_LANG, then the locale).",
    ),
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
