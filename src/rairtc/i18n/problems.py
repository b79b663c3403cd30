"""Validation problems in the user's language: the same code, patient, record and field, with
the severity word and the message text translated."""

from __future__ import annotations

from rairtc.core.messages import Problem
from rairtc.i18n import translate


def problem_text(problem: Problem, lang: str) -> str:
    return translate(problem.code, {"field": problem.field, **problem.params}, lang)


def problem_line(problem: Problem, lang: str) -> str:
    """One stderr line, as :meth:`Problem.line` but in ``lang``; the code stays as it is."""
    if lang == "en":
        return problem.line()
    patient = problem.patient_id if problem.patient_id is not None else "?"
    values = {"patient": patient, "record": problem.record, "field": problem.field}
    where = translate("problem.where_field" if problem.field else "problem.where", values, lang)
    severity = translate(f"problem.severity.{problem.severity}", {}, lang)
    return f"{severity}: {problem.code}: {where}: {problem_text(problem, lang)}"
