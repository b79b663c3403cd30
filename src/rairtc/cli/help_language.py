"""``--help`` in Russian and Kazakh, as far as Typer allows.

Typer fixes help texts when the command tree is built, before any option is parsed, so the
language of ``--help`` is read from the raw arguments (``--lang ru`` anywhere) or the
environment (``RAIRTC_LANG``, then the locale). For ru and kk the built tree gets the
translated texts of every command and option, and Typer's panel titles; English runs the tree
untouched (``rairtc --help`` stays instant). Translations live in the shared catalogs of
:mod:`rairtc.i18n` under the context ``help``; ``python -m rairtc.cli.help_language`` adds
new texts to them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import typer

# Typer's own words in the help screen (module constants of typer.rich_utils).
TYPER_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "REQUIRED_LONG_STRING": "[required]",
    "DEFAULT_STRING": "[default: {}]",
}
HELP_OPTION = "Show this message and exit."


def language_of(argv: Sequence[str]) -> str:
    """``--lang X`` or ``--lang=X`` among the arguments (when valid), else the environment."""
    from rairtc.i18n import LANGUAGES, resolve_language

    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in LANGUAGES:
            return value
    return resolve_language()


def _commands(command: Any) -> Iterator[Any]:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def help_texts(command: Any) -> list[str]:
    """Every help text of a command tree, Typer's own words included, without duplicates."""
    texts = [*TYPER_TEXTS.values(), HELP_OPTION]
    for c in _commands(command):
        texts += [c.help] if c.help else []
        texts += [p.help for p in c.params if getattr(p, "help", None)]
    return list(dict.fromkeys(texts))


def localised(app: typer.Typer, lang: str) -> Any:
    """The click command of ``app`` with its help in ``lang``."""
    import typer.rich_utils as rich_utils

    from rairtc.i18n import help_text

    command = typer.main.get_command(app)
    for c in _commands(command):
        if c.help:
            c.help = help_text(c.help, lang)
        for p in c.params:
            if getattr(p, "help", None):
                p.help = help_text(p.help, lang)
        option = c.get_help_option(typer.Context(c))
        if option is not None:
            option.help = help_text(HELP_OPTION, lang)
    for constant, english in TYPER_TEXTS.items():
        setattr(rich_utils, constant, help_text(english, lang))
    return command


if __name__ == "__main__":
    from rairtc.cli.app import app
    from rairtc.i18n.catalogs import update_catalog

    texts = help_texts(typer.main.get_command(app))
    for code in ("ru", "kk"):
        print(f"{code}: {update_catalog(code, texts)} untranslated")
