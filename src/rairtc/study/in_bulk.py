"""The analysed patients classified by the bulk engine (:mod:`rairtc.bulk`), under the main
parameters and each sensitivity preset, for a registry the bulk engine reads (a Parquet or CSV
folder, a ``.duckdb`` file).

The bulk engine classifies every patient of the tables in one query per parameter set; only
the analysed patients' fields are kept, and only what the study takes from a classification
(status, primary criterion, onset, stage group, criteria counted). The stage group is the
core's own :attr:`~rairtc.core.rules.staging.Stage.group`; nothing clinical is restated here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.classify import Status
from rairtc.core.rules.staging import Stage
from rairtc.core.rules.terms import Criterion
from rairtc.study.analyse import BulkOutcome, counted_set
from rairtc.study.sensitivity import Preset, Verdict, verdict
from rairtc.study.variables import Outcome

MAIN_COLUMNS = (
    "patient_id",
    "status",
    "primary_criterion",
    "onset_date",
    "stage",
    "criteria",
    *(f"{c.value}_confirmed" for c in Criterion),
)
VERDICT_COLUMNS = ("patient_id", "status", "primary_criterion")


@dataclass(frozen=True)
class BulkTables:
    """A registry the bulk engine reads, holding the same patients as the study's chunks (the
    same files, validated by the study's first pass)."""

    source: str | Path
    backend: str = "duckdb"


def bulk_above(
    tables: BulkTables, threshold: int | None = None
) -> Callable[[int], BulkTables | None]:
    """The bulk engine when more than ``threshold`` patients are analysed (default
    :data:`rairtc.bulk.AUTO_BULK_THRESHOLD`; 0: always), else the reference engine."""
    from rairtc.bulk import AUTO_BULK_THRESHOLD

    limit = AUTO_BULK_THRESHOLD if threshold is None else threshold
    return lambda analysed: tables if analysed > limit else None


def _rows(
    tables: BulkTables,
    ids: Collection[str],
    as_of: date,
    params: RuleParameters,
    columns: Sequence[str],
) -> Iterator[dict[str, Any]]:
    """The analysed patients' rows, the other patients filtered out in Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from rairtc.bulk.api import classify_batches

    wanted = pa.array(sorted(ids), type=pa.string())
    for batch in classify_batches(tables.source, as_of, params, backend=tables.backend):
        kept = batch.select(list(columns)).filter(
            pc.is_in(batch.column("patient_id"), value_set=wanted)
        )
        yield from kept.to_pylist()


def _criterion(value: str | None) -> Criterion | None:
    return None if value is None else Criterion(value)


def _counted(row: dict[str, Any], params: RuleParameters) -> frozenset[Criterion]:
    """As :func:`rairtc.study.analyse.counted`, from the bulk engine's columns."""
    if row["status"] != Status.REFRACTORY or not row["criteria"]:
        return counted_set(frozenset())
    met = (Criterion(code) for code in row["criteria"].split(";"))
    return counted_set(
        frozenset(c for c in met if row[f"{c.value}_confirmed"] or params.count_unconfirmed_as_met)
    )


def classify_in_bulk(
    tables: BulkTables,
    ids: Collection[str],
    as_of: date,
    params: RuleParameters,
    chosen: Sequence[Preset],
) -> dict[str, BulkOutcome]:
    """Each analysed patient's classifications, by id; a parameter set shared by several
    presets is classified once."""
    by_params: dict[RuleParameters, dict[str, Verdict]] = {}
    for preset in chosen:
        if preset.same or preset.params in by_params:
            continue
        by_params[preset.params] = {
            r["patient_id"]: verdict(r["status"], _criterion(r["primary_criterion"]))
            for r in _rows(tables, ids, as_of, preset.params, VERDICT_COLUMNS)
        }
    out: dict[str, BulkOutcome] = {}
    for r in _rows(tables, ids, as_of, params, MAIN_COLUMNS):
        pid = r["patient_id"]
        outcome = Outcome(
            r["status"],
            _criterion(r["primary_criterion"]),
            r["onset_date"],
            Stage(r["stage"], params.staging_edition, None).group,
        )
        varied = tuple(None if p.same else by_params[p.params].get(pid) for p in chosen)
        if all(v is not None or p.same for v, p in zip(varied, chosen, strict=True)):
            out[pid] = BulkOutcome(outcome, _counted(r, params), varied)
    return out
