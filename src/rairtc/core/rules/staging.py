"""AJCC stage of differentiated thyroid cancer (``rules.md`` §5), 8th and 7th editions.

The stage tables are data: rows of (age band, T set, N set, M) -> stage, read top to bottom.
A category the table needs that is missing (or TX, MX) gives no stage and a reason; nothing is
guessed. NX is read as N0, as the 8th-edition table shows.

A stage is given whenever the record decides it: a category recorded without its
subcategory (``T1``, ``T3``, ``T4``, ``N1``) is staged with every subcategory it allows, and
under the 7th edition an unknown extrathyroidal extension with both readings (none,
microscopic). One common stage is the stage; otherwise none, with the reason
``subcategory_needed`` (and the field that needs it) or ``ete_unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import product

from rairtc.core.codes import (
    NOT_APPLICABLE_HISTOLOGIES,
    SUBCATEGORIES,
    Extension,
    Histology,
    MCategory,
    NCategory,
    TCategory,
)
from rairtc.core.dates import completed_years

ANY = None  # a table cell that accepts every value, known or not

T1_T2 = frozenset({"T1a", "T1b", "T2"})
N0_LIKE = frozenset({"N0", "N0a", "N0b", "NX"})
N1 = frozenset({"N1a", "N1b"})

# (older: bool, T set or ANY, N set or ANY, M, stage)
Row = tuple[bool, frozenset[str] | None, frozenset[str] | None, str, str]

AJCC8: tuple[Row, ...] = (
    (False, ANY, ANY, "M0", "I"),
    (False, ANY, ANY, "M1", "II"),
    (True, ANY, ANY, "M1", "IVB"),
    (True, T1_T2, N0_LIKE, "M0", "I"),
    (True, T1_T2, N1, "M0", "II"),
    (True, frozenset({"T3a", "T3b"}), ANY, "M0", "II"),
    (True, frozenset({"T4a"}), ANY, "M0", "III"),
    (True, frozenset({"T4b"}), ANY, "M0", "IVA"),
)

T1_T3_7 = frozenset({"T1", "T2", "T3"})
AJCC7: tuple[Row, ...] = (
    (False, ANY, ANY, "M0", "I"),
    (False, ANY, ANY, "M1", "II"),
    (True, ANY, ANY, "M1", "IVC"),
    (True, frozenset({"T1"}), frozenset({"N0"}), "M0", "I"),
    (True, frozenset({"T2"}), frozenset({"N0"}), "M0", "II"),
    (True, frozenset({"T3"}), frozenset({"N0"}), "M0", "III"),
    (True, T1_T3_7, frozenset({"N1a"}), "M0", "III"),
    (True, T1_T3_7, frozenset({"N1b"}), "M0", "IVA"),
    (True, frozenset({"T4a"}), ANY, "M0", "IVA"),
    (True, frozenset({"T4b"}), ANY, "M0", "IVB"),
)

ETE_READINGS = (Extension.NONE, Extension.MICROSCOPIC)  # what an unknown extension may be


@dataclass(frozen=True)
class Stage:
    stage: str | None
    edition: int
    reason: str | None
    field: str | None = None  # the field whose subcategory would decide (``subcategory_needed``)

    @property
    def group(self) -> str | None:
        """Table 1 grouping: IVA, IVB and IVC are reported as IV."""
        return None if self.stage is None else ("IV" if self.stage.startswith("IV") else self.stage)


def _t7(t: str, ete: Extension | None) -> str:
    """Edition 7 T from a subdivided 8th-edition T: T3a/T3b -> T3; T1a, T1b or T2 with
    microscopic extension -> T3 (with none or gross, T1 or T2); T4a, T4b unchanged."""
    if t in ("T3a", "T3b"):
        return "T3"
    if t in T1_T2:
        if ete is Extension.MICROSCOPIC:
            return "T3"
        return "T1" if t in ("T1a", "T1b") else "T2"
    return t


def _lookup(
    table: tuple[Row, ...], older: bool, t: str | None, n: str | None, m: str
) -> tuple[str | None, str | None]:
    for row_older, ts, ns, row_m, stage in table:
        if row_older != older or row_m != m:
            continue
        if ts is not ANY:
            if t is None:
                return None, "t_unknown"
            if t not in ts:
                continue
        if ns is not ANY:
            if n is None:
                return None, "n_unknown"
            if n not in ns:
                continue
        return stage, None
    if t == "T0":
        return None, "t0_not_staged"
    return None, "t_unknown"


def _readings(code: str | None) -> tuple[str | None, ...]:
    """The subdivided codes a recorded code may stand for (itself when it is subdivided)."""
    return (code,) if code is None else SUBCATEGORIES.get(code, (code,))


def _one(
    edition: int, older: bool, t: str | None, n: str | None, m: str, ete: Extension | None
) -> tuple[str | None, str | None]:
    """The stage of one fully subdivided reading of the record."""
    if edition == 8:
        return _lookup(AJCC8, older, t, n, m)
    n7 = None if n is None else ("N0" if n in N0_LIKE else n)
    t7 = None if t is None else _t7(t, ete)
    return _lookup(AJCC7, older, t7, n7, m)


def stage_for(
    age: int,
    t: TCategory | str | None,
    n: NCategory | str | None,
    m: MCategory | str | None,
    *,
    edition: int = 8,
    age_cutoff: int | None = None,
    ete: Extension | None = None,
) -> Stage:
    """The stage for an age in completed years and T, N, M codes (``MX`` and ``TX`` unknown)."""
    cutoff = age_cutoff if age_cutoff is not None else (55 if edition == 8 else 45)
    t_code = None if t in (None, "TX") else str(t)
    n_code = None if n is None else str(n)
    m_code = None if m in (None, "MX") else str(m)
    if m_code is None:
        return Stage(None, edition, "m_unknown")
    older = age >= cutoff
    etes = ETE_READINGS if edition == 7 and ete is None else (ete,)
    outcomes = {
        (e, ts, ns): _one(edition, older, ts, ns, m_code, e)
        for e, ts, ns in product(etes, _readings(t_code), _readings(n_code))
    }
    distinct = set(outcomes.values())
    if len(distinct) == 1:
        stage, reason = distinct.pop()
        return Stage(stage, edition, reason)
    for position, name in ((1, "t"), (2, "n")):
        # the field matters when its subcategories alone change the stage
        groups: dict[tuple[object, ...], set[tuple[str | None, str | None]]] = {}
        for key, outcome in outcomes.items():
            groups.setdefault(key[:position] + key[position + 1 :], set()).add(outcome)
        if any(len(group) > 1 for group in groups.values()):
            return Stage(None, edition, "subcategory_needed", name)
    return Stage(None, edition, "ete_unknown", "extrathyroidal_extension")


def stage_patient(
    birth_date: date,
    diagnosis_date: date,
    histology: Histology,
    t: TCategory | None,
    n: NCategory | None,
    m: MCategory | None,
    ete: Extension | None,
    *,
    edition: int,
    age_cutoff: int,
) -> Stage:
    if histology in NOT_APPLICABLE_HISTOLOGIES:
        return Stage(None, edition, "histology_not_applicable")
    age = completed_years(birth_date, diagnosis_date)
    return stage_for(age, t, n, m, edition=edition, age_cutoff=age_cutoff, ete=ete)
