"""report.pdf: headings as text, Cyrillic and Kazakh letters as text, fonts embedded, a page
that renders (poppler's pdftotext, pdffonts and pdftoppm)."""

from __future__ import annotations

import re
import subprocess

import pytest


def pdftotext(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize(
    ("lang", "headings"),
    [
        (
            "en",
            [
                "Summary",
                "Methods",
                "Eligibility flow",
                "Time to refractoriness",
                "Parameters and provenance",
            ],
        ),
        ("ru", ["Резюме", "Методы", "Схема отбора", "Время до развития радиойодрезистентности"]),
        ("kk", ["Түйіндеме", "Әдістер", "Іріктеу сызбасы", "Радиойодқа төзімділік"]),
    ],
)
def test_headings_come_out_as_text(reports, lang, headings) -> None:
    text = pdftotext(reports[lang] / "report.pdf")
    for heading in headings:
        assert heading in text, heading


def test_kazakh_letters_come_out_as_text(reports) -> None:
    text = pdftotext(reports["kk"] / "report.pdf")
    for letter in "қүөәіңғұ":
        assert letter in text, letter


def test_every_font_is_embedded(reports) -> None:
    for lang in ("en", "kk"):
        listing = subprocess.run(
            ["pdffonts", str(reports[lang] / "report.pdf")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[2:]
        assert listing
        assert all(line.split()[-5] == "yes" for line in listing), listing  # the "emb" column


def test_a4_pages_with_numbers(reports) -> None:
    info = subprocess.run(
        ["pdfinfo", str(reports["en"] / "report.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "pts (A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert re.search(rf"\b1 ?/ ?{pages}\b", pdftotext(reports["en"] / "report.pdf"))


def test_the_first_page_renders_to_png(reports, tmp_path) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            str(reports["ru"] / "report.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
