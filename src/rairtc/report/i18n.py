"""Languages of the report: gettext catalogs (``locale/<lang>/LC_MESSAGES/rairtc.po``), and
numbers and dates in each locale's own style.

The catalogs are read with Babel at run time (no compiled ``.mo`` files to keep in step).
Numbers are rounded half away from zero on their decimal value and written with the
locale's decimal sign (a comma in Russian and Kazakh) and digit grouping; dates are ISO
8601 in English and DD.MM.YYYY in Russian and Kazakh, as clinical documents are written
there.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from importlib.resources import files
from typing import Any

from babel.messages.pofile import read_po
from babel.numbers import get_decimal_symbol, get_group_symbol

from rairtc.core.rules.evidence import STUDY_NAMES, render

LOCALES = {"en": "en", "ru": "ru_RU", "kk": "kk_KZ"}
_STUDY_NAME_TEXTS = frozenset(str(name) for name in STUDY_NAMES.values())


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """msgid -> msgstr for a language (empty for English, whose msgids are the text)."""
    if lang == "en":
        return {}
    path = files("rairtc.report").joinpath(f"locale/{lang}/LC_MESSAGES/rairtc.po")
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang)
    return {str(m.id): str(m.string) for m in po if m.id and m.string}


def round_half_up(value: float, digits: int) -> Decimal:
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Language:
    code: str

    def gettext(self, text: str) -> str:
        return catalog(self.code).get(text, text)

    def format(self, text: str, **values: Any) -> str:
        return self.gettext(text).format(**values)

    @property
    def decimal_sign(self) -> str:
        return str(get_decimal_symbol(LOCALES[self.code]))

    @property
    def group_sign(self) -> str:
        return str(get_group_symbol(LOCALES[self.code]))

    def number(self, value: float | int, digits: int = 0) -> str:
        """A rounded number in this locale: 1,234.5 (en), 1 234,5 (ru, kk)."""
        text = f"{round_half_up(value, digits):f}"
        sign = "-" if text.startswith("-") else ""
        whole, _, fraction = text.lstrip("-").partition(".")
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        grouped = (
            self.group_sign.join(groups)
            if len(groups) > 1 and len("".join(groups)) > 4
            else "".join(groups)
        )
        return sign + grouped + (self.decimal_sign + fraction if fraction else "")

    def date(self, value: str | date) -> str:
        day = value if isinstance(value, date) else date.fromisoformat(value)
        return day.isoformat() if self.code == "en" else day.strftime("%d.%m.%Y")

    def evidence(self, code: str, params: dict[str, Any]) -> str:
        return render(code, params, self._evidence_text, self.date, self._plain_number)

    def _evidence_text(self, text: str) -> str:
        """A study name lower-cased as it reads inside a sentence ("... 01.12.2023 терапиядан
        кейінгі ОФЭКТ/КТ"); ``render`` capitalises whatever begins the sentence."""
        translated = self.gettext(text)
        if text in _STUDY_NAME_TEXTS and len(translated) > 1 and translated[1].islower():
            return translated[0].lower() + translated[1:]
        return translated

    def _plain_number(self, text: str) -> str:
        return text.replace(".", self.decimal_sign)
