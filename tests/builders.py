"""Small builders for clinical test cases: a patient is a dict with sensible defaults, so a
test states only what its case is about."""

from __future__ import annotations

from datetime import date
from typing import Any

from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters
from rairtc.core.records import Patient
from rairtc.core.rules.classify import Classification, classify

AS_OF = date(2024, 12, 31)


def patient(**fields: Any) -> Patient:
    """A 40-year-old woman with papillary carcinoma T1b N0 M0, thyroidectomy 2022-01-10."""
    data: dict[str, Any] = {
        "id": "P1",
        "sex": "F",
        "birth_date": "1982-03-15",
        "diagnosis_date": "2022-01-10",
        "histology": "papillary",
        "t": "T1b",
        "n": "N0",
        "m": "M0",
        "surgeries": [{"date": "2022-01-10", "procedure": "total_thyroidectomy"}],
    }
    data.update(fields)
    return Patient.model_validate(data)


def course(
    day: str,
    mci: float = 100,
    *,
    tsh: float | None = 50,
    stimulation: str | None = "withdrawal",
    **extra: Any,
) -> dict[str, Any]:
    return {"date": day, "activity_mci": mci, "stimulation": stimulation, "tsh_miu_l": tsh, **extra}


def finding(
    site: str = "cervical_lymph_node",
    kind: str = "regional_metastasis",
    *,
    side: str | None = "right",
    **extra: Any,
) -> dict[str, Any]:
    return {"site": site, "kind": kind, "side": side, **extra}


def study(
    day: str, modality: str = "post_therapy_wbs", *findings: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {"date": day, "modality": modality, "findings": list(findings), **extra}


def run(
    p: Patient, params: RuleParameters = DEFAULT_PARAMETERS, as_of: date = AS_OF
) -> Classification:
    return classify(p, as_of, params)


def criterion(result: Classification, code: str) -> Any:
    """The reported occurrence of a criterion, or None when it is not met."""
    return next((o for o in result.criteria if o.criterion == code), None)
