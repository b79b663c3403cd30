"""Units: I-131 activity (exact MBq) and the accepted laboratory units.

Activities are summed exactly, never as accumulated binary floats, so that 3 × 7.4 GBq is
exactly 22,200 MBq and 600 mCi exactly reaches the 22,200 MBq threshold. Values arrive as
entered (a float parsed from text); ``Decimal(repr(value))`` recovers the decimal the user
typed.
"""

from __future__ import annotations

from decimal import Decimal

from rairtc.core.codes import LabTest

MBQ_PER_MCI = Decimal(37)
MBQ_PER_GBQ = Decimal(1000)


def exact(value: float | int) -> Decimal:
    """The decimal a user typed, recovered from its shortest float representation."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def mci_to_mbq(mci: float | int) -> Decimal:
    return exact(mci) * MBQ_PER_MCI


def gbq_to_mbq(gbq: float | int) -> Decimal:
    return exact(gbq) * MBQ_PER_GBQ


def mbq_to_mci(mbq: Decimal) -> Decimal:
    return mbq / MBQ_PER_MCI


def activities_agree(
    mci: float | int, gbq: float | int, tolerance: Decimal = Decimal("0.01")
) -> bool:
    """Both units given agree when they differ by at most 1 % of the larger value."""
    a, b = mci_to_mbq(mci), gbq_to_mbq(gbq)
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


# Accepted spellings per test; each set's members are the same unit (factor 1).
LAB_UNITS: dict[LabTest, tuple[str, ...]] = {
    LabTest.TG: ("ng/mL", "ug/L"),
    LabTest.TGAB: ("IU/mL", "kIU/L"),
    LabTest.TSH: ("mIU/L", "uIU/mL"),
}


def canonical_lab_unit(test: LabTest, unit: str) -> str | None:
    """The canonical unit for ``unit`` under ``test``, or ``None`` when it does not fit.

    Matching ignores case and reads the micro sign (µ or μ) as ``u``.
    """
    folded = unit.strip().replace("µ", "u").replace("μ", "u").casefold()
    for accepted in LAB_UNITS[test]:
        if accepted.casefold() == folded:
            return LAB_UNITS[test][0]
    return None
