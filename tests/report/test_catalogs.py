"""The Russian and Kazakh catalogs translate every string a report can show."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from rairtc.core.rules.evidence import TEMPLATES
from rairtc.report.i18n import Language
from rairtc.report.messages import SAME_IN_EVERY_LANGUAGE, all_msgids, catalog_path


def entries(lang: str) -> dict[str, str]:
    with catalog_path(lang).open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_no_msgstr_is_empty_or_left_in_english(lang: str) -> None:
    catalog = entries(lang)
    missing = [m for m in all_msgids() if m not in catalog]
    empty = [m for m, s in catalog.items() if not s.strip()]
    english = [m for m, s in catalog.items() if s == m and m not in SAME_IN_EVERY_LANGUAGE]
    assert (missing, empty, english) == ([], [], [])


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_translations_keep_every_placeholder(lang: str) -> None:
    for msgid, msgstr in entries(lang).items():
        assert set(re.findall(r"\{(\w+)\}", msgid)) == set(re.findall(r"\{(\w+)\}", msgstr)), msgid


SAMPLE_PARAMS = {
    "study": "post_therapy_spect_ct",
    "date": "2023-03-16",
    "site": "cervical_lymph_node",
    "side": "left",
    "kind": "regional_metastasis",
    "days": 99,
    "direction": "after",
    "course_date": "2023-03-13",
    "nonavid": 2,
    "course": 3,
    "earlier_study": "post_therapy_wbs",
    "earlier_date": "2021-12-23",
    "earlier_course": 2,
    "months": 12,
    "reader_progression": True,
    "new_lesions": [{"site": "bone", "side": None, "kind": "distant_metastasis"}],
    "cumulative_mci": "600",
    "cumulative_gbq": "22.2",
    "cumulative_mbq": "22200",
    "threshold_mci": "600",
    "max_days": 14,
}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_evidence_sentence_renders_in_every_language(lang: str, code: str) -> None:
    params = dict(SAMPLE_PARAMS)
    if code == "evidence.site_not_avid":
        params.pop("kind")
    text = Language(lang).evidence(code, params)
    assert "{" not in text and text[0].isupper()
    if lang != "en":
        assert "concentrate" not in text and "course" not in text


def test_numbers_and_dates_follow_the_locale() -> None:
    assert Language("en").number(22200.5, 1) == "22,200.5"
    assert Language("ru").number(22200.5, 1) == "22\xa0200,5"
    assert Language("kk").number(9.6069, 1) == "9,6"
    assert Language("ru").number(0.05, 1) == "0,1"  # half away from zero
    assert Language("ru").date("2021-12-23") == "23.12.2021"
    assert Language("en").date("2021-12-23") == "2021-12-23"
