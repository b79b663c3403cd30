"""Hypothesis registries weighted toward every boundary the rules draw (issue 12).

Dates are built from anchors (courses, month ends) plus offsets that sit on the edges of each
window: scan days 0/1/2/10/11/14/15 after a course, FDG-RAI gaps of 364-366 days, progression
at 12 and 16 months after a course (and a day either side), the response window's first day,
equal dates; activities in mCi and GBq that sum to exactly 22,200 MBq; TSH exactly 30; Tg and
TgAb at their thresholds; ages around the AJCC cut-offs; unknown values everywhere.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from rairtc.core.codes import NCategory, TCategory
from rairtc.core.dates import add_months
from rairtc.core.parameters import RuleParameters, build_parameters
from rairtc.core.records import Patient

AS_OF = (date(2024, 12, 31), date(2024, 2, 29), date(2023, 3, 31), date(2024, 6, 30))
MONTH_ENDS = (
    date(2019, 1, 31),
    date(2019, 2, 28),
    date(2020, 2, 29),
    date(2020, 3, 31),
    date(2020, 8, 31),
    date(2021, 10, 31),
    date(2022, 1, 30),
    date(2022, 6, 15),
    date(2023, 2, 28),
    date(2023, 11, 30),
)
SCAN_DAYS = (0, 1, 2, 3, 7, 10, 11, 14, 15)
GAPS = (1, 2, 14, 15, 20, 30, 31, 90, 180, 364, 365, 366)
STUDY_OFFSETS = (-366, -365, -364, -1, 0, 1, 2, 11, 15, 364, 365, 366)
MCI = (100, 150, 200, 200, 250, 300, 30.5)
GBQ = (3.7, 5.55, 7.4, 7.4, 11.1, 18.5, 1.11)
TSH = (None, 29.9, 30.0, 30.0, 30.1, 80.0)
SITES = ("thyroid_bed", "cervical_lymph_node", "cervical_lymph_node", "lung")
SIDES = (None, "left", "right")
KINDS = ("regional_metastasis", "local_recurrence", "distant_metastasis", "indeterminate")
TG = (0.1, 0.19, 0.2, 0.5, 0.99, 1.0, 5.0, 9.99, 10.0, 25.0)
PARAMETER_SETS = (
    {},
    {},
    {"count_unconfirmed_as_met": True},
    {"c1_ignore_thyroid_bed_uptake": True},
    {"preset": "literal_12_16"},
    {"staging_edition": 7},
    {"include_pdtc": True, "fdg_mismatch_max_days": 364},
)


def maybe(strategy: st.SearchStrategy[Any], none_share: int = 3) -> st.SearchStrategy[Any]:
    """None about one time in ``none_share``."""
    return st.integers(0, none_share - 1).flatmap(lambda k: st.none() if k == 0 else strategy)


@st.composite
def finding(draw: st.DrawFn, modality: str) -> dict[str, Any]:
    site = draw(st.sampled_from(SITES))
    kinds = (*KINDS, "remnant", "remnant") if site == "thyroid_bed" else KINDS
    data: dict[str, Any] = {
        "site": site,
        "side": draw(st.sampled_from(SIDES)),
        "kind": draw(st.sampled_from(kinds)),
        "new": draw(maybe(st.booleans())),
    }
    if modality in ("post_therapy_wbs", "post_therapy_spect_ct", "diagnostic_wbs"):
        data["rai_uptake"] = draw(maybe(st.booleans(), 4))
    if modality == "fdg_pet_ct":
        data["fdg_uptake"] = draw(maybe(st.booleans(), 4))
    return data


@st.composite
def patient(draw: st.DrawFn, pid: str) -> Patient:
    first = draw(st.sampled_from(MONTH_ENDS))
    course_days = [first]
    for _ in range(draw(st.integers(0, 3))):
        course_days.append(course_days[-1] + timedelta(days=draw(st.sampled_from(GAPS[3:]))))
    if draw(st.integers(0, 5)) == 0:
        course_days = []
    diagnosis = (course_days[0] if course_days else first) - timedelta(
        days=draw(st.sampled_from((0, 30, 60, 400)))
    )
    cutoff_age = draw(st.sampled_from((44, 45, 54, 55, 30, 70)))
    birth = add_months(diagnosis, -12 * cutoff_age) + timedelta(
        days=draw(st.sampled_from((-1, 0, 1)))
    )
    counter = iter(range(1000))
    courses, imaging = [], []
    for day in course_days:
        unit = draw(st.sampled_from(("mci", "gbq", "both")))
        course: dict[str, Any] = {
            "date": day.isoformat(),
            "stimulation": draw(maybe(st.sampled_from(("withdrawal", "rhtsh")))),
            "tsh_miu_l": draw(st.sampled_from(TSH)),
        }
        if unit == "mci":
            course["activity_mci"] = draw(st.sampled_from(MCI))
        elif unit == "gbq":
            course["activity_gbq"] = draw(st.sampled_from(GBQ))
        else:
            course["activity_gbq"] = draw(st.sampled_from(GBQ))
            course["activity_mci"] = round(course["activity_gbq"] * 1000 / 37, 4)
        courses.append(course)
        for _ in range(draw(st.sampled_from((0, 1, 1, 1, 2)))):
            modality = draw(st.sampled_from(("post_therapy_wbs", "post_therapy_spect_ct")))
            imaging.append(
                _study(
                    draw, counter, day + timedelta(days=draw(st.sampled_from(SCAN_DAYS))), modality
                )
            )
    anchors = course_days or [first]
    for _ in range(draw(st.integers(0, 4))):
        anchor = draw(st.sampled_from(anchors + [s_date(s) for s in imaging]))
        how = draw(st.sampled_from(("offset", "months")))
        if how == "offset":
            day = anchor + timedelta(days=draw(st.sampled_from(STUDY_OFFSETS)))
        else:
            day = add_months(anchor, draw(st.sampled_from((12, 16, 17)))) + timedelta(
                days=draw(st.sampled_from((-1, 0, 1)))
            )
        modality = draw(
            st.sampled_from(
                ("fdg_pet_ct", "fdg_pet_ct", "diagnostic_wbs", "ct", "neck_us", "post_therapy_wbs")
            )
        )
        imaging.append(_study(draw, counter, day, modality))
    surgeries = [{"date": diagnosis.isoformat(), "procedure": "total_thyroidectomy"}]
    if imaging and draw(st.booleans()):
        around = s_date(draw(st.sampled_from(imaging)))
        surgeries.append(
            {
                "date": (
                    around + timedelta(days=draw(st.sampled_from((-1, 0, 1, 30))))
                ).isoformat(),
                "procedure": "recurrence_excision",
            }
        )
    as_of_hint = draw(st.sampled_from(AS_OF))
    window_start = add_months(as_of_hint, -12)
    labs = []
    for _ in range(draw(st.integers(0, 4))):
        test = draw(st.sampled_from(("tg", "tg", "tgab", "tsh")))
        day = draw(
            st.sampled_from(
                (
                    window_start,
                    window_start - timedelta(days=1),
                    as_of_hint,
                    as_of_hint - timedelta(days=40),
                )
            )
        )
        lab: dict[str, Any] = {
            "date": day.isoformat(),
            "test": test,
            "value": draw(
                st.sampled_from(TG if test != "tgab" else (2.0, 4.0, 6.0, 9.0, 40.0, 60.0))
            ),
            "unit": {"tg": "ng/mL", "tgab": "IU/mL", "tsh": "mIU/L"}[test],
        }
        if test == "tg":
            lab["stimulated"] = draw(maybe(st.booleans()))
        if test == "tgab":
            lab["assay_upper_normal"] = draw(maybe(st.sampled_from((4.0, 40.0))))
        if draw(st.integers(0, 3)) == 0:
            lab["below_limit"] = True
        labs.append(lab)
    mdt = []
    if draw(st.booleans()):
        mdt.append(
            {
                "date": (
                    anchors[-1] + timedelta(days=draw(st.sampled_from((1, 400, 900))))
                ).isoformat(),
                "recommendations": ["repeat_rai"],
            }
        )
    data: dict[str, Any] = {
        "id": pid,
        "sex": "F",
        "birth_date": birth.isoformat(),
        "diagnosis_date": diagnosis.isoformat(),
        "histology": draw(
            st.sampled_from(
                (
                    "papillary",
                    "papillary",
                    "follicular",
                    "oncocytic",
                    "poorly_differentiated",
                    "medullary",
                    "anaplastic",
                )
            )
        ),
        "variant": draw(
            maybe(st.sampled_from(("classic", "tall_cell", "hobnail", "follicular_variant")))
        ),
        "t": draw(maybe(st.sampled_from(tuple(c.value for c in TCategory)), 5)),
        "n": draw(maybe(st.sampled_from(tuple(c.value for c in NCategory)), 5)),
        "m": draw(maybe(st.sampled_from(("M0", "M1", "MX")), 5)),
        "extrathyroidal_extension": draw(maybe(st.sampled_from(("none", "microscopic", "gross")))),
        "vascular_invasion_foci": draw(maybe(st.sampled_from((0, 1, 3, 4, 5)))),
        "lymph_nodes_positive": draw(maybe(st.sampled_from((0, 3, 5, 6)))),
        "largest_node_mm": draw(maybe(st.sampled_from((1.9, 2.0, 10.0, 29.9, 30.0)))),
        "margins": draw(maybe(st.sampled_from(("R0", "R1", "R2")))),
        "last_follow_up": draw(maybe(st.sampled_from(tuple(a.isoformat() for a in AS_OF)))),
        "deceased_date": draw(maybe(st.sampled_from(("2023-03-31", "2025-01-31")), 6)),
        "surgeries": surgeries,
        "rai_courses": courses,
        "imaging": imaging,
        "labs": labs,
        "mdt": mdt,
    }
    return Patient.model_validate(data)


def s_date(study: dict[str, Any]) -> date:
    return date.fromisoformat(study["date"])


def _study(draw: st.DrawFn, counter: Any, day: date, modality: str) -> dict[str, Any]:
    return {
        "id": f"i{next(counter)}",
        "date": day.isoformat(),
        "modality": modality,
        "progression": draw(maybe(st.booleans())),
        "findings": draw(st.lists(finding(modality), max_size=3)),
    }


def registries(max_size: int = 12) -> st.SearchStrategy[list[Patient]]:
    return st.integers(1, max_size).flatmap(
        lambda n: st.tuples(*(patient(f"P{i:03d}") for i in range(n))).map(list)
    )


def parameters() -> st.SearchStrategy[RuleParameters]:
    return st.sampled_from(PARAMETER_SETS).map(build_parameters)


def as_of_dates() -> st.SearchStrategy[date]:
    return st.sampled_from(AS_OF)
