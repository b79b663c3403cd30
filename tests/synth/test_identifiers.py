"""Synthetic identifiers look real, agree with the record, and change nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from rairtc.synth.identifiers import check_digit, iins
from rairtc.synth.registry import demo_patients

CENTURY_SEX = {(1900, "M"): "3", (1900, "F"): "4", (2000, "M"): "5", (2000, "F"): "6"}


def iin_check_digit(iin: str) -> int:
    digits = np.array([[int(c) for c in iin[:11]]])
    return int(check_digit(digits)[0])


@pytest.fixture(scope="module")
def demo() -> list:  # type: ignore[type-arg]
    return demo_patients()


def test_every_demo_patient_has_a_name_an_iin_and_an_mrn(demo: list) -> None:  # type: ignore[type-arg]
    assert all(p.full_name and p.national_id and p.mrn for p in demo)
    assert len({p.national_id for p in demo}) == len(demo)
    assert len({p.mrn for p in demo}) == len(demo)


def test_the_iin_agrees_with_birth_date_and_sex(demo: list) -> None:  # type: ignore[type-arg]
    for p in demo:
        iin = p.national_id
        assert len(iin) == 12 and iin.isdigit()
        assert iin[:6] == p.birth_date.strftime("%y%m%d")
        assert iin[6] == CENTURY_SEX[(p.birth_date.year // 100 * 100, p.sex.value)]
        assert int(iin[11]) == iin_check_digit(iin) != 10


def test_names_follow_sex(demo: list) -> None:  # type: ignore[type-arg]
    for p in demo:
        patronymic = p.full_name.split()[-1]
        if p.sex.value == "F":
            assert patronymic.endswith(("kyzy", "vna"))
        else:
            assert patronymic.endswith(("uly", "vich"))


def test_a_child_born_in_2003_gets_century_digit_5_or_6() -> None:
    births = np.array(["2003-02-28", "2003-02-28"], dtype="datetime64[D]")
    found = iins(np.random.Generator(np.random.PCG64(1)), births, np.array([False, True]))
    assert [x[:7] for x in found] == ["0302285", "0302286"]


def test_the_demo_registry_is_the_same_every_time(demo: list) -> None:  # type: ignore[type-arg]
    assert [p.national_id for p in demo_patients()[:20]] == [p.national_id for p in demo[:20]]


def test_identifiers_leave_every_other_column_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generating without identifiers draws exactly the same clinical columns: the identifiers
    use a child stream, never the generator's own."""
    from rairtc.synth import identifiers
    from rairtc.synth.generator import generate

    with_ids = generate(200, 11)
    nothing = lambda rng, *arrays: np.full(len(arrays[0]), None, dtype=object)  # noqa: E731
    monkeypatch.setattr(identifiers, "full_names", nothing)
    monkeypatch.setattr(identifiers, "iins", nothing)
    without = generate(200, 11)
    for table, columns in with_ids.items():
        for name, values in columns.items():
            if name not in ("full_name", "national_id", "mrn"):
                assert np.array_equal(values, without[table][name]), (table, name)
    assert without["patients"]["national_id"][0] is None
