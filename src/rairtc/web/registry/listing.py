"""The patient list's two costly parts made cheap: the total and the table rows.

The total (``count(*)`` over up to the whole registry) is cached per search, filters and
registry revision (:mod:`rairtc.web.registry.revision`), so a write anywhere gives new totals
in every worker process. The 50 rows are written here as HTML with the same escaping, links
and date format as a template row, because the template engine spent more CPU on the table
than the database spent finding it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from django.core.paginator import Paginator
from django.utils.formats import date_format
from django.utils.http import quote
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rairtc.web.escaping import escaped
from rairtc.web.rows import Converters, convert, converters

COUNT_SECONDS = 3600
PAGE_ROWS = 50


class CountedPaginator(Paginator):
    """A paginator told its total instead of counting it."""

    def __init__(self, object_list: Any, per_page: int, total: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = total  # the cached_property Paginator.count, already known


def cached_total(rows: Any, key: str, revision: int | None = None) -> int:
    """The count of ``rows``, cached per ``key`` and registry revision (``revision``: the one
    the caller has read already, else read here)."""
    from rairtc.web.registry.cached import once
    from rairtc.web.registry.revision import current

    digest = hashlib.sha256(key.encode()).hexdigest()  # the search text is the user's
    total: int = once(
        f"rairtc:list-count:{current() if revision is None else revision}:{digest}",
        lambda: int(rows.count()),
        COUNT_SECONDS,
    )
    return total


def rows_html(rows: list[dict[str, Any]], identified: bool) -> SafeString:
    """The table body, exactly as ``registry/patient_list.html`` wrote it row by row."""
    if not rows:
        return mark_safe(f'<tr><td colspan="11">{escaped(_("No patient matches."))}</td></tr>')  # noqa: S308 - escaped
    parts = []
    for r in rows:
        names = (
            f"<td>{escaped(r['name'] or '')}</td><td>{escaped(r['mrn'] or '')}</td>"
            if identified
            else ""
        )
        onset = escaped(date_format(r["onset"])) if r["onset"] else ""
        parts.append(
            "<tr>\n"
            f'  <td><a href="/patients/{escaped(quote(str(r["link"]), safe="/"))}/">'
            f"{escaped(r['shown_id'])}</a></td>\n"
            f"  {names}\n"
            f"  <td>{escaped(r['sex'])}</td><td>{escaped(r['born'])}</td>"
            f"<td>{escaped(r['histology'])}</td><td>{escaped(r['stage'])}</td>\n"
            f'  <td><span class="status {escaped(r["status"])}">{escaped(r["status_label"])}</span>'
            f"</td><td>{escaped(r['criterion'])}</td>\n"
            f"  <td>{onset}</td><td>{escaped(r['year'])}</td>\n"
            "</tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def options_html(choices: list[tuple[str, Any]], chosen: str) -> SafeString:
    """A filter's ``<option>`` list, as the template's loop wrote it."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<option value="{escaped(v)}"{" selected" if v == chosen else ""}>{escaped(text)}</option>'
            for v, text in choices
        )
    )


# The list's columns: (name in the row, model, field); the names are the ORM's ``values()``
# names, so the rows are what ``ClassificationSummary.objects.values(...)`` gave.
SUMMARY_COLUMNS = (
    ("patient_id", "summary", "patient"),
    ("pseudonym", "summary", "pseudonym"),
    ("stage", "summary", "stage"),
    ("status", "summary", "status"),
    ("primary_criterion", "summary", "primary_criterion"),
    ("onset_date", "summary", "onset_date"),
    ("first_course_year", "summary", "first_course_year"),
    ("patient__sex", "patient", "sex"),
    ("patient__birth_date", "patient", "birth_date"),
    ("patient__histology", "patient", "histology"),
)
IDENTIFIER_COLUMNS = (
    ("patient__identifiers__full_name", "identifiers", "full_name"),
    ("patient__identifiers__mrn", "identifiers", "mrn"),
)


@cache
def _rows_sql(vendor: str, identified: bool) -> tuple[str, tuple[str, ...], Converters]:
    from django.db import connection
    from django.db.models import Model

    from rairtc.web.registry import models as m

    q = connection.ops.quote_name
    models: dict[str, type[Model]] = {
        "summary": m.ClassificationSummary,
        "patient": m.Patient,
        "identifiers": m.Identifiers,
    }
    wanted = SUMMARY_COLUMNS + (IDENTIFIER_COLUMNS if identified else ())
    fields = [(alias, models[alias]._meta.get_field(name)) for _, alias, name in wanted]
    selected = ", ".join(f"{q(alias)}.{q(f.column)}" for alias, f in fields)
    table = {alias: q(model._meta.db_table) for alias, model in models.items()}
    sql = (
        f"SELECT {selected} FROM {table['summary']} {q('summary')} "  # noqa: S608 - model metadata
        f"INNER JOIN {table['patient']} {q('patient')} "
        f"ON {q('patient')}.{q('id')} = {q('summary')}.{q('patient_id')} "
    )
    if identified:
        sql += (
            f"LEFT OUTER JOIN {table['identifiers']} {q('identifiers')} "
            f"ON {q('identifiers')}.{q('patient_id')} = {q('patient')}.{q('id')} "
        )
    sql += f"WHERE {q('summary')}.{q('patient_id')} IN ("
    with_: Converters = ()
    for i, (alias, f) in enumerate(fields):
        with_ += converters(models[alias]._meta.db_table, [f], first=i)
    return sql, tuple(name for name, _, _ in wanted), with_


def summary_rows(ids: list[str], identified: bool) -> dict[str, dict[str, Any]]:
    """The list's columns of the patients ``ids``, by patient id, in one plain SELECT (the
    ORM compiled this join on every list page)."""
    from django.db import connection

    if not ids:
        return {}
    sql, names, with_ = _rows_sql(connection.vendor, identified)
    with connection.cursor() as cursor:
        cursor.execute(sql + ", ".join(["%s"] * len(ids)) + ")", ids)
        found = cursor.fetchall()
    rows = [dict(zip(names, convert(row, with_), strict=True)) for row in found]
    return {row["patient_id"]: row for row in rows}


KEYSET_COLUMNS = ("patient_id", "pseudonym")  # unique: one key gives one place in the order


def page_keys(
    rows: Any, order: list[str], number: int, key: str, revision: int | None = None
) -> list[str] | None:
    """The patient ids of page ``number`` when the list is ordered by one unique column (the
    default order), found from the first key of the page instead of skipping every earlier
    row (``OFFSET`` reads the whole registry before its last page). The first key of every
    page is read once per search, filters and registry revision and cached. None: the order
    is not one unique column (the caller pages with ``OFFSET``)."""
    from rairtc.web.registry.cached import once
    from rairtc.web.registry.revision import current

    columns = {c.lstrip("-") for c in order}
    if len(columns) != 1 or not columns <= set(KEYSET_COLUMNS):
        return None
    column = columns.pop()
    descending = order[0].startswith("-")
    ordered = rows.order_by(f"-{column}" if descending else column)
    digest = hashlib.sha256(f"{key}:{order}".encode()).hexdigest()
    name = f"rairtc:list-pages:{current() if revision is None else revision}:{digest}"
    starts: list[str] = once(
        name,
        lambda: list(ordered.values_list(column, flat=True).iterator())[::PAGE_ROWS],
        COUNT_SECONDS,
    )
    if not 1 <= number <= len(starts):
        return []
    start = starts[number - 1]
    lookup = f"{column}__lte" if descending else f"{column}__gte"
    return list(ordered.filter(**{lookup: start}).values_list("patient_id", flat=True)[:PAGE_ROWS])
