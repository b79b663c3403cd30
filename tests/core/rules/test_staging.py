"""AJCC stage, 8th and 7th editions (rules.md §5).

The oracle below transcribes the tables of rules.md independently of the data tables in
``rairtc.core.rules.staging``; every combination of age band, T, N, M (and ETE for edition 7)
is compared, including the categories recorded without their subcategory (T1, T3, T4, N1),
which the oracle stages by trying each subcategory as rules.md §5 says.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rairtc.core.codes import Extension, Histology
from rairtc.core.rules.staging import stage_for, stage_patient

TS = ["TX", "T0", "T1", "T1a", "T1b", "T2", "T3", "T3a", "T3b", "T4", "T4a", "T4b", None]
NS = ["NX", "N0", "N0a", "N0b", "N1", "N1a", "N1b", None]
SPLIT = {"T1": ("T1a", "T1b"), "T3": ("T3a", "T3b"), "T4": ("T4a", "T4b"), "N1": ("N1a", "N1b")}


def split(code):
    return SPLIT.get(code, (code,))


def tried(stages: set) -> str | None:
    """rules.md §5: one common stage is the stage; otherwise none."""
    return stages.pop() if len(stages) == 1 else None


MS = ["M0", "M1", "MX", None]
ETES = [None, Extension.NONE, Extension.MICROSCOPIC, Extension.GROSS]


def oracle8(older: bool, t, n, m):
    return tried({subdivided8(older, ts, ns, m) for ts in split(t) for ns in split(n)})


def oracle7(older: bool, t, n, m, ete):
    return tried({subdivided7(older, ts, ns, m, ete) for ts in split(t) for ns in split(n)})


def subdivided8(older: bool, t, n, m):
    if m in (None, "MX"):
        return None
    if not older:
        return "I" if m == "M0" else "II"
    if m == "M1":
        return "IVB"
    if t in (None, "TX"):
        return None
    if t == "T0":
        return None
    if t in ("T1a", "T1b", "T2"):
        if n is None:
            return None
        return "I" if n in ("N0", "N0a", "N0b", "NX") else "II"
    return {"T3a": "II", "T3b": "II", "T4a": "III", "T4b": "IVA"}[t]


def subdivided7(older: bool, t, n, m, ete):
    if m in (None, "MX"):
        return None
    if not older:
        return "I" if m == "M0" else "II"
    if m == "M1":
        return "IVC"
    if t in (None, "TX", "T0"):
        return None
    if t == "T4a":
        return "IVA"
    if t == "T4b":
        return "IVB"
    if n is None:
        return None
    n7 = "N0" if n in ("N0", "N0a", "N0b", "NX") else n

    def by_t(t7):
        if n7 == "N1a":
            return "III"
        if n7 == "N1b":
            return "IVA"
        return {"T1": "I", "T2": "II", "T3": "III"}[t7]

    if t in ("T3a", "T3b"):
        return by_t("T3")
    plain = "T1" if t in ("T1a", "T1b") else "T2"
    if ete is None:
        options = {by_t(plain), by_t("T3")}
        return options.pop() if len(options) == 1 else None
    return by_t("T3" if ete is Extension.MICROSCOPIC else plain)


@pytest.mark.parametrize(("t", "n", "m"), list(itertools.product(TS, NS, MS)))
def test_edition_8_agrees_with_the_table(t, n, m) -> None:
    for age in (54, 55):
        assert stage_for(age, t, n, m, edition=8).stage == oracle8(age >= 55, t, n, m)


@pytest.mark.parametrize(("t", "n", "m", "ete"), list(itertools.product(TS, NS, MS, ETES)))
def test_edition_7_agrees_with_the_table(t, n, m, ete) -> None:
    for age in (44, 45):
        assert stage_for(age, t, n, m, edition=7, ete=ete).stage == oracle7(age >= 45, t, n, m, ete)


def expected_reason(older: bool, t, n, m, edition: int, ete) -> str | None:
    """Which unknown leaves the stage open: a subcategory (for one reading of the extension)
    or, under edition 7, the extension itself."""
    readings = [ete] if edition == 8 or ete is not None else [Extension.NONE, Extension.MICROSCOPIC]
    per_reading = [
        {
            subdivided8(older, ts, ns, m) if edition == 8 else subdivided7(older, ts, ns, m, e)
            for ts in split(t)
            for ns in split(n)
        }
        for e in readings
    ]
    if any(len(stages) > 1 for stages in per_reading):
        return "subcategory_needed"
    if len(set().union(*per_reading)) > 1:
        return "ete_unknown"
    return None


@pytest.mark.parametrize(("t", "n", "m", "ete"), list(itertools.product(TS, NS, MS, ETES)))
def test_an_undecided_stage_names_the_unknown_that_leaves_it_open(t, n, m, ete) -> None:
    for edition, ages in ((8, (54, 55)), (7, (44, 45))):
        for age in ages:
            result = stage_for(age, t, n, m, edition=edition, ete=ete)
            expected = expected_reason(age == ages[1], t, n, m, edition, ete)
            if expected is not None:
                assert (result.stage, result.reason) == (None, expected)
            else:
                assert result.reason not in ("subcategory_needed", "ete_unknown")


@given(age=st.integers(0, 120), t=st.sampled_from(TS), n=st.sampled_from(NS), m=st.sampled_from(MS))
def test_a_missing_stage_always_gives_a_reason(age, t, n, m) -> None:
    result = stage_for(age, t, n, m)
    assert (result.stage is None) == (result.reason is not None)


def staged_on_diagnosis(birth: str, diagnosis: str, edition: int = 8, **kw) -> str | None:
    return stage_patient(
        date.fromisoformat(birth),
        date.fromisoformat(diagnosis),
        Histology.PAPILLARY,
        kw.get("t", "T2"),
        kw.get("n", "N1a"),
        "M0",
        kw.get("ete"),
        edition=edition,
        age_cutoff=55 if edition == 8 else 45,
    ).stage


def test_54_the_day_before_the_55th_birthday_is_the_younger_band() -> None:
    assert staged_on_diagnosis("1968-06-15", "2023-06-14") == "I"


def test_55_on_the_birthday_is_the_older_band() -> None:
    assert staged_on_diagnosis("1968-06-15", "2023-06-15") == "II"


def test_edition_7_cuts_at_45() -> None:
    assert staged_on_diagnosis("1978-06-15", "2023-06-14", edition=7, ete=Extension.NONE) == "I"
    assert staged_on_diagnosis("1978-06-15", "2023-06-15", edition=7, ete=Extension.NONE) == "III"


def test_young_patient_with_distant_metastases_is_stage_ii() -> None:
    assert stage_for(30, "T1a", "N0", "M1").stage == "II"


def test_older_t0_without_metastases_is_not_staged() -> None:
    assert stage_for(60, "T0", "N1b", "M0").reason == "t0_not_staged"
    assert stage_for(60, "T0", "N1b", "M1").stage == "IVB"


def test_unknown_m_gives_no_stage_and_says_why() -> None:
    result = stage_for(40, "T1a", "N0", "MX")
    assert (result.stage, result.reason) == (None, "m_unknown")


def test_older_t1_with_unknown_n_is_not_guessed() -> None:
    assert stage_for(60, "T1b", None, "M0").reason == "n_unknown"
    assert stage_for(60, "TX", "N0", "M0").reason == "t_unknown"


def test_edition_7_microscopic_extension_turns_t1_into_t3() -> None:
    assert stage_for(50, "T1b", "N0", "M0", edition=7, ete=Extension.MICROSCOPIC).stage == "III"
    assert stage_for(50, "T1b", "N0", "M0", edition=7, ete=None).reason == "ete_unknown"
    assert stage_for(50, "T1b", "N1b", "M0", edition=7, ete=None).stage == "IVA"


def test_medullary_carcinoma_gets_no_stage_from_the_dtc_table() -> None:
    result = stage_patient(
        date(1970, 1, 1),
        date(2020, 1, 1),
        Histology.MEDULLARY,
        "T1a",
        "N0",
        "M0",
        None,
        edition=8,
        age_cutoff=55,
    )
    assert (result.stage, result.reason) == (None, "histology_not_applicable")


def test_table_1_groups_iva_and_ivb_as_iv() -> None:
    assert stage_for(60, "T4b", "N0", "M0").group == "IV"
    assert stage_for(60, "T1a", "N0", "M1").group == "IV"


# --- categories recorded without their subcategory (rules.md §5) -----------------------------


def test_the_seeds_own_pt1n0m0_is_stage_i_at_any_age() -> None:
    # T1a and T1b give the same stage with N0 M0 in both age bands of the 8th edition.
    assert stage_for(40, "T1", "N0", "M0").stage == "I"
    assert stage_for(60, "T1", "N0", "M0").stage == "I"


def test_older_t4_without_subcategory_needs_it_under_the_8th_edition() -> None:
    # T4a is stage III, T4b IVA at 55 or older; under 55 both are stage I.
    result = stage_for(60, "T4", "N0", "M0")
    assert (result.stage, result.reason, result.field) == (None, "subcategory_needed", "t")
    assert stage_for(50, "T4", "N0", "M0").stage == "I"


def test_older_t3_without_subcategory_is_stage_ii() -> None:
    assert stage_for(70, "T3", "N1b", "M0").stage == "II"


def test_older_n1_without_subcategory_is_stage_ii_under_the_8th_edition() -> None:
    assert stage_for(60, "T2", "N1", "M0").stage == "II"


def test_edition_7_at_45_or_older_with_n1_needs_the_subcategory() -> None:
    # N1a is stage III, N1b IVA under the 7th edition.
    result = stage_for(50, "T1", "N1", "M0", edition=7, ete=Extension.NONE)
    assert (result.stage, result.reason, result.field) == (None, "subcategory_needed", "n")
    assert stage_for(50, "T1", "N1", "M1", edition=7).stage == "IVC"


def test_edition_7_reads_t3_as_t3_and_t4_as_t4a_or_t4b() -> None:
    assert stage_for(50, "T3", "N0", "M0", edition=7).stage == "III"
    assert stage_for(50, "T4", "N0", "M0", edition=7).reason == "subcategory_needed"
    assert stage_for(50, "T4b", "N0", "M0", edition=7).stage == "IVB"


def test_edition_7_t1_with_unknown_extension_is_not_guessed() -> None:
    result = stage_for(50, "T1", "N0", "M0", edition=7)
    assert (result.stage, result.reason) == (None, "ete_unknown")
    assert stage_for(50, "T1", "N0", "M0", edition=7, ete=Extension.GROSS).stage == "I"


def test_anaplastic_carcinoma_gets_no_stage_and_says_why() -> None:
    result = stage_patient(
        date(1950, 1, 1),
        date(2020, 1, 1),
        Histology.ANAPLASTIC,
        "T4",
        "N1",
        "M0",
        None,
        edition=7,
        age_cutoff=45,
    )
    assert (result.stage, result.reason) == (None, "histology_not_applicable")
