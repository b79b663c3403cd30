"""The Russian and Kazakh catalogs of :mod:`rairtc.i18n`: every (code, English template) pair
they must translate, and the merge that keeps them in step.

``python -m rairtc.i18n.catalogs`` adds new codes (and codes whose English changed) to both
``.po`` files with an empty translation, keeps every existing translation, and prints how many
are left to translate; a test fails while any is empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from rairtc.core.messages import CATALOGUE, NORMALISATIONS
from rairtc.i18n import HELP, PHRASE
from rairtc.i18n.texts import PHRASES, TEXTS


def all_messages() -> list[tuple[str, str]]:
    """(context, msgid) for every code and phrase, in a stable order."""
    pairs = [(code, template) for code, (_, template) in CATALOGUE.items()]
    pairs += list(NORMALISATIONS.items())
    pairs += list(TEXTS.items())
    pairs += [(PHRASE, text) for text in PHRASES]
    return pairs


def catalog_path(lang: str) -> Path:
    return Path(str(files("rairtc.i18n").joinpath(f"locale/{lang}/LC_MESSAGES/rairtc.po")))


def read_translations(lang: str) -> dict[tuple[str, str], str]:
    path = catalog_path(lang)
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return {(str(m.context or ""), str(m.id)): str(m.string) for m in read_po(handle) if m.id}


def update_catalog(lang: str, help_texts: Sequence[str] | None = None) -> int:
    """Merge the current messages into a language's .po file; returns how many are untranslated.

    The ``--help`` texts (context ``help``) belong to the command line, which passes them as
    ``help_texts`` (``python -m rairtc.cli.help_language``); without them the help entries
    already in the file are kept as they are."""
    existing = read_translations(lang)
    if help_texts is None:
        helps = [(c, m) for c, m in existing if c == HELP]
    else:
        helps = [(HELP, text) for text in dict.fromkeys(help_texts)]
    wanted = [*all_messages(), *helps]
    catalog = Catalog(locale=lang, project="rairtc", fuzzy=False)
    for context, msgid in wanted:
        catalog.add(msgid, existing.get((context, msgid), ""), context=context)
    path = catalog_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=False)
    return sum(1 for pair in wanted if not existing.get(pair))


if __name__ == "__main__":
    for code in ("ru", "kk"):
        print(f"{code}: {update_catalog(code)} untranslated")
