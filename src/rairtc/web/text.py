"""The one place the web app turns message codes into sentences.

Validation messages (codes of :mod:`rairtc.core.messages`) go through :func:`problem_text`,
so wiring a shared translation catalogue later changes one function; until then they are the
core's English text. Evidence sentences reuse the report's catalogues (en, ru, kk).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from rairtc.core.messages import Problem
from rairtc.report.i18n import Language

LANGUAGES = ("en", "ru", "kk")


def current_language() -> str:
    code = (get_language() or "en").split("-")[0]
    return code if code in LANGUAGES else "en"


def problem_text(problem: Problem) -> str:
    """A validation problem as a sentence for the page (English until the catalogue lands)."""
    return problem.text


def evidence_text(code: str, params: dict[str, Any]) -> str:
    return Language(current_language()).evidence(code, params)
