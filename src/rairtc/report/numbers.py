"""Every number a report shows is a :class:`Shown`: the value's path in ``results.json``, the
rounding rule and the text. The HTML carries the path and the rule (``data-path``,
``data-rule``), so a test can check each shown number against ``results.json``.

Rounding rules (stated in the methods): counts as integers; percentages, proportions (as
percentages), estimates and CI bounds to 1 decimal; ages and months to 1 decimal; odds
ratios, test statistics and their intervals to 2 decimals; p-values to 3 decimals, and
"< 0.001" below that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from rairtc.report.i18n import Language

RULES: dict[str, tuple[int, float]] = {
    # rule -> (decimals, scale)
    "count": (0, 1.0),
    "pct": (1, 1.0),  # already a percentage
    "pct_of_proportion": (1, 100.0),
    "one": (1, 1.0),
    "two": (2, 1.0),
    "p": (3, 1.0),
}


def lookup(results: Any, path: str) -> Any:
    """``rair.ci_wilson[0]`` or ``survival.at_months.12.estimate`` inside results.json."""
    value = results
    for part in path.replace("]", "").replace("[", ".").split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def shown_text(value: float | int | None, rule: str, lang: Language) -> str:
    if value is None:
        return "–"
    digits, scale = RULES[rule]
    if rule == "p" and value < 0.001:
        return "< " + lang.number(0.001, 3)
    return lang.number(value * scale, digits)


@dataclass(frozen=True)
class Shown:
    path: str
    rule: str
    text: str

    def __html__(self) -> Markup:
        return Markup('<span class="num" data-path="{}" data-rule="{}">{}</span>').format(
            self.path, self.rule, escape(self.text)
        )

    def __str__(self) -> str:
        return self.text


class Numbers:
    """Makes :class:`Shown` numbers from one results.json in one language."""

    def __init__(self, results: dict[str, Any], lang: Language) -> None:
        self.results, self.lang = results, lang

    def __call__(self, path: str, rule: str = "count") -> Shown:
        return Shown(path, rule, shown_text(lookup(self.results, path), rule, self.lang))
