"""Write the whole report for one ``results.json``: figures, HTML, PDF and Excel, with a Rich
progress bar on stderr when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rairtc.report.figures import age_figure, criteria_figure, flow_figure, km_figure, write_figures
from rairtc.report.html import render_html
from rairtc.report.i18n import Language


def write_report(results: dict[str, Any], out: Path, lang_code: str = "en") -> list[Path]:
    """Figures, report.html, report.pdf, tables.xlsx and report.docx in ``out``; returns the
    files written."""
    from rairtc.report.excel import write_excel
    from rairtc.report.pdf import write_pdf
    from rairtc.report.word import write_docx

    lang = Language(lang_code)
    figures: dict[str, Any] = {}
    html: dict[str, str] = {}

    def make_figures() -> None:
        for figure in (
            flow_figure(results, lang),
            criteria_figure(results, lang),
            km_figure(results, lang),
            age_figure(results["distributions"]["age"], lang),
        ):
            figures[figure.name] = figure
        write_figures(list(figures.values()), out / "figures")

    def make_html() -> None:
        html["text"] = render_html(results, lang, figures)
        (out / "report.html").write_text(html["text"], encoding="utf-8")

    steps: list[tuple[str, Callable[[], None]]] = [
        ("figures", make_figures),
        ("report.html", make_html),
        ("report.pdf", lambda: write_pdf(html["text"], out / "report.pdf")),
        ("tables.xlsx", lambda: write_excel(results, lang, out / "tables.xlsx")),
        ("report.docx", lambda: write_docx(results, lang, figures, out / "report.docx")),
    ]
    out.mkdir(parents=True, exist_ok=True)
    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("report", total=len(steps))
            for name, step in steps:
                progress.update(task, description=name)
                step()
                progress.advance(task)
    else:
        for _, step in steps:
            step()
    return [
        out / "report.html",
        out / "report.pdf",
        out / "tables.xlsx",
        out / "report.docx",
        out / "figures",
    ]
