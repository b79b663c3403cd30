"""Every string the pages show exists in Russian and Kazakh, Django's own included; dates are
DD.MM.YYYY in both; the user's choice of language is remembered."""

from __future__ import annotations

import gettext
import html
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from rairtc.web.registry import store
from tests.web.cases import first_course_patient

WEB = Path(__file__).parents[2] / "src" / "rairtc" / "web"
LANGS = ("ru", "kk")

# Strings of Django itself that the pages can show (login, form errors, yes/no selects).
DJANGO_STRINGS = (
    "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive.",
    "This account is inactive.",
    "This field is required.",
    "Enter a valid date.",
    "Enter a number.",
    "Enter a whole number.",
    "Select a valid choice. %(value)s is not one of the available choices.",
    "Unknown",
    "Yes",
    "No",
)


def catalog(lang: str) -> dict[object, object]:
    with (WEB / "locale" / lang / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return {m.id: m for m in read_po(handle, locale=lang) if m.id}


def source_strings() -> set[str]:
    """msgids in the templates ({% translate %}, {% blocktranslate %}) and the Python code."""
    found: set[str] = set()
    for path in (WEB / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found |= {m[1] for m in re.findall(r"{% translate (['\"])(.+?)\1 %}", text)}
        for body in re.findall(
            r"{% blocktranslate[^%]*%}(.*?){% (?:plural|endblocktranslate) %}", text
        ):
            found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", body))
    for path in WEB.rglob("*.py"):
        found |= set(re.findall(r'\b_\(\s*"([^"]+)"', path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_msgid_has_a_translation(lang: str) -> None:
    missing = [
        m.id
        for m in catalog(lang).values()
        if "fuzzy" in m.flags  # type: ignore[attr-defined]
        or not all(m.string if isinstance(m.string, tuple) else [m.string])  # type: ignore[attr-defined]
    ]
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_string_of_the_pages_is_in_the_catalog(lang: str) -> None:
    ids = {m if isinstance(m, str) else m[0] for m in catalog(lang)}
    assert sorted(source_strings() - ids) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_compiled_catalog_matches_the_po_file(lang: str) -> None:
    folder = WEB / "locale" / lang / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, message in catalog(lang).items():
        if isinstance(msgid, str):
            assert compiled.gettext(msgid) == message.string, msgid  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", LANGS)
def test_djangos_own_strings_are_translated(lang: str) -> None:
    with translation.override(lang):
        untranslated = [s for s in DJANGO_STRINGS if translation.gettext(s) == s]
    assert untranslated == []


@pytest.mark.parametrize(
    ("lang", "shown"), [("en", "2024-11-30"), ("ru", "30.11.2024"), ("kk", "30.11.2024")]
)
def test_dates_are_written_as_the_language_writes_them(lang: str, shown: str) -> None:
    from django.utils import formats

    with translation.override(lang):
        assert formats.date_format(date(2024, 11, 30)) == shown


@pytest.fixture
def patient(db: None) -> None:
    store.save("clinician", first_course_patient(), today=date(2025, 1, 1))


def test_the_browser_language_is_used_until_the_user_chooses(
    patient: None, client_as: Callable[..., object]
) -> None:
    client = client_as("clinician")
    page = client.get("/patients/WEB-1/?as_of=2025-01-01", HTTP_ACCEPT_LANGUAGE="kk")  # type: ignore[attr-defined]
    text = page.content.decode()
    assert "Рефрактерлік" in text and "деректер жеткіліксіз" in text and "30.11.2024" in text
    client.post("/language/", {"language": "ru", "next": "/patients/"})  # type: ignore[attr-defined]
    client.cookies.clear()  # type: ignore[attr-defined]
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="clinician"))  # type: ignore[attr-defined]
    page = client.get("/patients/WEB-1/", HTTP_ACCEPT_LANGUAGE="kk")  # type: ignore[attr-defined]
    assert "Рефрактерность" in page.content.decode()


def test_the_login_page_is_translated_for_anonymous_visitors(db: None) -> None:
    from django.test import Client

    text = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Кіру" in text and "Құпиясөз" in text


def test_evidence_sentences_come_from_the_report_catalogs(
    patient: None, client_as: Callable[..., object]
) -> None:
    from rairtc.core.records import Imaging
    from tests.web.cases import NONAVID_SCAN

    record = first_course_patient().model_copy(
        update={"imaging": (Imaging.model_validate(NONAVID_SCAN),)}
    )
    store.save("clinician", record, today=date(2025, 1, 1))
    text = (
        client_as("clinician")
        .get("/patients/WEB-1/?as_of=2025-01-01", HTTP_ACCEPT_LANGUAGE="ru")
        .content.decode()
    )  # type: ignore[attr-defined]
    from rairtc.core.rules.classify import classify
    from rairtc.report.i18n import Language

    nonavid = next(
        c
        for c in classify(record, date(2025, 1, 1)).criteria
        if c.criterion.value == "nonavid_lesion"
    )
    for evidence in nonavid.evidence:
        sentence = Language("ru").evidence(evidence.code, dict(evidence.params))
        assert "04.12.2024" in sentence and sentence in html.unescape(text)
