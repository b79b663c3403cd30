"""The Russian and Kazakh report catalogs keep to docs/glossary.md: no rejected variant, the
key terms translated one way throughout, no-break spaces before per cent signs and no word
that mixes Latin and Cyrillic letters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from rairtc.report.messages import catalog_path

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"

# (what the English msgid says, what every Russian text of it says, what every Kazakh one says)
KEY_TERMS = [
    (r"Kaplan-Meier", r"Каплана — Мейера", r"Каплан — Мейер"),
    (r"Clopper-Pearson", r"Клоппер\w* — Пирсон", r"Клоппер — Пирсон"),
    (r"Fisher-Freeman-Halton", r"Фишера — Фримена — Холтона", r"Фишер — Фримен — Холтон"),
    (r"Mann-Whitney", r"Манна — Уитни", r"Манн — Уитни"),
    (r"Wilson", r"Уилсон", r"Уилсон"),
    (r"left truncation", r"левосторонн\w+ усечени", r"сол жақты қию"),
    (r"delayed entry", r"отсроченн\w+ включени", r"кешіктірілген енгізу"),
    (r"prevalent", r"превалентн|радиойодрезистентны уже", r"превалентті|төзімді болғандар"),
    (r"\beligible\b|[Ee]ligibility,", r"критери\w+ включения", r"енгізу критерийлер"),
    (r"\bevaluable\b", r"поддающ\w+ оценке", r"бағалауға болатын"),
    (r"soft criterion", r"вспомогательный критерий", r"қосалқы критерий"),
    (r"^Evidence$", r"^Обоснование$", r"^Негіздеме$"),
    (r"^Status$", r"^Статус$", r"^Күйі$"),
    (r"penalised", r"пенализованн", r"пенализацияланған"),
    (r"p-value", r"значени\w* p\b", r"p мән"),
    (r"[Oo]dds ratio", r"[Оо]тношени\w+ шансов", r"[Мм]үмкіндіктер қатынас"),
    (r"withdrawal TSH", r"ТТГ на фоне отмены левотироксина", r"левотироксинді тоқтатқаннан"),
    (r"rhTSH", r"рчТТГ", r"рчТТГ"),
    (r"\bCI\b", r"\bДИ\b", r"\bСА\b"),
    (r"index admission", r"индексн\w+ госпитализаци", r"индекстік емдеуге жатқызу"),
    (r"sampling frame|of the frame", r"основ\w+ выборки", r"іріктеу негіз"),
    (r"pseudonym", r"псевдоним", r"бүркеншік ат"),
    (r"[Rr]efractor", r"радиойодрезистент", r"төзімді"),
]


def catalog(lang: str) -> dict[str, str]:
    with catalog_path(lang).open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def rejected_variants() -> list[tuple[str, str]]:
    """(language, rejected text) from the glossary's 'Rejected variants' table."""
    section = GLOSSARY.read_text(encoding="utf-8").split("## Rejected variants", 1)[1]
    section = section.split("\n## ", 1)[0]
    out = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in ("ru", "kk"):
            out.append((cells[0], cells[1]))
    return out


def test_the_glossary_lists_rejected_variants_for_both_languages() -> None:
    languages = [lang for lang, _ in rejected_variants()]
    assert languages.count("ru") >= 20 and languages.count("kk") >= 20


@pytest.mark.parametrize(("lang", "rejected"), rejected_variants())
def test_no_catalog_text_uses_a_rejected_variant(lang: str, rejected: str) -> None:
    used = [s for s in catalog(lang).values() if rejected.casefold() in s.casefold()]
    assert used == []


@pytest.mark.parametrize(("english", "russian", "kazakh"), KEY_TERMS)
def test_a_key_term_is_translated_the_same_way_everywhere(
    english: str, russian: str, kazakh: str
) -> None:
    for lang, pattern in (("ru", russian), ("kk", kazakh)):
        entries = catalog(lang)
        sources = [m for m in entries if re.search(english, m)]
        assert sources, english
        off = [
            (m, s)
            for m, s in entries.items()
            if m in sources and not re.search(pattern, s.replace("\u00a0", " "), re.IGNORECASE)
        ]
        assert off == [], lang


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_per_cent_signs_follow_a_no_break_space(lang: str) -> None:
    loose = [s for s in catalog(lang).values() if re.search(r"(\d|\}) %", s)]
    assert loose == []


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_no_word_mixes_latin_and_cyrillic_letters(lang: str) -> None:
    mixed = [
        word
        for text in catalog(lang).values()
        for word in re.findall(r"[^\W\d_]+", text)
        if re.search(r"[A-Za-z]", word) and re.search(r"[\u0400-\u04ff]", word)
    ]
    assert mixed == []


def test_the_kazakh_title_qualifies_the_cancer() -> None:
    title = catalog("kk")["Radioiodine refractoriness in differentiated thyroid cancer"]
    assert title == "Қалқанша безінің сараланған обырындағы радиойодқа төзімділік"


def test_a_study_name_inside_a_kazakh_sentence_is_lower_case() -> None:
    from rairtc.report.i18n import Language

    scan = {
        "study": "post_therapy_spect_ct",
        "date": "2023-12-01",
        "site": "cervical_lymph_node",
        "side": "right",
        "kind": "regional_metastasis",
        "course_date": "2023-11-28",
    }
    inside = Language("kk").evidence("evidence.avid_disease_after_course", scan)
    assert inside.startswith("I-131 28.11.2023 курсынан кейінгі 01.12.2023 терапиядан кейінгі")
    first = Language("kk").evidence(
        "evidence.avid_finding", {k: scan[k] for k in scan if k != "course_date"}
    )
    assert first.startswith("Терапиядан кейінгі ОФЭКТ/КТ, 01.12.2023:")
    russian = Language("ru").evidence("evidence.avid_disease_after_course", scan)
    assert russian.startswith("Посттерапевтическая ОФЭКТ/КТ от 01.12.2023 после курса I-131")
