"""The one place the web app turns message codes into sentences.

Validation messages (codes of :mod:`rairtc.core.messages`) go through :func:`problem_text`,
rendered by the catalogs the command line uses (:mod:`rairtc.i18n`); evidence sentences reuse
the report's catalogues (en, ru, kk).
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
    """A validation problem as a sentence in the page's language (its code stays stable)."""
    from rairtc.i18n.problems import problem_text as translated

    return translated(problem, current_language())


def evidence_text(code: str, params: dict[str, Any]) -> str:
    return Language(current_language()).evidence(code, params)
