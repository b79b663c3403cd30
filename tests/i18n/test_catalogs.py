"""The Russian and Kazakh catalogs translate every code of the command line, the validation
catalogue and the explanation, with the same parameters as the English template."""

from __future__ import annotations

import string

import pytest

from rairtc.core.messages import CATALOGUE, NORMALISATIONS, Problem
from rairtc.i18n import LANGUAGES, catalog, resolve_language, translate
from rairtc.i18n.catalogs import all_messages, read_translations
from rairtc.i18n.problems import problem_line
from rairtc.i18n.texts import TEXTS

# Words that are rightly the same in English and in the translation (codes, units, acronyms).
SAME_AS_ENGLISH = frozenset(
    {
        "{study}",
        "{test} {value} {unit}",
        "{size} mm",
        "T: TX, T0, T1a, T1b, T2, T3a, T3b, T4a, T4b.",  # code lists (help of rairtc stage)
        "N: NX, N0, N0a, N0b, N1a, N1b.",
    }
)


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_validation_code_and_text_has_a_translation(lang: str) -> None:
    translations = read_translations(lang)
    missing = [ctx for ctx, msgid in all_messages() if not translations.get((ctx, msgid))]
    assert missing == []


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_catalogue_covers_every_code_of_core_messages(lang: str) -> None:
    # Iterates the core catalogue, so a code added there fails here until it is translated.
    translations = read_translations(lang)
    for code, (_, english) in CATALOGUE.items():
        assert translations.get((code, english)), code


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_translations_keep_the_parameters_and_are_not_left_in_english(lang: str) -> None:
    for (context, msgid), text in read_translations(lang).items():
        assert fields(text) == fields(msgid), (context, text)
        if msgid not in SAME_AS_ENGLISH and not text.startswith("{"):
            assert text != msgid, (context, text)


def test_a_code_renders_in_each_language_with_its_parameters() -> None:
    params = {"value": "2021-13-01"}
    assert translate("validation.date_invalid", params, "en") == (
        "'2021-13-01' is not a calendar date; enter a real date as YYYY-MM-DD"
    )
    assert "календарной датой" in translate("validation.date_invalid", params, "ru")
    assert "күнтізбелік күн емес" in translate("validation.date_invalid", params, "kk")


def test_a_problem_line_keeps_its_code_patient_and_record_in_russian() -> None:
    problem = Problem(
        "validation.field_type",
        "P-007",
        "rai_courses.csv line 4",
        "activity_mci",
        {"value": "сто", "expected": "a number"},
    )
    line = problem_line(problem, "ru")
    assert line == (
        "ошибка: validation.field_type: пациент P-007, rai_courses.csv line 4, поле "
        "activity_mci: 'сто' не является значением вида «число»; введите число"
    )
    assert problem_line(problem, "en") == problem.line()


def test_the_medical_register_of_the_seed_is_used() -> None:
    assert translate("cli.classify_title", {"date": "31.12.2024"}, "ru").startswith(
        "Радиойодрезистентность"
    )
    assert "радиойодқа төзімділік" in translate("cli.classify_title", {"date": "x"}, "kk")
    assert translate("recommendation.fdg_pet_ct", {}, "ru") == "ПЭТ-КТ с ФДГ"


@pytest.mark.parametrize(
    ("explicit", "environ", "expected"),
    [
        ("kk", {"RAIRTC_LANG": "ru"}, "kk"),  # --lang wins
        (None, {"RAIRTC_LANG": "ru", "LANG": "kk_KZ.UTF-8"}, "ru"),  # then RAIRTC_LANG
        (None, {"LANG": "kk_KZ.UTF-8"}, "kk"),  # then the locale
        (None, {"LC_ALL": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}, "ru"),  # LC_ALL before LANG
        (None, {"LANG": "de_DE.UTF-8"}, "en"),  # a locale we do not speak: English
        (None, {"RAIRTC_LANG": "fr", "LANG": "C.UTF-8"}, "en"),  # unknown RAIRTC_LANG ignored
        (None, {}, "en"),
    ],
)
def test_the_language_comes_from_the_option_then_the_environment_then_the_locale(
    explicit: str | None, environ: dict[str, str], expected: str
) -> None:
    assert resolve_language(explicit, environ) == expected


def test_an_unknown_explicit_language_is_refused() -> None:
    with pytest.raises(ValueError, match="allowed: en, ru, kk"):
        resolve_language("de", {})


def test_every_text_code_is_in_the_catalogs_once() -> None:
    # The normalisation lines of validate's summary (core/messages.NORMALISATIONS) are codes too.
    contexts = [ctx for ctx, _ in all_messages() if ctx != "phrase"]
    assert len(contexts) == len(set(contexts)) == len(CATALOGUE) + len(NORMALISATIONS) + len(TEXTS)
    assert set(LANGUAGES) == {"en", "ru", "kk"}
    assert catalog("en") == {}


def test_every_reason_and_flag_of_the_rules_has_words() -> None:
    # Iterates the rule catalogue, so a reason or flag added to the rules fails here until
    # rairtc/i18n/texts.py (and the catalogs) name it; explain would otherwise show the code.
    from rairtc.core.rules.catalogue import CRITERION_MODULES, OTHER_CODES

    reasons = {r for m in CRITERION_MODULES for r in m.REASONS}
    flags = {f for m in CRITERION_MODULES for f in m.FLAGS}
    for heading, codes in OTHER_CODES.items():
        if heading.startswith("Status"):
            continue
        for code, meaning in codes.items():
            (flags if meaning.startswith("flag:") else reasons).add(code)
    assert sorted(r for r in reasons if f"reason.{r}" not in TEXTS) == []
    assert sorted(f for f in flags if f"flag.{f}" not in TEXTS) == []
    statuses = OTHER_CODES["Status (rules.md §4)"]
    assert sorted(s for s in statuses if f"status.{s}" not in TEXTS) == []
