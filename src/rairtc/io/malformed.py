"""The one error every reader raises for a file it cannot read as its format (exit 65)."""

from __future__ import annotations

from rairtc.core.errors import InvalidInput
from rairtc.core.messages import Problem


def malformed(where: str, fmt: str, reason: str) -> InvalidInput:
    """``where`` names the file (and line or row when known); nothing of its content."""
    problem = Problem(
        "validation.file_malformed", None, where, None, {"format": fmt, "reason": reason}
    )
    return InvalidInput(problem.text, [problem], code=problem.code, params=problem.params)


def cell_error(error: BaseException) -> str:
    """Why a column could not be read, without the cell's value."""
    if isinstance(error, UnicodeDecodeError):
        return "a text column holds bytes that are not UTF-8"
    if isinstance(error, OverflowError):
        return "a date or number is out of range"
    return type(error).__name__
