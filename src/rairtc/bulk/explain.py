"""Evidence for chosen patients (``classify --explain ID``): their records are fetched from
the registry's tables on the same backend, validated, and classified by the reference engine,
which is the only engine that writes evidence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rairtc.bulk.sources import POSITIONS, open_registry
from rairtc.core.errors import InvalidInput, UsageError
from rairtc.core.parameters import RuleParameters
from rairtc.core.records import Patient
from rairtc.core.rules.classify import classify
from rairtc.core.validation import validate_registry
from rairtc.i18n import translate
from rairtc.io.layout import TABLES, Table, assemble, locator

LINKED_BY = {"patients": "id"}


def fetch_patients(
    source: str | Path,
    ids: Sequence[str],
    *,
    today: date,
    params: RuleParameters,
    backend: str = "duckdb",
    spark: Any = None,
) -> list[Patient]:
    """The validated records of ``ids`` (every one must exist and be valid)."""
    registry = open_registry(source, date.max, backend=backend, spark=spark)
    wanted = tuple(dict.fromkeys(ids))
    tables: dict[str, Table] = {}
    try:
        for name in TABLES:
            t = registry[name]
            key = t[LINKED_BY.get(name, "patient_id")]
            chosen = t.filter(key.isin(wanted)).drop(*(c for c in POSITIONS if c in t.columns))
            rows = chosen.to_pyarrow().to_pylist()
            kept = list(chosen.columns)
            tables[name] = Table(
                kept,
                [[r[c] for c in kept] for r in rows],
                locator(f"table {name} row {{row}}", f"table {name}"),
            )
    finally:
        registry.close()
    assembled = assemble(tables)
    validated = validate_registry(assembled.sources, today=today, params=params)
    found = {v.source.patient_id: v for v in validated}
    missing = [pid for pid in wanted if pid not in found]
    if missing:
        values = {"ids": ", ".join(missing)}
        code = "bulk.explain_not_found"
        raise UsageError(translate(code, values), code=code, params=values)
    invalid = [p for v in validated for p in v.problems if p.is_error]
    if invalid:
        code = "bulk.explain_invalid"
        raise InvalidInput(translate(code), invalid, code=code)
    patients = [found[pid].patient for pid in wanted]
    return [p for p in patients if p is not None]


def explain(
    source: str | Path,
    ids: Sequence[str],
    as_of: date,
    params: RuleParameters,
    *,
    today: date,
    backend: str = "duckdb",
    spark: Any = None,
) -> dict[str, dict[str, Any]]:
    """The reference engine's full JSON object (evidence included) of each chosen patient."""
    patients = fetch_patients(source, ids, today=today, params=params, backend=backend, spark=spark)
    return {p.id: classify(p, as_of, params).as_dict() for p in patients}


__all__ = ["explain", "fetch_patients"]
