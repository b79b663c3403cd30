"""report.html: self-contained, and every number it shows is results.json's, rounded as stated."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape
from html.parser import HTMLParser

import pytest

from rairtc.report.numbers import lookup

DECIMAL_SIGN = {"en": ".", "ru": ",", "kk": ","}
# rule -> (decimals, scale); the rounding rule stated in the report's methods section
RULES = {
    "count": (0, 1),
    "pct": (1, 1),
    "pct_of_proportion": (1, 100),
    "one": (1, 1),
    "two": (2, 1),
    "p": (3, 1),
}


class Numbers(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self._open: tuple[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span" and a.get("class") == "num":
            self._open = (a["data-path"], a["data-rule"])
            self.found.append((*self._open, ""))

    def handle_data(self, data):
        if self._open:
            path, rule, text = self.found[-1]
            self.found[-1] = (path, rule, text + data)

    def handle_endtag(self, tag):
        if tag == "span":
            self._open = None


def expected_text(value, rule: str, lang: str) -> str:
    if value is None:
        return "–"
    digits, scale = RULES[rule]
    if rule == "p" and value < 0.001:
        return "< " + "0.001".replace(".", DECIMAL_SIGN[lang])
    number = (Decimal(repr(float(value))) * scale).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP
    )
    whole, _, fraction = f"{number:f}".partition(".")
    if len(whole.lstrip("-")) > 4:
        whole = f"{int(whole):,}".replace(",", {"en": ",", "ru": "\xa0", "kk": "\xa0"}[lang])
    return whole + (DECIMAL_SIGN[lang] + fraction if fraction else "")


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_number_shown_is_the_results_number_rounded_as_stated(reports, results, lang) -> None:
    parser = Numbers()
    parser.feed((reports[lang] / "report.html").read_text(encoding="utf-8"))
    assert len(parser.found) > 80
    for path, rule, text in parser.found:
        assert text == expected_text(lookup(results, path), rule, lang), (path, rule, text)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_report_holds_no_url_no_link_and_no_external_source(reports, lang) -> None:
    html = (reports[lang] / "report.html").read_text(encoding="utf-8")
    assert "http:" not in html and "https:" not in html
    assert not re.search(r"""["'(\s]//\w""", html)  # protocol-relative URLs
    assert "<link" not in html
    assert all(
        m.startswith(("'data:", '"data:')) for m in re.findall(r"(?<![\w-])src=(\S{6})", html)
    )
    assert "<script" not in html


def test_the_report_has_every_section(reports) -> None:
    html = (reports["en"] / "report.html").read_text(encoding="utf-8")
    for heading in (
        "Summary",
        "Methods",
        "Eligibility flow",
        "Table 1. Characteristics of the analysed patients",
        "Radioiodine refractoriness",
        "Refractory versus not refractory",
        "Time to refractoriness",
        "Refractory patients by primary criterion",
        "Parameters and provenance",
    ):
        assert f">{heading}</h2>" in html, heading
    assert html.count("<svg") == 4


def test_patients_appear_only_by_pseudonym(reports, results) -> None:
    html = (reports["en"] / "report.html").read_text(encoding="utf-8")
    for patient in results["refractory_patients"]:
        assert f">{patient['patient_id']}<" not in html and f" {patient['patient_id']} " not in html
    assert re.search(r"<strong>P-[0-9a-f]{10}</strong>", html)


def test_the_methods_state_formulas_versions_parameters_and_checksum(reports, results) -> None:
    html = unescape((reports["en"] / "report.html").read_text(encoding="utf-8"))
    for needle in (
        "Wilson score",
        "Clopper-Pearson",
        "Fisher's exact test",
        "Welch's t-test",
        "Mann-Whitney U",
        "Firth's penalised likelihood",
        "Kaplan-Meier",
        "log(−log)",
        "30.4375",
        "PCG64(4)",
        results["software"]["scipy"],
        results["software"]["lifelines"],
        "0" * 64,
        "study-2023",
    ):
        assert needle in html, needle


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "ru",
            [
                "Радиойодрезистентность",
                "Методы",
                "Несоответствие I-131 / ФДГ",
                "Посттерапевтическая сцинтиграфия всего тела",
            ],
        ),
        (
            "kk",
            [
                "радиойодқа төзімділік",
                "Әдістер",
                "I-131 / ФДГ сәйкессіздігі",
                "Терапиядан кейінгі бүкіл дене сцинтиграфиясы",
            ],
        ),
    ],
)
def test_russian_and_kazakh_reports_use_the_seed_glossary(reports, lang, words) -> None:
    html = (reports[lang] / "report.html").read_text(encoding="utf-8")
    for word in words:
        assert word in html, word
    assert ">Methods<" not in html and "does not concentrate" not in html


def test_a_long_listing_is_cut_with_a_pointer_to_the_workbook(
    results, tmp_path, monkeypatch
) -> None:
    from rairtc.report import html as html_module
    from rairtc.report.build import write_report

    monkeypatch.setattr(html_module, "LISTING_LIMIT", 2)
    write_report(results, tmp_path, "en")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count('<div class="patient">') == 2
    assert "Further refractory patients not listed here" in html
    assert f"{len(results['refractory_patients']) - 2}." in html
