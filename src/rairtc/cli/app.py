"""The ``rairtc`` application: global options and the list of commands."""

from __future__ import annotations

from typing import Annotated

import typer

from rairtc.cli import (
    classify_commands,
    demo_command,
    exchange_commands,
    explain_command,
    registry_commands,
    replicate_command,
    study_commands,
    synth_command,
    template_command,
    web_commands,
)
from rairtc.cli.errors import DEBUG, LANGUAGE
from rairtc.cli.options import Lang

app = typer.Typer(
    name="rairtc",
    help="Find radioiodine-refractory differentiated thyroid cancer in a registry, explain "
    "why, and turn the registry into a study.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
)


def _version(value: bool) -> None:
    if value:
        from rairtc import __version__

        typer.echo(f"rairtc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            metavar="",
            help="Print the version and exit.",
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", metavar="", help="Show tracebacks of internal errors.")
    ] = False,
    lang: Lang = None,
) -> None:
    from rairtc.i18n import resolve_language

    DEBUG["enabled"] = debug
    LANGUAGE["code"] = resolve_language(lang)  # --lang on the command, when given, overrides it


app.command()(registry_commands.validate)
app.command()(registry_commands.convert)
app.command()(classify_commands.classify)
app.command()(classify_commands.stage)
app.command()(explain_command.explain)
app.command("sample-size")(study_commands.sample_size_command)
app.command()(study_commands.sample)
app.command()(study_commands.study)
app.command()(synth_command.synth)
app.command()(demo_command.demo)
app.command()(replicate_command.replicate)
app.command()(template_command.template)
app.command()(web_commands.serve)
app.command()(web_commands.createuser)
app.command()(web_commands.reclassify)
app.command()(exchange_commands.export)
app.add_typer(exchange_commands.redcap_app, name="redcap")

app.add_typer(web_commands.token_app, name="token")


def main() -> None:
    """The console script: ``--help`` in the language of ``--lang`` or the environment."""
    import sys

    from rairtc.cli.help_language import language_of

    lang = language_of(sys.argv[1:])
    try:
        if lang == "en":
            app()
        else:
            from rairtc.cli.help_language import localised

            localised(app, lang)()
    finally:
        _exit_without_last_collection()


def _exit_without_last_collection() -> None:
    """Spare the interpreter's last garbage collection on the way out: it walks every object
    the command's libraries created (Ibis, sqlglot, pandas: about 0.2 s at every command) only
    to free memory the operating system takes back anyway. ``gc.freeze`` moves them out of the
    collector's reach; they are still freed by reference counting. Every command closes its
    files and connections itself (the bulk engine its DuckDB database and spill files), so
    nothing waits for that collection to be flushed or removed."""
    import gc

    gc.freeze()
