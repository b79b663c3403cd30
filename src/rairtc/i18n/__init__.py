"""Texts in the user's language (en, ru, kk), keyed by stable codes, for the command line, the
``explain`` text and the web app.

One shared place: :func:`translate` renders a code with its parameters in a language. English
templates come from :data:`rairtc.core.messages.CATALOGUE` (validation messages) and
:data:`rairtc.i18n.texts.TEXTS` (everything else); Russian and Kazakh come from the gettext
catalogs ``locale/<lang>/LC_MESSAGES/rairtc.po``, read with Babel at run time (no compiled
``.mo`` to keep in step), where each entry's ``msgctxt`` is the code and its ``msgid`` the
English template. A code without a translation falls back to English (a test makes sure no
shipped code does); a code unknown everywhere is a programming error.

The language is chosen by :func:`resolve_language`: an explicit ``--lang``, else
``RAIRTC_LANG``, else the POSIX locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "ru", "kk")
PHRASE = "phrase"
HELP = "help"  # the context of --help texts (collected by the command line)
# Parameters that carry an English phrase of the program, never a value the user typed
# (a ``reason`` is translated only when it is one of the program's own phrases).
PHRASE_PARAMETERS = frozenset({"expected", "scope", "reason", "what"})
# "'F' or 'M'": the list of allowed codes as the record models word it.
_CODES_OR = re.compile(r"(?<=') or (?=')")


def english(code: str) -> str:
    """The English template of a code."""
    from rairtc.core.messages import CATALOGUE, NORMALISATIONS
    from rairtc.i18n.texts import TEXTS

    if code in CATALOGUE:
        return CATALOGUE[code][1]
    if code in NORMALISATIONS:
        return NORMALISATIONS[code]
    return TEXTS[code]


@functools.cache
def catalog(lang: str) -> dict[tuple[str, str], str]:
    """(context, English msgid) -> translation, for ru and kk (empty for English)."""
    if lang == "en":
        return {}
    from importlib.resources import files

    from babel.messages.pofile import read_po

    path = files("rairtc.i18n").joinpath(f"locale/{lang}/LC_MESSAGES/rairtc.po")
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang)
    return {(str(m.context or ""), str(m.id)): str(m.string) for m in po if m.id and m.string}


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"'{lang}' is not a language; allowed: {', '.join(LANGUAGES)}")
    return lang


def phrase(text: str, lang: str) -> str:
    """A short English phrase passed as a parameter, in ``lang`` (itself when untranslated)."""
    return catalog(check_language(lang)).get((PHRASE, text), text)


def help_text(text: str, lang: str) -> str:
    """A ``--help`` text in ``lang`` (itself when untranslated)."""
    return catalog(check_language(lang)).get((HELP, text), text)


def template(code: str, lang: str) -> str:
    source = english(code)
    return catalog(check_language(lang)).get((code, source), source)


def translate(code: str, params: Mapping[str, Any] | None = None, lang: str = "en") -> str:
    """The text of ``code`` in ``lang`` with its parameters filled in; English phrases among
    the parameters (``'a whole number'``) are translated too."""
    values = {
        key: phrase(value, lang) if key in PHRASE_PARAMETERS and isinstance(value, str) else value
        for key, value in (params or {}).items()
    }
    if lang != "en" and isinstance(values.get("allowed"), str):
        values["allowed"] = _CODES_OR.sub(f" {template('list.or', lang)} ", values["allowed"])
    return template(code, lang).format(**values)


def error_text(error: BaseException, lang: str) -> str:
    """An error's message in ``lang``: through the code it carries
    (:class:`rairtc.core.errors.RairtcError`), else its message as it is."""
    code = getattr(error, "code", None)
    if code is None or lang == "en":
        return str(error)
    return translate(code, getattr(error, "params", {}), lang)


def name(prefix: str, value: str | None, lang: str) -> str:
    """A coded value (``status.refractory``, ``reason.no_tg``) in words; a code that has no
    text yet (added to the rules after this catalogue) is shown as the code itself."""
    from rairtc.i18n.texts import TEXTS

    if value is None:
        return ""
    code = f"{prefix}.{value}"
    return translate(code, {}, lang) if code in TEXTS else value


def resolve_language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``--lang``, else ``RAIRTC_LANG``, else the locale's language when it is ru or kk, else
    English. An unknown ``--lang`` is an error; an unknown ``RAIRTC_LANG`` or locale is not (the
    environment is not the user's sentence), and falls through to the next source."""
    if explicit is not None:
        return check_language(explicit)
    env = os.environ if environ is None else environ
    chosen = env.get("RAIRTC_LANG", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            code = value.split(".")[0].split("_")[0].split("-")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"
