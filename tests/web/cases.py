"""Patients the web tests share, written as a clinician would enter them."""

from __future__ import annotations

from datetime import date
from typing import Any

from rairtc.core.records import Patient


def first_course_patient(pid: str = "WEB-1", **extra: Any) -> Patient:
    """Papillary carcinoma, total thyroidectomy, a first 100 mCi course and nothing after."""
    return Patient.model_validate(
        {
            "id": pid,
            "full_name": "Omarova Saule Maratkyzy",
            "national_id": "780412400017",
            "mrn": "MRN-555001",
            "sex": "F",
            "birth_date": "1978-04-12",
            "diagnosis_date": "2024-01-15",
            "histology": "papillary",
            "t": "T2",
            "n": "N1b",
            "m": "M0",
            "surgeries": [{"id": "s1", "date": "2024-01-15", "procedure": "total_thyroidectomy"}],
            "rai_courses": [
                {
                    "id": "c1",
                    "date": "2024-11-30",
                    "activity_mci": 100,
                    "stimulation": "withdrawal",
                    "tsh_miu_l": 64,
                }
            ],
            "labs": [
                {
                    "id": "l1",
                    "date": "2024-11-30",
                    "test": "tg",
                    "value": 25.0,
                    "unit": "ng/mL",
                    "stimulated": True,
                },
            ],
            **extra,
        }
    )


NONAVID_SCAN = {
    "id": "i1",
    "date": "2024-12-04",
    "modality": "post_therapy_spect_ct",
    "findings": [
        {
            "id": "f1",
            "site": "cervical_lymph_node",
            "nodal_level": "III",
            "side": "left",
            "kind": "regional_metastasis",
            "rai_uptake": False,
            "size_mm": 14,
        }
    ],
}
SCAN_DAY = date(2024, 12, 4)
