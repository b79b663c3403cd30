"""The explanation rendered as plain text (for pasting into a note), Markdown or HTML."""

from __future__ import annotations

import html
from datetime import date

from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters
from rairtc.core.records import Patient
from rairtc.explain.build import Explanation, explanation
from rairtc.i18n import translate

FORMATS = ("text", "markdown", "html")


def render(explained: Explanation, fmt: str = "text", *, lang: str = "en") -> str:
    """The explanation as plain text (for pasting into a note), Markdown or an HTML fragment."""
    if fmt not in FORMATS:
        raise ValueError(f"'{fmt}' is not a format; allowed: {', '.join(FORMATS)}")
    timeline_heading = translate("explain.timeline", {}, lang)
    empty = translate("explain.no_records", {}, lang)
    if fmt == "html":
        return _html(explained, timeline_heading, empty)
    markdown = fmt == "markdown"
    out = [f"# {explained.title}" if markdown else explained.title, "", explained.summary, ""]
    out += [f"## {timeline_heading}" if markdown else timeline_heading.upper()]
    if markdown:
        out.append("")
    out += [
        f"- {day}: {text}" if markdown else f"{day}  {text}" for day, text in explained.timeline
    ]
    if not explained.timeline:
        out.append(f"- {empty}" if markdown else empty)
    for section in explained.sections:
        out += ["", f"## {section.heading}" if markdown else section.heading.upper()]
        if markdown:
            out.append("")
        for i, line in enumerate(section.lines):
            out.append(f"- {line}")
            details = section.details[i] if i < len(section.details) else ()
            out += [f"  - {d}" if markdown else f"    {d}" for d in details]
    out += ["", explained.footer]
    return "\n".join(out) + "\n"


def _html(explained: Explanation, timeline_heading: str, empty: str) -> str:
    e = html.escape
    out = [f'<article class="rairtc-explain">\n<h1>{e(explained.title)}</h1>']
    out.append(f"<p>{e(explained.summary)}</p>")
    out.append(f"<h2>{e(timeline_heading)}</h2>\n<table>")
    out += [f"<tr><td>{e(day)}</td><td>{e(text)}</td></tr>" for day, text in explained.timeline]
    if not explained.timeline:
        out.append(f'<tr><td colspan="2">{e(empty)}</td></tr>')
    out.append("</table>")
    for section in explained.sections:
        out.append(f"<h2>{e(section.heading)}</h2>\n<ul>")
        for i, line in enumerate(section.lines):
            details = section.details[i] if i < len(section.details) else ()
            sub = "".join(f"<li>{e(d)}</li>" for d in details)
            out.append(f"<li>{e(line)}" + (f"<ul>{sub}</ul>" if sub else "") + "</li>")
        out.append("</ul>")
    out.append(f"<p><small>{e(explained.footer)}</small></p>\n</article>")
    return "\n".join(out) + "\n"


def explain(
    patient: Patient,
    as_of: date,
    *,
    params: RuleParameters = DEFAULT_PARAMETERS,
    lang: str = "en",
    fmt: str = "text",
) -> str:
    """One patient's explanation rendered in a language and a format."""
    return render(explanation(patient, as_of, params, lang), fmt, lang=lang)
