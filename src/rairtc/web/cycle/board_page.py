"""The board's agenda list and case sections written as HTML here, exactly as
``cycle/board.html`` wrote them case by case (``tests/web/test_board_page.py`` compares the
two): each case's own part is cached already, yet thirty cases of template loops (a dozen
variables, dates and translations each) cost more CPU than the rest of the page together.
Every value is escaped as the template escaped it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rairtc.web.escaping import escaped


def agenda_html(cases: list[dict[str, Any]]) -> SafeString:
    """The ``<li>`` items of the agenda list."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<li><a href="#case-{escaped(c["pid"])}">{escaped(c["pid"])} {escaped(c["name"])}</a></li>'
            for c in cases
        )
    )


def _sources(c: dict[str, Any], cycle: str, by_hand: str) -> str:
    text = ", ".join(cycle if s == "cycle" else by_hand for s in c["sources"])
    return text + (f": {escaped(c['reason'])}" if c["reason"] else "")


def _note(note: Any) -> str:
    return f" — {escaped(note)}" if note else ""


def cases_html(
    cases: list[dict[str, Any]], meeting: date, *, can_edit: bool, csrf_token: str, form: str
) -> SafeString:
    """The case sections, one per agenda case."""
    day = meeting.isoformat()
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escaped(csrf_token)}">'
    remove = escaped(_("Remove from the agenda"))
    record = escaped(_("Record the decision"))
    cycle, by_hand = escaped(_("from the cycle")), escaped(_("added by hand"))
    parts = []
    for c in cases:
        pid = escaped(c["pid"])
        removal = (
            f'<form method="post" action="/mdt/{day}/{pid}/remove/" class="inline">{csrf}\n'
            f'    <button type="submit">{remove}</button></form>'
            if can_edit and "manual" in c["sources"]
            else ""
        )
        decided = "".join(
            f'<p class="decided">✓ {", ".join(escaped(x) for x in d["codes"])}{_note(d["note"])}</p>'
            for d in c["decided"]
        )
        if not c["decided"]:
            decided = "\n  " + (
                f'<form method="post" action="/mdt/{day}/{pid}/decide/">{csrf}\n'
                f'    {form}<button type="submit">{record}</button></form>'
                if can_edit
                else ""
            )
        parts.append(
            f'\n<section class="card case" id="case-{pid}">\n'
            f'  <h2><a href="/patients/{pid}/">{pid}</a> {escaped(c["name"])}</h2>\n'
            f"  <p>{_sources(c, cycle, by_hand)}</p>\n"
            f"  {removal}\n"
            f"  {c['body']}\n"
            f"  {decided}\n"
            f"  {c['history_html']}\n"
            "</section>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped
