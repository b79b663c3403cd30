"""Small study cohorts built from clinical building blocks, so that every count in a test can
be checked by hand."""

from __future__ import annotations

from typing import Any

from rairtc.core.records import Patient
from tests.builders import course, finding, patient, study


def sensitive(
    pid: str,
    *,
    sex: str = "F",
    birth: str = "1975-05-05",
    day: str = "2023-03-06",
    histology: str = "papillary",
    **extra: Any,
) -> Patient:
    """One course in 2023, a clean post-therapy scan: not refractory."""
    scan_day = day[:-2] + f"{int(day[-2:]) + 3:02d}"
    fields: dict[str, Any] = {
        "id": pid,
        "sex": sex,
        "birth_date": birth,
        "histology": histology,
        "rai_courses": [course(day)],
        "imaging": [
            study(scan_day, "post_therapy_wbs", finding("thyroid_bed", "remnant", rai_uptake=True))
        ],
    }
    fields.update(extra)
    return patient(**fields)


def refractory(
    pid: str, *, sex: str = "F", birth: str = "1970-01-01", day: str = "2023-03-06", **extra: Any
) -> Patient:
    """One course in 2023 whose scan shows an avid remnant and a non-avid node: refractory,
    primary criterion nonavid_lesion (the remnant's uptake rules out 'never avid')."""
    scan_day = day[:-2] + f"{int(day[-2:]) + 3:02d}"
    fields: dict[str, Any] = {
        "id": pid,
        "sex": sex,
        "birth_date": birth,
        "n": "N1b",
        "rai_courses": [course(day)],
        "imaging": [
            study(
                scan_day,
                "post_therapy_wbs",
                finding("thyroid_bed", "remnant", rai_uptake=True),
                finding(rai_uptake=False),
            )
        ],
    }
    fields.update(extra)
    return patient(**fields)
