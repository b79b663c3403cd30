"""AJCC stage (``rules.md`` §5) over tables, from the core's own staging function.

The stage depends only on (age at or above the cut-off, T, N, M, extrathyroidal extension),
each from a short code list, so every combination is staged once by
:func:`rairtc.core.rules.staging.stage_for` and the patients are joined to that small table.
The stage tables therefore exist once, in the core, and the bulk engine cannot drift from them.
"""

from __future__ import annotations

import json
from functools import cache
from itertools import product
from typing import Any

import ibis
import ibis.expr.types as ir

from rairtc.bulk.timeline import as_int
from rairtc.core.codes import NOT_APPLICABLE_HISTOLOGIES as NOT_STAGED
from rairtc.core.codes import Extension, MCategory, NCategory, TCategory
from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.staging import stage_for

UNKNOWN = ""  # the join key of an unknown category (joins never match nulls)


def _codes(values: list[str]) -> list[str]:
    return [UNKNOWN, *values]


def stage_table(params: RuleParameters, backend: Any = None) -> ir.Table:
    """Every (older, t, n, m, ete) with the stage and reason the core gives it.

    On DuckDB the table is created from one JSON document read by DuckDB's ``from_json``
    (a per-backend difference): an Ibis in-memory table imports ``pyarrow.dataset`` and with
    it pandas, and SQL ``VALUES`` of its 2,496 rows took DuckDB 0.1-0.3 s to parse, a fixed
    cost of every ``classify --engine bulk`` (one literal: about 0.01 s)."""
    rows = _stage_rows(params.staging_edition, params.age_cutoff)
    if backend is not None and backend.name == "duckdb":
        name = f"rairtc_stage_{params.staging_edition}_{params.age_cutoff}"
        document = _stage_json(params.staging_edition, params.age_cutoff).replace("'", "''")
        backend.raw_sql(
            f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT unnest('
            f"from_json('{document}', '[{STAGE_STRUCTURE}]'), recursive := true)"
        ).fetchall()
        return backend.table(name)
    import pyarrow as pa

    return ibis.memtable(
        pa.table(
            {
                key: pa.array(
                    [row[key] for row in rows], pa.bool_() if key == "older" else pa.string()
                )
                for key in STAGE_KEYS
            }
        )
    )


STAGE_KEYS = ("older", "k_t", "k_n", "k_m", "k_ete", "stage", "stage_reason")
STAGE_STRUCTURE = json.dumps(
    {key: "BOOLEAN" if key == "older" else "VARCHAR" for key in STAGE_KEYS}
)
"""The stage table's columns and types, in order, as DuckDB's ``from_json`` reads them."""


@cache
def _stage_json(edition: int, cutoff: int) -> str:
    return json.dumps(
        [{key: row[key] for key in STAGE_KEYS} for row in _stage_rows(edition, cutoff)]
    )


@cache
def _stage_rows(edition: int, cutoff: int) -> tuple[dict[str, object], ...]:
    rows: list[dict[str, object]] = []
    for older, t, n, m, ete in product(
        (False, True),
        _codes([c.value for c in TCategory]),
        _codes([c.value for c in NCategory]),
        _codes([c.value for c in MCategory]),
        _codes([c.value for c in Extension]),
    ):
        result = stage_for(
            cutoff if older else cutoff - 1,
            t or None,
            n or None,
            m or None,
            edition=edition,
            age_cutoff=cutoff,
            ete=Extension(ete) if ete else None,
        )
        rows.append(
            dict(zip(STAGE_KEYS, (older, t, n, m, ete, result.stage, result.reason), strict=True))
        )
    return tuple(rows)


def completed_years(birth: ir.DateValue, on: ir.DateValue) -> ir.IntegerValue:
    """Age in completed years (the birthday itself counts), as :func:`core.dates.completed_years`."""
    before_birthday = (on.month() < birth.month()) | (
        (on.month() == birth.month()) & (on.day() < birth.day())
    )
    return on.year() - birth.year() - as_int(before_birthday)


def with_stage(patients: ir.Table, params: RuleParameters) -> ir.Table:
    """``patients`` with ``stage`` and ``stage_reason``: each row joined to the small stage
    table by its keys (no second pass over the patients)."""
    p = patients
    keyed = p.mutate(
        older=completed_years(p.birth_date, p.diagnosis_date) >= params.age_cutoff,
        k_t=p.t.fill_null(UNKNOWN),
        k_n=p.n.fill_null(UNKNOWN),
        k_m=ibis.cases((p.m == "MX", UNKNOWN), else_=p.m.fill_null(UNKNOWN)),
        k_ete=p.extrathyroidal_extension.fill_null(UNKNOWN),
    )
    table = stage_table(params, patients._find_backend())
    joined = keyed.left_join(table, ["older", "k_t", "k_n", "k_m", "k_ete"])
    not_staged = joined.histology.isin(tuple(h.value for h in NOT_STAGED))
    return joined.select(
        *p.columns,
        stage=ibis.cases((not_staged, ibis.null("string")), else_=joined.stage),
        stage_reason=ibis.cases(
            (not_staged, ibis.literal("histology_not_applicable")), else_=joined.stage_reason
        ),
    )
