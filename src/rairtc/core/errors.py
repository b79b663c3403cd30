"""The exceptions a user can meet, and the exit code each one maps to.

::

    RairtcError                 exit 1  an unexpected internal problem
    ├── CalibrationError        exit 1  the replica cannot give the published counts (a bug)
    ├── UsageError              exit 2  bad usage: unknown format, bad option value
    │   ├── ParameterError      exit 2  a rule-parameter set that cannot be used
    │   └── StudyError          exit 2  a study that cannot be run as asked
    │       └── SamplingError   exit 2  a draw that cannot be made (size, frame)
    ├── InputUnavailable        exit 66 an input that cannot be opened
    └── InvalidInput            exit 65 invalid input data; carries every problem found

One tree, so that a caller (the command line, a notebook, the web app) catches
``RairtcError`` and reads ``exit_code``; anything else escaping is a bug. The classes are
defined here and re-exported where they are raised (``rairtc.core.parameters``,
``rairtc.study.run``, ``rairtc.study.sampling``, ``rairtc.synth.replica``).

Messages say what was received, what is allowed and what to do. They name records by
patient id and location, never by a patient's name or national id. An error may carry the
stable ``code`` of its text (a key of ``rairtc.i18n``) and the ``params`` it was filled with,
so that the command line can say it in the user's language; the message itself is English.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rairtc.core.messages import Problem


class RairtcError(Exception):
    exit_code = 1

    def __init__(
        self, message: str = "", *, code: str | None = None, params: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.params = dict(params or {})


class CalibrationError(RairtcError):
    """The replica of the published cohort does not give a published count, or its
    calibration did not settle within its bound: a bug, never the user's input."""


class UsageError(RairtcError):
    exit_code = 2


class ParameterError(UsageError):
    """A parameter set that cannot be used; the message names the key and what is allowed."""


class StudyError(UsageError):
    """A study that cannot be run as asked (a sample id outside the frame, a size too large,
    a stratum that is not a patient field)."""


class SamplingError(StudyError):
    """A draw that cannot be made (a size larger than the frame, a negative size)."""


class InputUnavailable(RairtcError):
    exit_code = 66


class InvalidInput(RairtcError):
    exit_code = 65

    def __init__(
        self,
        message: str,
        problems: Sequence[Problem] = (),
        *,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.problems = tuple(problems)
