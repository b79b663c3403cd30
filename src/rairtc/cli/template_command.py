"""``rairtc template``: an Excel workbook to fill in, in English, Russian or Kazakh."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rairtc.cli.errors import reports_errors, say, usage_error

TEMPLATE_LANGUAGES = ("en", "ru", "kk")


@reports_errors
def template(
    out: Annotated[Path, typer.Argument(help="The workbook to write (.xlsx).")],
    lang: Annotated[
        str,
        typer.Option(
            "--lang", help="Language of the sheet names, headers and lists: en, ru or kk."
        ),
    ] = "en",
) -> None:
    """Write a registry workbook to fill in: every sheet and column, drop-down lists for coded
    columns, date and number formats, instructions and two example patients."""
    if lang not in TEMPLATE_LANGUAGES:
        raise usage_error("cli.template_language", lang=lang, allowed=", ".join(TEMPLATE_LANGUAGES))
    if out.suffix.lower() != ".xlsx":
        raise usage_error("cli.template_not_xlsx", name=out.name)
    from rairtc.io.template import write_template

    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True)
    write_template(out, lang)
    print(say("cli.template_written", out=out, lang=lang), file=sys.stderr)
