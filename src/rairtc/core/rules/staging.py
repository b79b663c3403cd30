"""AJCC stage of differentiated thyroid cancer (``rules.md`` §5), 8th and 7th editions.

The stage tables are data: rows of (age band, T set, N set, M) -> stage, read top to bottom.
A category the table needs that is missing (or TX, MX) gives no stage and a reason; nothing is
guessed. NX is read as N0, as the 8th-edition table shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rairtc.core.codes import Extension, Histology, MCategory, NCategory, TCategory
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

NOT_STAGED = frozenset({Histology.MEDULLARY, Histology.ANAPLASTIC})


@dataclass(frozen=True)
class Stage:
    stage: str | None
    edition: int
    reason: str | None

    @property
    def group(self) -> str | None:
        """Table 1 grouping: IVA, IVB and IVC are reported as IV."""
        return None if self.stage is None else ("IV" if self.stage.startswith("IV") else self.stage)


def _t7(t: str, ete: Extension | None) -> str | None:
    """Edition 7 T from an 8th-edition T: T3a/T3b -> T3; T1/T2 with microscopic ETE -> T3.

    Returns None when the answer depends on an unknown extrathyroidal extension.
    """
    if t in ("T3a", "T3b"):
        return "T3"
    if t in T1_T2:
        if ete is None:
            return None
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
    if edition == 8:
        stage, reason = _lookup(AJCC8, older, t_code, n_code, m_code)
        return Stage(stage, edition, reason)
    n7 = None if n_code is None else ("N0" if n_code in N0_LIKE else n_code)
    if t_code is not None and t_code in T1_T2 and ete is None:
        # The 7th edition's T depends on microscopic extension; stage only if it does not matter.
        outcomes = {
            _lookup(AJCC7, older, _t7(t_code, e), n7, m_code)
            for e in (Extension.NONE, Extension.MICROSCOPIC)
        }
        if len(outcomes) == 1:
            stage, reason = outcomes.pop()
            return Stage(stage, edition, reason)
        return Stage(None, edition, "ete_unknown")
    t7 = None if t_code is None else _t7(t_code, ete)
    stage, reason = _lookup(AJCC7, older, t7, n7, m_code)
    return Stage(stage, edition, reason)


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
    if histology in NOT_STAGED:
        return Stage(None, edition, "histology_not_applicable")
    age = completed_years(birth_date, diagnosis_date)
    return stage_for(age, t, n, m, edition=edition, age_cutoff=age_cutoff, ete=ete)
