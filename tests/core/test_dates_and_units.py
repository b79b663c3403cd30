"""Calendar months, ages and exact activities (rules.md preamble)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rairtc.core.codes import LabTest
from rairtc.core.dates import add_months, completed_years, whole_months_between
from rairtc.core.units import activities_agree, canonical_lab_unit, gbq_to_mbq, mci_to_mbq


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # clamped to the month's last day
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2023, 1, 15), 16, date(2024, 5, 15)),
        (date(2024, 12, 31), -12, date(2023, 12, 31)),
    ],
)
def test_calendar_months_clamp_to_the_end_of_the_month(start, months, expected) -> None:
    assert add_months(start, months) == expected


def test_completed_years_count_the_birthday_itself() -> None:
    assert completed_years(date(1968, 6, 15), date(2023, 6, 14)) == 54
    assert completed_years(date(1968, 6, 15), date(2023, 6, 15)) == 55
    assert completed_years(date(2000, 2, 29), date(2023, 2, 28)) == 22
    assert completed_years(date(2000, 2, 29), date(2023, 3, 1)) == 23


@given(st.dates(date(1950, 1, 1), date(2050, 1, 1)), st.integers(0, 400))
def test_whole_months_is_the_largest_n_not_past_the_end(start, n) -> None:
    end = add_months(start, n)
    assert whole_months_between(start, end) >= n
    assert add_months(start, whole_months_between(start, end)) <= end


def test_one_mci_is_exactly_37_mbq_and_sums_are_exact() -> None:
    assert mci_to_mbq(600) == Decimal(22200)
    assert sum([gbq_to_mbq(7.4)] * 3, Decimal(0)) == Decimal(22200)
    assert mci_to_mbq(599.9) < Decimal(22200)


def test_activities_agree_within_one_percent() -> None:
    assert activities_agree(100, 3.7)
    assert activities_agree(100, 3.67)  # 30 MBq apart, 1 % is 37
    assert not activities_agree(100, 3.6)


def test_lab_units_are_read_case_and_micro_sign_insensitively() -> None:
    assert canonical_lab_unit(LabTest.TG, "µg/l") == "ng/mL"
    assert canonical_lab_unit(LabTest.TSH, "μIU/mL") == "mIU/L"
    assert canonical_lab_unit(LabTest.TGAB, "ng/mL") is None
