"""ATA 2015 initial risk of recurrence (``rules.md`` §6) over tables.

Each item of :mod:`rairtc.core.rules.ata_risk` becomes a nullable boolean column: true (holds),
false (does not), null (a field it needs is unknown). SQL's three-valued OR then gives exactly
"any item holds" (true), "none holds but one is unknown" (null) and "none holds" (false).
Code lists (gross T, aggressive variants, follicular-like histologies, neck sites) come from
the core module.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from rairtc.bulk.timeline import DISEASE, Timeline, true
from rairtc.core.codes import NOT_APPLICABLE_HISTOLOGIES as NOT_APPLICABLE
from rairtc.core.codes import Extension, Histology, Margins, MCategory, NCategory
from rairtc.core.rules.ata_risk import AGGRESSIVE, FOLLICULAR_LIKE, GROSS_T, NECK

UNKNOWN = ibis.null("boolean")


def _values(codes: frozenset[object]) -> tuple[str, ...]:
    return tuple(sorted(str(c) for c in codes))


def _either(*pairs: tuple[ir.BooleanValue, ir.Value], else_: ir.Value) -> ir.BooleanValue:
    return ibis.cases(*pairs, else_=else_)


def with_risk(patients: ir.Table, tl: Timeline) -> ir.Table:
    """``patients`` with ``ata_risk`` and ``risk_flags`` (no second pass over the patients)."""
    kept = patients.columns
    p = patients
    f = tl.rule_findings
    neck = (
        f.filter(
            (f.course_no == 1)
            & f.site.isin(_values(NECK))
            & f.kind.isin(DISEASE)
            & true(f.rai_uptake)
        )
        .select(n_pid="patient_id")
        .distinct()
    )
    p = p.left_join(neck, p.id == neck.n_pid)
    ete = p.extrathyroidal_extension
    gross_t = p.t.isin(_values(GROSS_T))
    n_unknown = p.n.isnull() | (p.n == NCategory.NX.value)
    n1_codes = tuple(c.value for c in NCategory if c.value.startswith("N1"))
    n1 = _either((n_unknown, UNKNOWN), else_=p.n.isin(n1_codes))
    follicular = p.histology.isin(_values(FOLLICULAR_LIKE))
    foci = p.vascular_invasion_foci
    nodes, largest = p.lymph_nodes_positive, p.largest_node_mm
    m = ibis.cases((p.m == "MX", ibis.null("string")), else_=p.m)
    high = [
        _either(
            (true(gross_t) | true(ete == Extension.GROSS.value), True),
            (ete.isnull(), UNKNOWN),
            else_=False,
        ),
        _either((p.margins.isnull(), UNKNOWN), else_=p.margins == Margins.R2.value),
        _either((m.isnull(), UNKNOWN), else_=m == MCategory.M1.value),
        _either(
            (true(largest >= 30), True),
            (true(n1 == False), False),  # noqa: E712
            (largest.isnull(), UNKNOWN),
            else_=False,
        ),
        _either((~follicular, False), (foci.isnull(), UNKNOWN), else_=foci > 4),
    ]
    intermediate = [
        _either(
            (ete.isnull(), _either((true(gross_t), False), else_=UNKNOWN)),
            else_=ete == Extension.MICROSCOPIC.value,
        ),
        p.n_pid.notnull(),
        _either((p.variant.isnull(), UNKNOWN), else_=p.variant.isin(_values(AGGRESSIVE))),
        _either(
            (p.histology != Histology.PAPILLARY.value, False),
            (foci.isnull(), UNKNOWN),
            else_=foci >= 1,
        ),
        _either((~follicular, False), (foci.isnull(), UNKNOWN), else_=foci == 4),
        _either(
            (~true(n1), n1),
            (true(nodes > 5), True),
            (true(largest >= 2), True),
            (nodes.isnull() | largest.isnull(), UNKNOWN),
            else_=False,
        ),
    ]
    # Items become columns first: the category reads each several times, and inlining them
    # makes a query Spark's parser refuses.
    names = [f"h{i}" for i in range(len(high))] + [f"i{i}" for i in range(len(intermediate))]
    p = p.select(*kept, **dict(zip(names, high + intermediate, strict=True)))
    high = [p[n] for n in names if n.startswith("h")]
    intermediate = [p[n] for n in names if n.startswith("i")]
    high_true = _any(high)
    high_unknown = _unknown(high)
    inter_true = _any(intermediate)
    inter_unknown = _unknown(intermediate)
    not_applicable = p.histology.isin(_values(NOT_APPLICABLE))
    category = ibis.cases(
        (not_applicable, ibis.null("string")),
        (high_true, "high"),
        (inter_true, "intermediate"),
        (high_unknown | inter_unknown, "intermediate"),
        else_="low",
    )
    unresolved = ~not_applicable & ~high_true & (high_unknown | (~inter_true & inter_unknown))
    return p.select(
        *kept,
        ata_risk=category,
        risk_flags=ibis.cases((unresolved, "risk_unresolved"), else_=""),
    )


def _any(items: list[ir.BooleanValue]) -> ir.BooleanValue:
    out = true(items[0])
    for item in items[1:]:
        out = out | true(item)
    return out


def _unknown(items: list[ir.BooleanValue]) -> ir.BooleanValue:
    out = items[0].isnull()
    for item in items[1:]:
        out = out | item.isnull()
    return out
