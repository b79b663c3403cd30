"""Classification results as flat rows: the CSV of ``classify --format csv`` and the DataFrame
of :meth:`rairtc.Classifications.to_pandas` share this one definition of the columns."""

from __future__ import annotations

from typing import Any

from rairtc.core.rules.terms import Criterion

SCALARS = (
    "patient_id",
    "status",
    "rair",
    "onset_date",
    "primary_criterion",
    "cumulative_activity_mci",
    "follow_up_months",
    "stage",
    "stage_reason",
    "ata_risk",
    "response",
    "response_reason",
)
LISTS = ("criteria", "not_evaluable", "risk_flags", "response_flags")
COLUMNS = (*SCALARS, *LISTS, *(f"{c.value}_date" for c in Criterion))


def row(result: dict[str, Any]) -> dict[str, Any]:
    """One patient's row with typed values (None when unknown); lists joined by ``;``."""
    out = {key: result[key] for key in SCALARS}
    out["criteria"] = ";".join(c["code"] for c in result["criteria"])
    out["not_evaluable"] = ";".join(f"{n['code']}:{n['reason']}" for n in result["not_evaluable"])
    out["risk_flags"] = ";".join(result["risk_flags"])
    out["response_flags"] = ";".join(result["response_flags"])
    dates = {c["code"]: c["date"] for c in result["criteria"]}
    for criterion in Criterion:
        out[f"{criterion.value}_date"] = dates.get(criterion.value)
    return out


def csv_row(result: dict[str, Any]) -> dict[str, Any]:
    """The CSV form of :func:`row`: unknown is an empty cell, booleans are true/false."""
    return {
        k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v)
        for k, v in row(result).items()
    }
