"""The exceptions a user can meet, and the exit code each one maps to.

::

    RairtcError                 exit 1  an unexpected internal problem
    ├── UsageError              exit 2  bad usage: unknown format, bad option value
    ├── InputUnavailable        exit 66 an input that cannot be opened
    └── InvalidInput            exit 65 invalid input data; carries every problem found

Messages say what was received, what is allowed and what to do. They name records by
patient id and location, never by a patient's name or national id.
"""

from __future__ import annotations

from collections.abc import Sequence

from rairtc.core.messages import Problem


class RairtcError(Exception):
    exit_code = 1


class UsageError(RairtcError):
    exit_code = 2


class InputUnavailable(RairtcError):
    exit_code = 66


class InvalidInput(RairtcError):
    exit_code = 65

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)
