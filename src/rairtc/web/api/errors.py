"""Every API error is JSON: ``{"errors": [{"code", "message", ...}]}``.

Validation problems carry the core's message codes (:mod:`rairtc.core.messages`) with their
record and field; the API's own situations have codes of their own (``unauthorized``,
``forbidden``, ``not_found``, ``conflict``, ``bad_request``, ``invalid_request``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rairtc.core.messages import Problem
from rairtc.web.text import problem_text


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra

    def body(self) -> dict[str, Any]:
        return {"errors": [{"code": self.code, "message": self.message, **self.extra}]}


class Invalid(Exception):
    """The core refused a patient: 422 with every problem (errors and warnings)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s)")

    def body(self) -> dict[str, Any]:
        return {"errors": [{**p.as_dict(), "message": problem_text(p)} for p in self.problems]}
