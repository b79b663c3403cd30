"""Every string a report can show, collected for the gettext catalogs.

Sources: the Jinja template (``_()`` calls), the report's Python (``t()``, ``g()``,
``lang.gettext()``, ``lang.format()`` calls) and the name tables (criteria, statuses, sites,
evidence templates...). ``python -m rairtc.report.messages`` merges them into the Russian and
Kazakh ``.po`` files, keeping existing translations; a test fails on any msgid that is missing,
empty or left in English (outside :data:`SAME_IN_EVERY_LANGUAGE`).
"""

from __future__ import annotations

import io
from importlib.resources import files
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po, write_po
from jinja2.ext import babel_extract

from rairtc.core.rules import evidence
from rairtc.report import excel, figures, html, sections
from rairtc.synth.provenance_texts import PROVENANCE_TEXTS

KEYWORDS = {"_": None, "t": None, "g": None, "gettext": None, "format": None}
PYTHON_SOURCES = ("methods.py", "figures.py", "html.py", "excel.py", "sections.py", "word.py")
TEMPLATES = ("templates/report.html.j2",)

# msgids whose translation is rightly the same text (Kazakh keeps the English word order here).
SAME_IN_EVERY_LANGUAGE = frozenset({"{side} {site}"})


def _tables() -> list[str]:
    out: list[str] = []
    for table in (
        evidence.STUDY_NAMES,
        evidence.SITE_NAMES,
        evidence.PLACE_NAMES,
        evidence.KIND_NAMES,
        evidence.SIDE_NAMES,
        evidence.TEMPLATES,
        figures.CRITERION_NAMES,
        figures.STATUS_NAMES,
        figures.EXCLUSION_NAMES,
        html.VARIABLE_NAMES,
        html.LEVEL_NAMES,
        html.TEST_NAMES,
        html.METHOD_NAMES,
        html.FLAG_NAMES,
        sections.GROUP_NAMES,
        sections.PRESET_NAMES,
        sections.TEST_FOOTNOTE,
        sections.ANALYSIS_NAMES,
        sections.RATE_NAMES,
        excel.SHEET_NAMES,
    ):
        out += [str(v) for v in table.values()]
    out += [
        evidence.LESION_WITH_SIDE,
        evidence.LESION_WITHOUT_SIDE,
        evidence.PLACE_WITH_SIDE,
        evidence.READER_PROGRESSION,
        evidence.NEW_LESION,
        "after",
        "before",
        "an expected count is below 5",
        "fewer than two levels or an empty group",
        "a group has fewer than two patients",
        "no variation within either group",
        "per year",
        "per 100 mCi",
        "results",
        "abstract and conclusion",
        *PROVENANCE_TEXTS,
    ]
    return out


def all_msgids() -> list[str]:
    """Every msgid, in a stable order, without duplicates."""
    found: list[str] = []
    root = files("rairtc.report")
    for name in TEMPLATES:
        source = root.joinpath(name).read_bytes()
        for _, _, text, _ in babel_extract(io.BytesIO(source), list(KEYWORDS), [], {}):
            if isinstance(text, str):
                found.append(text)
    for name in PYTHON_SOURCES:
        source = root.joinpath(name).read_bytes()
        for _, _, message, _ in extract_python(io.BytesIO(source), KEYWORDS, [], {}):
            first = message[0] if isinstance(message, tuple) else message
            if isinstance(first, str) and first:
                found.append(first)
    found += _tables()
    return list(dict.fromkeys(found))


def catalog_path(lang: str) -> Path:
    return Path(str(files("rairtc.report").joinpath(f"locale/{lang}/LC_MESSAGES/rairtc.po")))


def update_catalog(lang: str) -> int:
    """Merge the current msgids into a language's .po file; returns how many are untranslated."""
    path = catalog_path(lang)
    existing: dict[str, str] = {}
    if path.exists():
        with path.open("rb") as handle:
            existing = {str(m.id): str(m.string) for m in read_po(handle) if m.id}
    catalog = Catalog(locale=lang, project="rairtc", fuzzy=False)
    for msgid in all_msgids():
        catalog.add(msgid, existing.get(msgid, ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=False)
    return sum(1 for msgid in all_msgids() if not existing.get(msgid))


if __name__ == "__main__":
    for code in ("ru", "kk"):
        print(f"{code}: {update_catalog(code)} untranslated")
