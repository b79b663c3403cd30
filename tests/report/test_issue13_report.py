"""Issue 13 in the report: Table 1 by group, both rates, the preset sensitivity and both
time-to-event analyses in HTML, Word and Excel, every number traced to results.json; figures
in three formats; identifiers consistent across outputs; synthetic data said on page one."""

from __future__ import annotations

import subprocess
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rairtc.report.build import write_report
from rairtc.report.numbers import lookup
from rairtc.report.pseudonyms import keyed_pseudonym, mark_identified, pseudonymise
from tests.report.test_html import Numbers, expected_text

GROUPS = ("overall", "refractory", "not_refractory")


def shown(results, path: str, rule: str, lang: str) -> str:
    return expected_text(lookup(results, path), rule, lang)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_html_shows_every_issue_13_table_from_results_json(reports, results, lang) -> None:
    parser = Numbers()
    parser.feed((reports[lang] / "report.html").read_text(encoding="utf-8"))
    paths = {path for path, _, _ in parser.found}
    for prefix in (
        "table1_by_group[",
        "rair_evaluable.",
        "sensitivity[",
        "survival_delayed_entry.",
        "flow.not_sampled",
    ):
        assert any(p.startswith(prefix) for p in paths), prefix
    for i, row in enumerate(results["table1_by_group"]):
        if "n" in row["overall"]:
            for group in GROUPS:
                assert f"table1_by_group[{i}].{group}.n" in paths
    for i in range(len(results["sensitivity"])):
        assert f"sensitivity[{i}].n_refractory" in paths


def test_the_html_names_the_tests_and_flags_the_variables_in_a_criterions_definition(
    reports, results
) -> None:
    html = unescape((reports["en"] / "report.html").read_text(encoding="utf-8"))
    assert ">Table 1 by group</h2>" in html and "Sensitivity to the rule presets" in html
    assert "Regional or distant metastases†" in html and "Cumulative activity, mCi†" in html
    assert "partly by construction" in html
    names = {
        "chi_square": "Pearson's chi-square test without continuity correction",
        "fisher_exact": "Fisher's exact test",
        "fisher_freeman_halton": "Fisher-Freeman-Halton exact test",
        "mann_whitney_u": "Mann-Whitney U test",
    }
    used = list(dict.fromkeys(r["test"] for r in results["table1_by_group"] if r["test"]))
    assert used
    for mark, test in zip("ᵃᵇᶜᵈ", used, strict=False):
        assert f"{mark} {names[test]}" in html
    assert "Primary analysis: delayed entry" in html and "Secondary analysis" in html
    assert "Refractory rate among evaluable patients" in html


def docx_tables(path: Path) -> list[list[list[str]]]:
    from docx import Document

    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_word_tables_hold_the_results_numbers(reports, results, lang) -> None:
    tables = docx_tables(reports[lang] / "report.docx")
    by_group = next(t for t in tables if len(t[0]) == 5 and "n = " in t[0][1])
    level_rows = [r for r in by_group[1:] if r[1]]
    categorical = [
        (i, row) for i, row in enumerate(results["table1_by_group"]) if "n" in row["overall"]
    ]
    continuous = [
        (i, row) for i, row in enumerate(results["table1_by_group"]) if row["level"] == "mean"
    ]
    expected_cells = []
    for i, row in sorted(categorical + continuous):
        cells = []
        for group in GROUPS:
            if row["level"] == "mean":
                cells.append(
                    f"{shown(results, f'table1_by_group[{i}].{group}.value', 'one', lang)} "
                    f"({shown(results, f'table1_by_group[{i + 1}].{group}.value', 'one', lang)})"
                )
            else:
                cells.append(
                    f"{shown(results, f'table1_by_group[{i}].{group}.n', 'count', lang)} "
                    f"({shown(results, f'table1_by_group[{i}].{group}.percent', 'pct', lang)})"
                )
        expected_cells.append(cells)
    got = [r[1:4] for r in level_rows if "[" not in r[1]]
    assert got == expected_cells
    sensitivity = next(
        t for t in tables if len(t) == len(results["sensitivity"]) + 1 and len(t[0]) == 10
    )
    for row, entry in zip(sensitivity[1:], results["sensitivity"], strict=True):
        assert row[1] == f"{entry['n_refractory']} / {entry['n_analysed']}"
        assert row[2] == expected_text(entry["proportion"], "pct_of_proportion", lang)
    flow = next(t for t in tables if len(t[0]) == 2 and t[1][1] == str(results["flow"]["records"]))
    assert [r[1] for r in flow[-4:]] == [str(v) for v in results["status"].values()]


@pytest.mark.xfail(
    reason="Issue 13 item 8: a Kazakh or Russian workbook names its sheets in its language; superseded by tests/report/test_workbook_language.py",
    strict=True,
)
def test_the_workbook_has_formats_widths_frozen_headers_and_by_group_columns(
    reports, results
) -> None:
    book = load_workbook(reports["ru"] / "tables.xlsx")
    table1 = book["table1"]
    assert table1.freeze_panes == "A2" and book["survival"].freeze_panes == "A2"
    assert table1.column_dimensions["A"].width > 10
    header = [c.value for c in table1[1]]
    rows = list(table1.iter_rows(min_row=2))
    female = next(r for r in rows if r[1].value == "Женский")
    grouped = next(
        g for g in results["table1_by_group"] if g["variable"] == "sex" and g["level"] == "female"
    )
    assert female[header.index("Радиойодрезистентные: n")].value == grouped["refractory"]["n"]
    percent = female[header.index("Радиойодрезистентные: %")]
    assert percent.value == grouped["refractory"]["percent"] and percent.number_format == "0.0"
    p = female[header.index("p")]
    assert p.value == grouped["p_value"] and p.number_format == "0.000"
    listing = list(book["refractory_patients"].iter_rows(min_row=2))
    assert listing[0][2].number_format == "dd.mm.yyyy"
    tests = {r[1].value for r in book["comparisons"].iter_rows(min_row=2)} - {None}
    assert tests and all(not t.isascii() or "Welch" in t or "-" in t for t in tests)


def test_figures_come_as_png_at_300_dpi_svg_and_pdf_with_decimal_commas(reports) -> None:
    folder = reports["ru"] / "figures"
    for name in ("flow", "criteria", "kaplan_meier", "age_by_group"):
        assert (folder / f"{name}.pdf").read_bytes()[:5] == b"%PDF-"
    from PIL import Image

    with Image.open(folder / "kaplan_meier.png") as image:
        assert round(image.info["dpi"][0]) == 300
    text = subprocess.run(
        ["pdftotext", str(folder / "kaplan_meier.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "0,8" in text and "0.8" not in text
    assert "n = " in text


def test_identified_outputs_say_so_on_every_page(results, tmp_path) -> None:
    write_report(mark_identified(results), tmp_path, "en")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Contains identifiers: for internal MDT use only" in html
    pages = subprocess.run(
        ["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > 1
    assert all("Contains identifiers" in p for p in pages)
    from docx import Document

    header = Document(str(tmp_path / "report.docx")).sections[0].header.paragraphs[0].text
    assert header == "Contains identifiers: for internal MDT use only"
    assert results["refractory_patients"][0]["patient_id"] in html


def test_every_output_uses_the_same_keyed_pseudonyms(results, tmp_path) -> None:
    key = bytes(range(32))
    pseudonymised = pseudonymise(results, key)
    write_report(pseudonymised, tmp_path, "en")
    raw = results["refractory_patients"][0]["patient_id"]
    alias = keyed_pseudonym(raw, key)
    assert pseudonymised["refractory_patients"][0]["patient_id"] == alias
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"<strong>{alias}</strong>" in html and f">{raw}<" not in html
    sheet = load_workbook(tmp_path / "tables.xlsx")["refractory_patients"]
    assert alias in {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)}
    words = "\n".join(c for t in docx_tables(tmp_path / "report.docx") for r in t for c in r)
    assert alias in words and raw not in words


def test_synthetic_data_is_said_on_the_first_page(results, tmp_path) -> None:
    synthetic = {
        **results,
        "provenance": {
            "synthetic": True,
            "generator": "rairtc.synth test generator",
            "seed": 7,
            "calibration": {"targets": "none in particular"},
        },
    }
    write_report(synthetic, tmp_path, "ru")
    first = subprocess.run(
        ["pdftotext", "-l", "1", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Синтетические данные" in first and "rairtc.synth test generator" in first
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "регистр" in html and "Данные: синтетические" in html
    assert "ретроспективное исследование регистра" not in html.lower()


def test_the_decimal_comma_leaves_named_ticks_alone(reports) -> None:
    text = subprocess.run(
        ["pdftotext", str(reports["ru"] / "figures" / "criteria.pdf"), "-"],
        capture_output=True,
        text=True,
    ).stdout
    assert "Несоответствие I-131 / ФДГ" in text and "n = " in text
