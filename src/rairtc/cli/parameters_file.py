"""Reading ``--params FILE.toml`` into :class:`~rairtc.core.parameters.RuleParameters`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from rairtc.cli.errors import language, say
from rairtc.core.errors import InputUnavailable, UsageError
from rairtc.core.parameters import (
    DEFAULT_PARAMETERS,
    ParameterError,
    RuleParameters,
    build_parameters,
)


def load_parameters(path: str | None) -> RuleParameters:
    if path is None:
        return DEFAULT_PARAMETERS
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        message = say("cli.cannot_open_parameters", path=path, reason=error.strerror)
        raise InputUnavailable(message) from None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(say("cli.parameters_not_toml", path=path, reason=error)) from None
    try:
        return build_parameters(values)
    except ParameterError as error:
        from rairtc.i18n import error_text

        raise UsageError(f"{path}: {error_text(error, language())}") from None
