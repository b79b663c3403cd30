"""Hypothesis strategies: clinically valid patients with dated histories.

Every generated patient passes validation (dates in order, units that fit, uptake fields only
on the studies that can carry them), so that round trips and rule invariants are tested on
records a registry could really hold.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from rairtc.core.codes import MOLECULAR_KEYS, NCategory, Recommendation, TCategory
from rairtc.core.records import Patient

TODAY = date(2026, 1, 1)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda s: s.strip() != ""
)
SIZES = st.floats(min_value=0.5, max_value=120, allow_nan=False).map(lambda x: round(x, 1))
RAI = ("post_therapy_wbs", "post_therapy_spect_ct", "diagnostic_wbs")
OTHER = ("fdg_pet_ct", "neck_us", "ct", "mri")
SITES = (
    "thyroid_bed",
    "cervical_lymph_node",
    "mediastinum",
    "lung",
    "bone",
    "brain",
    "liver",
    "other",
)
KINDS = ("local_recurrence", "regional_metastasis", "distant_metastasis", "indeterminate")


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def findings(draw: st.DrawFn, modality: str) -> dict[str, Any]:
    site = draw(st.sampled_from(SITES))
    kinds = (*KINDS, "remnant") if site == "thyroid_bed" else KINDS
    data: dict[str, Any] = {
        "site": site,
        "kind": draw(st.sampled_from(kinds)),
        "side": draw(maybe(st.sampled_from(("left", "right", "midline")))),
    }
    if modality in RAI:
        data["rai_uptake"] = draw(maybe(st.booleans()))
    if modality == "fdg_pet_ct":
        data["fdg_uptake"] = draw(maybe(st.booleans()))
    if draw(st.booleans()):
        data["new"] = draw(st.booleans())
    if draw(st.booleans()):
        data["size_mm"] = draw(SIZES)
    if site == "cervical_lymph_node" and draw(st.booleans()):
        data["nodal_level"] = draw(st.sampled_from(("I", "II", "III", "IV", "V", "VI", "VII")))
    return data


def _day(start: date, offset: int) -> date:
    return min(start + timedelta(days=offset), TODAY)


def _echo(draw: st.DrawFn, finding: dict[str, Any], modality: str) -> dict[str, Any]:
    """The same focus as read on another study of the same day: its side may be missing or
    named, its uptake read differently (a planar scan beside a SPECT/CT)."""
    echo = {k: v for k, v in finding.items() if k not in ("rai_uptake", "fdg_uptake")}
    echo["side"] = draw(st.sampled_from((None, finding.get("side"), "left")))
    if modality in RAI:
        echo["rai_uptake"] = draw(maybe(st.booleans()))
    return echo


@st.composite
def patients(
    draw: st.DrawFn, *, ids: bool = True, pid: str | None = None, crowded: bool = False
) -> Patient:
    """A valid patient. ``crowded`` piles records onto a few dates: courses days apart,
    several post-therapy studies of one day reading the same foci differently, and other
    studies, labs (two Tg of one kind on one date) and MDT entries on those same dates."""
    birth = date(1940, 1, 1) + timedelta(days=draw(st.integers(0, 22000)))
    diagnosis = birth + timedelta(days=draw(st.integers(18 * 366, 80 * 365)))
    diagnosis = min(diagnosis, TODAY - timedelta(days=400))
    counter = iter(range(10_000))

    def ident(prefix: str) -> dict[str, str]:
        return {"id": f"{prefix}{next(counter)}"} if ids else {}

    surgeries = [{**ident("s"), "date": diagnosis.isoformat(), "procedure": "total_thyroidectomy"}]
    if draw(st.booleans()):
        surgeries.append(
            {
                **ident("s"),
                "date": _day(diagnosis, draw(st.integers(30, 900))).isoformat(),
                "procedure": draw(
                    st.sampled_from(("recurrence_excision", "lateral_neck_dissection"))
                ),
            }
        )
    course_days: list[date] = []
    day = diagnosis
    gaps = st.integers(1, 20) if crowded else st.integers(20, 500)
    for _ in range(draw(st.integers(0, 5))):
        day = day + timedelta(days=draw(gaps))
        if day > TODAY or day in course_days:
            break
        course_days.append(day)
    courses, imaging = [], []
    for cday in course_days:
        unit = draw(st.sampled_from(("mci", "gbq", "both")))
        mci = draw(st.sampled_from((30, 50, 80, 100, 150, 200, 250)))
        course: dict[str, Any] = {
            **ident("c"),
            "date": cday.isoformat(),
            "stimulation": draw(maybe(st.sampled_from(("withdrawal", "rhtsh")))),
            "tsh_miu_l": draw(maybe(st.sampled_from((15.0, 30.0, 31.0, 55.5, 90.0)))),
        }
        if unit in ("mci", "both"):
            course["activity_mci"] = mci
        if unit in ("gbq", "both"):
            course["activity_gbq"] = round(mci * 0.037, 4)
        if draw(st.booleans()):
            course["centre"] = draw(TEXT)
        courses.append(course)
        if draw(st.integers(0, 9)) < 8:
            modality = draw(st.sampled_from(RAI[:2]))
            scan_day = _day(cday, draw(st.integers(0, 16))).isoformat()
            foci = draw(st.lists(findings(modality), max_size=4))
            imaging.append(
                {
                    **ident("i"),
                    "date": scan_day,
                    "modality": modality,
                    "progression": draw(maybe(st.booleans())),
                    "findings": [{**ident("f"), **f} for f in foci],
                }
            )
            for _ in range(draw(st.integers(0, 2)) if crowded else 0):
                also = draw(st.sampled_from(RAI[:2]))
                imaging.append(
                    {
                        **ident("i"),
                        "date": scan_day,
                        "modality": also,
                        "progression": draw(maybe(st.booleans())),
                        "findings": [{**ident("f"), **_echo(draw, f, also)} for f in foci],
                    }
                )
    dates_taken = sorted(
        {diagnosis, *course_days, *(date.fromisoformat(i["date"]) for i in imaging)}
    )

    def some_day() -> date:
        if crowded:
            return draw(st.sampled_from(dates_taken))
        return _day(diagnosis, draw(st.integers(0, 2500)))

    for _ in range(draw(st.integers(0, 3))):
        modality = draw(st.sampled_from((*OTHER, "diagnostic_wbs")))
        imaging.append(
            {
                **ident("i"),
                "date": some_day().isoformat(),
                "modality": modality,
                "progression": draw(maybe(st.booleans())),
                "findings": [
                    {**ident("f"), **f} for f in draw(st.lists(findings(modality), max_size=3))
                ],
            }
        )
    labs = []
    for _ in range(draw(st.integers(0, 6 if crowded else 4))):
        test = draw(st.sampled_from(("tg", "tgab", "tsh")))
        unit = {"tg": ("ng/mL", "ug/L"), "tgab": ("IU/mL", "kIU/L"), "tsh": ("mIU/L", "uIU/mL")}[
            test
        ]
        lab: dict[str, Any] = {
            **ident("l"),
            "date": some_day().isoformat(),
            "test": test,
            "value": round(draw(st.floats(0, 5000, allow_nan=False)), 3),
            "unit": draw(st.sampled_from(unit)),
        }
        if test == "tg":
            lab["stimulated"] = draw(st.booleans())
        if test == "tgab":
            lab["assay_upper_normal"] = draw(st.sampled_from((4.0, 40.0, 115.0)))
        if draw(st.integers(0, 4)) == 0:
            lab["below_limit"] = True
        labs.append(lab)
    mdt = [
        {
            **ident("m"),
            "date": some_day().isoformat(),
            "recommendations": draw(
                st.lists(st.sampled_from([r.value for r in Recommendation]), max_size=3)
            ),
            "note": draw(maybe(TEXT)),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    data: dict[str, Any] = {
        "id": pid or draw(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,8}", fullmatch=True)),
        "sex": draw(st.sampled_from(("F", "M"))),
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
            maybe(st.sampled_from(("classic", "tall_cell", "follicular_variant", "other")))
        ),
        "t": draw(maybe(st.sampled_from([c.value for c in TCategory]))),
        "n": draw(maybe(st.sampled_from([c.value for c in NCategory]))),
        "m": draw(maybe(st.sampled_from(("M0", "M1")))),
        "extrathyroidal_extension": draw(maybe(st.sampled_from(("none", "microscopic", "gross")))),
        "vascular_invasion_foci": draw(maybe(st.integers(0, 8))),
        "capsular_invasion": draw(maybe(st.booleans())),
        "lymph_nodes_positive": draw(maybe(st.integers(0, 30))),
        "largest_node_mm": draw(maybe(SIZES)),
        "margins": draw(maybe(st.sampled_from(("R0", "R1", "R2")))),
        "smoker": draw(maybe(st.booleans())),
        "region": draw(maybe(TEXT)),
        "full_name": draw(maybe(TEXT)),
        "national_id": draw(maybe(st.from_regex(r"[0-9]{12}", fullmatch=True))),
        "stage_recorded": draw(maybe(st.sampled_from(("I", "II", "III", "IVA")))),
        "surgeries": surgeries,
        "rai_courses": courses,
        "imaging": imaging,
        "labs": labs,
        "mdt": mdt,
    }
    if draw(st.booleans()):
        data["molecular"] = {k: draw(maybe(st.booleans())) for k in MOLECULAR_KEYS}
    return Patient.model_validate(data)


def crowded_patients(*, pid: str | None = None) -> st.SearchStrategy[Patient]:
    """Patients whose studies, courses and labs share dates (same-date ties in every rule)."""
    return patients(pid=pid, crowded=True)


def any_patients() -> st.SearchStrategy[Patient]:
    """Ordinary and crowded patients, for the invariants of the reference engine."""
    return st.one_of(patients(), crowded_patients())


def registries(*, ids: bool = True, max_size: int = 4) -> st.SearchStrategy[list[Patient]]:
    return st.lists(st.integers(0, 10**6), min_size=1, max_size=max_size, unique=True).flatmap(
        lambda numbers: st.tuples(*(patients(ids=ids, pid=f"P{n}") for n in numbers)).map(list)
    )
