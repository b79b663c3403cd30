"""The demo's and the replica's description of their synthetic data is said in the report's
language; a generator the user names is shown as given."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from rairtc.report.build import write_report
from rairtc.synth.provenance_texts import DEMO_GENERATOR, DEMO_TARGETS

SAID = {
    "ru": ("встроенный демонстрационный регистр", "доля радиойодрезистентных пациентов (22/229)"),
    "kk": ("кірістірілген демонстрациялық тіркелім", "радиойодқа төзімді пациенттердің үлесі"),
}


def _demo_results(results: dict) -> dict:
    return {
        **results,
        "provenance": {
            "synthetic": True,
            "generator": DEMO_GENERATOR,
            "seed": 11,
            "calibration": {"targets": DEMO_TARGETS},
        },
    }


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_demo_provenance_is_translated_in_every_report(results, tmp_path: Path, lang) -> None:
    write_report(_demo_results(results), tmp_path, lang)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    word = "\n".join(p.text for p in Document(str(tmp_path / "report.docx")).paragraphs)
    generator, targets = SAID[lang]
    for text in (html, word):
        assert generator in text and targets in text
        assert "the embedded demo registry" not in text
        assert "refractory rate (22/229)" not in text


def test_a_generator_the_user_names_is_shown_as_given(results, tmp_path: Path) -> None:
    own = {**_demo_results(results)}
    own["provenance"] = {**own["provenance"], "generator": "our-own-simulator 2.1"}
    write_report(own, tmp_path, "ru")
    assert "our-own-simulator 2.1" in (tmp_path / "report.html").read_text(encoding="utf-8")
