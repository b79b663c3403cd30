"""``report.docx``: the report as an editable Word document (python-docx), with real Word
tables and the figures, as journals and ministries here ask for. The same sections, numbers
and wording as the HTML report: the cells come from :mod:`rairtc.report.sections` and the
methods from :mod:`rairtc.report.methods`, so a number never differs between formats."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from markupsafe import Markup

from rairtc.report import sections
from rairtc.report.figures import CRITERIA, CRITERION_NAMES, STATUS_NAMES, Figure, exclusion_name
from rairtc.report.html import LISTING_LIMIT
from rairtc.report.i18n import Language
from rairtc.report.methods import methods
from rairtc.report.numbers import Numbers
from rairtc.report.pseudonyms import display_id, identified

FIGURE_WIDTH_CM = 16.0


def _table(document: Any, header: list[str], rows: list[list[Any]]) -> Any:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    return table


def _section(document: Any, table: sections.Table) -> None:
    _table(document, table.header, table.rows)
    for note in table.notes:
        paragraph = document.add_paragraph(note)
        paragraph.style = "Caption"


def _figure(document: Any, figure: Figure | None) -> None:
    from docx.shared import Cm

    if figure is not None:
        document.add_picture(io.BytesIO(figure.png), width=Cm(FIGURE_WIDTH_CM))


def write_docx(
    results: dict[str, Any], lang: Language, figures: dict[str, Figure], path: Path
) -> None:
    from docx import Document

    g = lang.gettext
    n = Numbers(results, lang)
    document = Document()
    if identified(results):
        warning = g("Contains identifiers: for internal MDT use only")
        for section in document.sections:
            section.header.paragraphs[0].text = warning
    document.add_heading(g("Radioiodine refractoriness in differentiated thyroid cancer"), 0)
    if identified(results):
        document.add_paragraph(g("Contains identifiers: for internal MDT use only"))
    provenance = results.get("provenance") or {}
    if provenance.get("synthetic"):
        targets = (provenance.get("calibration") or {}).get("targets")
        targets = g(str(targets)) if targets else None
        document.add_paragraph(
            g(
                "Synthetic data: every patient in this report was invented by a generator; it is "
                "not a department's registry."
            )
            + f" {g(str(provenance.get('generator') or 'rairtc'))}; {g('seed')} {provenance.get('seed')}."
            + (f" {g('Calibration targets')}: {targets}." if targets else "")
        )
    document.add_paragraph(
        f"{g('Study report as of')} {lang.date(results['as_of'])} · {g('rule set')} "
        f"{results['rule_set']} v{results['rule_set_version']} · rairtc "
        f"{results['software_version']}"
    )
    document.add_heading(g("Methods"), 1)
    for paragraph in methods(results, lang, n):
        document.add_paragraph(Markup(paragraph).striptags())

    flow = results["flow"]
    document.add_heading(g("Eligibility flow"), 1)
    _figure(document, figures.get("flow"))
    rows: list[list[Any]] = [[g("Records in the registry"), n("flow.records")]]
    rows += [
        [f"— {g('Excluded')}: {exclusion_name(code, lang)}", n(f"flow.excluded.{code}")]
        for code in flow["excluded"]
    ]
    rows.append([g("Eligible (the sampling frame)"), n("flow.eligible")])
    if flow.get("sample_size") is not None:
        rows.append([g("Sample size"), n("flow.sample_size")])
    if flow.get("not_sampled") is not None:
        rows.append([f"— {g('Not sampled')}", n("flow.not_sampled")])
    rows.append([g("Analysed"), n("flow.analysed")])
    rows += [[f"· {g(STATUS_NAMES[s])}", n(f"status.{s}")] for s in results["status"]]
    _table(document, [g("Step"), g("Patients")], rows)

    document.add_heading(g("Table 1 by group"), 1)
    _section(document, sections.table1_by_group(results, lang, n))

    document.add_heading(g("Radioiodine refractoriness"), 1)
    _section(document, sections.rates(results, lang, n))
    document.add_heading(g("Criteria among refractory patients"), 2)
    _figure(document, figures.get("criteria"))
    _table(
        document,
        [g("Criterion"), g("Met (any)"), g("Primary criterion")],
        [
            [g(CRITERION_NAMES[c]), n(f"criteria.{c}.any"), n(f"criteria.{c}.primary")]
            for c in CRITERIA
        ],
    )
    document.add_heading(g("Sensitivity to the rule presets"), 2)
    _section(document, sections.sensitivity(results, lang, n))

    document.add_heading(g("Time to refractoriness"), 1)
    _figure(document, figures.get("kaplan_meier"))
    _table(
        document,
        [
            g("Analysis"),
            g("Patients"),
            g("Events"),
            g("Prevalent at the index admission"),
            g("Median time to refractoriness, months"),
        ],
        sections.survival_summary(results, lang, n),
    )
    _section(document, sections.survival(results, lang, n))

    document.add_heading(g("Refractory patients by primary criterion"), 1)
    listed = results["refractory_patients"][:LISTING_LIMIT]
    _table(
        document,
        [g("Patient"), g("Primary criterion"), g("Onset")],
        [
            [
                display_id(results, p["patient_id"]),
                g(CRITERION_NAMES[p["primary_criterion"]]),
                lang.date(p["onset_date"]),
            ]
            for p in listed
        ],
    )
    not_listed = len(results["refractory_patients"]) - len(listed)
    if not_listed > 0:
        document.add_paragraph(
            g(
                "Further refractory patients not listed here (every patient is in tables.xlsx, "
                "sheet refractory_patients):"
            )
            + f" {not_listed}."
        )
    document.add_heading(g("Parameters and provenance"), 1)
    _table(
        document,
        [g("Parameter"), g("Value")],
        [[k, str(v)] for k, v in sorted(results["parameters"].items())]
        + [[g("Input SHA-256"), results["input_sha256"]]]
        + [[name, version] for name, version in results["software"].items()],
    )
    document.core_properties.title = g(
        "Radioiodine refractoriness in differentiated thyroid cancer"
    )
    document.core_properties.author = "rairtc"
    document.save(str(path))
