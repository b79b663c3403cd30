"""Whole patients read for the pages: one plain SELECT per table, no model instances.

The ORM's prefetch of a patient (nine querysets, each compiled to SQL on every request, then
one model instance per row) cost more CPU than classifying the patient and rendering the page
together. Here each table's SELECT is written once per database vendor from the models' own
metadata, and every value goes through the converters Django itself applies to that column
(SQLite's dates, booleans and decimals; nothing on PostgreSQL), so the values are the ORM's.
The rows go to :func:`rairtc.web.registry.convert.record_from`, the one rows-to-record
converter. Findings and recommendations are read by joining their parent, so the nine
statements do not wait on one another's results: on PostgreSQL they are sent together, in one
round trip (:func:`fetch_all`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Model

from rairtc.core.records import Patient as Record
from rairtc.web.registry import models as m
from rairtc.web.registry.convert import Stored, record_from
from rairtc.web.rows import Converters, convert, converters


@dataclass(frozen=True)
class Select:
    """A table's SELECT for some patients: ``head``, one placeholder per patient, ``tail``."""

    head: str
    tail: str
    names: tuple[str, ...]
    converters: Converters

    def sql(self, ids: Sequence[str]) -> str:
        return self.head + ", ".join(["%s"] * len(ids)) + self.tail

    def records(self, raw: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
        return [
            dict(zip(self.names, convert(values, self.converters), strict=True)) for values in raw
        ]


def fetch_all(statements: Sequence[tuple[str, Sequence[Any]]]) -> list[list[Any]]:
    """The rows of every statement. On PostgreSQL the statements go in one round trip
    (psycopg's pipeline mode): under load a thread that waits on the database nine times waits
    nine times for the interpreter lock as well, and the patient page was the slowest page at
    the 95th centile for that alone. Elsewhere they run one after the other."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            found = []
            for sql, params in statements:
                cursor.execute(sql, params)
                found.append(list(cursor.fetchall()))
            return found
        raw = connection.connection
        start = time.monotonic()
        with connection.wrap_database_errors:
            with raw.pipeline():
                cursors = [raw.cursor() for _ in statements]
                for each, (sql, params) in zip(cursors, statements, strict=True):
                    each.execute(sql, params)
            found = [list(each.fetchall()) for each in cursors]
        if connection.queries_logged:  # as Django's own cursors log them (tests count them)
            spent = f"{time.monotonic() - start:.3f}"
            connection.queries_log.extend({"sql": sql, "time": spent} for sql, _ in statements)
        return found


def _select(model: type[Model], where: str, *, parent: type[Model] | None = None) -> Select:
    """``model``'s concrete columns; ``where`` is the column holding the patient id (of
    ``parent``, joined on the model's foreign key, when the model has no patient column)."""
    q = connection.ops.quote_name
    table = model._meta.db_table
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(f"{q(table)}.{q(f.column)}" for f in fields)
    source = q(table)
    order = f"{q(table)}.{q('position')}" if any(f.name == "position" for f in fields) else ""
    if parent is None:
        condition = f"{q(table)}.{q(where)}"
    else:
        link = next(f for f in fields if f.is_relation and f.related_model is parent)
        ptable = parent._meta.db_table
        source += f" JOIN {q(ptable)} ON {q(ptable)}.{q('id')} = {q(table)}.{q(link.column)}"
        condition = f"{q(ptable)}.{q(where)}"
        order = f"{q(table)}.{q(link.column)}, {order}"
    head = f"SELECT {columns} FROM {source} WHERE {condition} IN ("  # noqa: S608 - model metadata
    tail = f") ORDER BY {order}" if order else ")"
    return Select(head, tail, tuple(f.attname for f in fields), converters(table, fields))


@cache
def _selects(vendor: str) -> dict[str, Select]:
    return {
        "patient": _select(m.Patient, "id"),
        "identifiers": _select(m.Identifiers, "patient_id"),
        "surgeries": _select(m.Surgery, "patient_id"),
        "courses": _select(m.RaiCourse, "patient_id"),
        "imaging": _select(m.Imaging, "patient_id"),
        "findings": _select(m.Finding, "patient_id", parent=m.Imaging),
        "labs": _select(m.Lab, "patient_id"),
        "mdt": _select(m.Mdt, "patient_id"),
        "recommendations": _select(m.MdtRecommendation, "patient_id", parent=m.Mdt),
    }


@dataclass(frozen=True)
class Loaded:
    record: Record
    revision: int


def load_many(ids: Sequence[str]) -> dict[str, Loaded]:
    """The stored patients among ``ids`` as core records with their revision."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    selects = _selects(connection.vendor)
    tables = list(selects)
    fetched = fetch_all([(selects[t].sql(wanted), wanted) for t in tables])
    rows = {t: selects[t].records(raw) for t, raw in zip(tables, fetched, strict=True)}
    if not rows["patient"]:
        return {}
    stored = {p["id"]: Stored(patient=p, identifiers=None) for p in rows["patient"]}
    # The statements are not one snapshot (as the ORM's prefetch was not): a row whose
    # patient or parent was written between two of them is left out.
    for row in rows["identifiers"]:
        if row["patient_id"] in stored:
            stored[row["patient_id"]].identifiers = row
    for kind in ("surgeries", "courses", "imaging", "labs", "mdt"):
        for row in rows[kind]:
            if row["patient_id"] in stored:
                getattr(stored[row["patient_id"]], kind).append(row)
    studies = {i["id"]: s for s in stored.values() for i in s.imaging}
    meetings = {x["id"]: s for s in stored.values() for x in s.mdt}
    for row in rows["findings"]:
        if row["imaging_id"] in studies:
            studies[row["imaging_id"]].findings.setdefault(row["imaging_id"], []).append(row)
    for row in rows["recommendations"]:
        if row["mdt_id"] in meetings:
            meetings[row["mdt_id"]].recommendations.setdefault(row["mdt_id"], []).append(
                row["code"]
            )
    return {pid: Loaded(record_from(s), int(s.patient["revision"])) for pid, s in stored.items()}


def revisions_of(ids: Sequence[str]) -> dict[str, int]:
    """The revision of each stored patient among ``ids`` (one plain SELECT: the board reads
    thirty on every request to find its cached cases)."""
    if not ids:
        return {}
    table = m.Patient._meta.db_table
    q = connection.ops.quote_name
    sql = f"SELECT {q('id')}, {q('revision')} FROM {q(table)} WHERE {q('id')} IN ("  # noqa: S608 - model metadata
    with connection.cursor() as cursor:
        cursor.execute(sql + ", ".join(["%s"] * len(ids)) + ")", list(ids))
        return {str(pid): int(revision) for pid, revision in cursor.fetchall()}


def load(patient_id: str) -> Loaded | None:
    return load_many([patient_id]).get(patient_id)
