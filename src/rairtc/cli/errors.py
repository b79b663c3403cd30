"""How the command line reports errors: one message per line on stderr, the exit code of the
exception, and no traceback (patient data could be in local variables) unless ``--debug``."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import ParamSpec, TypeVar

import typer

from rairtc.core.errors import InvalidInput, RairtcError, UsageError
from rairtc.core.messages import Problem

P = ParamSpec("P")
R = TypeVar("R")

DEBUG = {"enabled": False}
# The language of this run's messages: ``--lang``, else RAIRTC_LANG, else the locale (set by
# the root callback before any command runs, and by ``--lang`` when given).
LANGUAGE = {"code": "en"}


def language() -> str:
    return LANGUAGE["code"]


def say(message: str, /, **params: object) -> str:
    """The text of a message code in this run's language."""
    from rairtc.i18n import translate

    return translate(message, params, language())


def usage_error(message: str, /, **params: object) -> UsageError:
    return UsageError(say(message, **params))


def print_problems(problems: Sequence[Problem]) -> None:
    from rairtc.i18n.problems import problem_line

    for problem in problems:
        print(problem_line(problem, language()), file=sys.stderr)


def _text(error: RairtcError) -> str:
    """An error's message in this run's language (through its code, when it has one)."""
    from rairtc.i18n import error_text

    return error_text(error, language())


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the exceptions a user can meet into a message and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except typer.Exit:
            raise
        except BrokenPipeError:  # the reader (head, less) closed the pipe: nothing more to say
            sys.stderr.close()
            raise typer.Exit(0) from None
        except InvalidInput as error:
            print_problems(error.problems)
            print(f"rairtc: {say('cli.invalid_input', message=_text(error))}", file=sys.stderr)
            raise typer.Exit(error.exit_code) from None
        except RairtcError as error:
            print(f"rairtc: {_text(error)}", file=sys.stderr)
            raise typer.Exit(error.exit_code) from None
        except Exception as error:
            if DEBUG["enabled"]:
                raise
            print(
                f"rairtc: {say('cli.internal_error', name=type(error).__name__)}", file=sys.stderr
            )
            raise typer.Exit(1) from None

    return wrapper
