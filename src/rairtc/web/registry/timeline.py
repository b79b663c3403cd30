"""The patient page's timeline rows and history written as HTML here, exactly as
``registry/patient_page.html`` wrote them (``tests/web/test_patient_page.py`` compares the
two): the template engine spent more CPU on a patient's few dozen rows (dates, links, forms
and translations each) than reading and classifying the patient together. Every value is
escaped as the template escaped it; dates use the language's formats as ``|date`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connection
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rairtc.web.audit.models import AuditEvent
from rairtc.web.escaping import escaped
from rairtc.web.registry.page import Event
from rairtc.web.rows import Converters, convert, converters

HISTORY_ROWS = 50


def _finding(f: dict[str, Any], link: str) -> str:
    """One finding of a scan; ``link`` is the start of its edit link (empty: no link)."""
    edit = f'{link}{escaped(f["id"])}/">{escaped(_("edit"))}</a>' if link else ""
    rai = "" if f["rai"] is None else f"· I-131 {'+' if f['rai'] else '−'}"
    fdg = "" if f["fdg"] is None else f"· FDG {'+' if f['fdg'] else '−'}"
    new = f"· {escaped(_('new'))}" if f["new"] else ""
    return f"<li>{escaped(f['text'])}\n        {rai}\n        {fdg}\n        {new}\n        {edit}</li>"


def timeline_html(
    events: Sequence[Event], pid: str, *, can_edit: bool, can_delete: bool, csrf_token: str
) -> SafeString:
    """The ``<tr>`` rows of the timeline table."""
    if not events:
        return mark_safe(f"<tr><td>{escaped(_('No dated record.'))}</td></tr>")  # noqa: S308 - escaped
    p = escaped(pid)
    edit, finding, delete = escaped(_("edit")), escaped(_("finding")), escaped(_("delete"))
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escaped(csrf_token)}">'
    rows = []
    for e in events:
        kind, rid = escaped(e.kind), escaped(e.record_id)
        findings = ""
        if e.findings:
            link = f'<a href="/patients/{p}/imaging/{rid}/findings/' if can_edit else ""
            findings = "<ul>" + "".join(_finding(f, link) for f in e.findings) + "</ul>"
        actions = ""
        if can_edit:
            actions = f'<a href="/patients/{p}/{kind}/{rid}/">{edit}</a>\n      '
            if e.kind == "imaging":
                actions += f' <a href="/patients/{p}/imaging/{rid}/findings/new/">+ {finding}</a>'
        removal = (
            f'<form method="post" action="/patients/{p}/{kind}/{rid}/delete/" class="inline">'
            f'{csrf}<button type="submit" class="small">{delete}</button></form>'
            if can_delete
            else ""
        )
        rows.append(
            f'<tr class="{kind}">\n'
            f"    <td>{escaped(date_format(e.date))}</td><td><strong>{escaped(e.title)}</strong></td>\n"
            f"    <td>{' · '.join(escaped(d) for d in e.details)}\n"
            f"      {findings}\n"
            "    </td>\n"
            f"    <td>{actions}\n"
            f"      {removal}</td>\n"
            "  </tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped


@cache
def _history_sql(vendor: str) -> tuple[str, Converters]:
    q = connection.ops.quote_name
    names = ("at", "username", "action", "object_type", "object_id")
    fields = [AuditEvent._meta.get_field(n) for n in names]
    table = AuditEvent._meta.db_table
    sql = (
        f"SELECT {', '.join(q(f.column) for f in fields)} FROM {q(table)} "  # noqa: S608 - model metadata
        f"WHERE {q('patient_id')} = %s ORDER BY {q('at')} DESC, {q('id')} DESC "
        f"LIMIT {HISTORY_ROWS}"
    )
    return sql, converters(table, fields)


def history(patient_id: str) -> list[dict[str, Any]]:
    """The patient's last audit events, newest first (``AuditEvent``'s own order), as the
    fields the page shows."""
    sql, with_ = _history_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [patient_id])
        found = cursor.fetchall()
    names = ("at", "username", "action", "object_type", "object_id")
    return [dict(zip(names, convert(row, with_), strict=True)) for row in found]
