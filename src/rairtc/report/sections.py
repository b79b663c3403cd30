"""The issue 13 tables of the report as rows of cells, shared by the HTML, Word and Excel
writers: Table 1 by group, the rates (all analysed and evaluable), the preset sensitivity
and the two time-to-event analyses. A cell is text or a :class:`~rairtc.report.numbers.Shown`
number that keeps its results.json path, so every writer's numbers can be traced back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from rairtc.report.figures import CRITERIA, CRITERION_NAMES
from rairtc.report.i18n import Language
from rairtc.report.numbers import Numbers, Shown
from rairtc.report.pseudonyms import display_id


@dataclass(frozen=True)
class Joined:
    """Several shown numbers and text in one cell: ``12 (5.2)``, ``49.0 [38.0–60.0]``."""

    items: tuple[str | Shown, ...]

    def parts(self) -> list[str | Shown]:
        return list(self.items)

    def __str__(self) -> str:
        return "".join(str(p) for p in self.items)

    def __html__(self) -> Markup:
        return Markup("").join(
            p.__html__() if isinstance(p, Shown) else escape(p) for p in self.items
        )


Cell = str | Shown | Joined | None


def paren(a: Shown, b: Shown) -> Joined:
    return Joined((a, " (", b, ")"))


def span(low: Shown, high: Shown) -> Joined:
    return Joined((low, "–", high))


def iqr(median: Shown, low: Shown, high: Shown) -> Joined:
    return Joined((median, " [", low, "–", high, "]"))


BY_GROUP_COLUMNS = ("overall", "refractory", "not_refractory")
GROUP_NAMES = {
    "overall": "Overall",
    "refractory": "Radioiodine-refractory",
    "not_refractory": "No signs of radioiodine refractoriness",
}
PRESET_NAMES = {
    "study": "Study rules (progression within 0-16 months)",
    "literal_12_16": "Progression within 12-16 months (the seed's wording)",
    "ata_never_avid": "ATA 2015 'never avid' (thyroid-bed uptake ignored)",
    "count_unconfirmed_as_met": "Unconfirmed criteria counted as met",
}
TEST_MARKS = ("ᵃ", "ᵇ", "ᶜ", "ᵈ", "ᵉ")
ANALYSIS_NAMES = {
    "survival_delayed_entry": "Primary: delayed entry at the index admission",
    "survival": "Secondary: from the first I-131 course",
}
RATE_NAMES = {
    "rair": "All analysed patients (the seed's definition)",
    "rair_evaluable": "Evaluable patients (insufficient data left out)",
}
TEST_FOOTNOTE = {
    "chi_square": "Pearson's chi-square test without continuity correction",
    "fisher_exact": "Fisher's exact test",
    "fisher_freeman_halton": "Fisher-Freeman-Halton exact test",
    "mann_whitney_u": "Mann-Whitney U test",
}


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    wide: bool = False  # many columns: a smaller type on the page


def _join(*parts: Cell) -> list[Cell]:
    return [p for p in parts if p is not None]


def table1_by_group(results: dict[str, Any], lang: Language, n: Numbers) -> Table:
    """Table 1 by group: categorical n (%), continuous mean (SD) and median [Q1–Q3]."""
    from rairtc.report.html import VARIABLE_NAMES, level_label

    g = lang.gettext
    rows = results.get("table1_by_group") or []
    header = [g("Characteristic")]
    for column in BY_GROUP_COLUMNS:
        header.append(g(GROUP_NAMES[column]))
    header.append(g("p-value"))
    table = Table(header)
    marks: dict[str, str] = {}
    tests_used: list[str] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        variable = row["variable"]
        base = f"table1_by_group[{i}]"
        if variable not in seen:
            seen.add(variable)
            test = row.get("test")
            if test and test not in tests_used:
                tests_used.append(test)
            mark = TEST_MARKS[tests_used.index(test)] if test else ""
            marks[variable] = mark
            name = g(VARIABLE_NAMES[variable]) + ("†" if row.get("by_definition") else "")
            p = n(f"{base}.p_value", "p") if row.get("p_value") is not None else None
            table.rows.append([name, None, None, None, Joined((p, mark)) if p else "–"])
        level = row["level"]
        if "value" in row["overall"]:
            if level not in ("mean", "median"):
                continue
            second, third = ("sd", None) if level == "mean" else ("q1", "q3")
            j = i + 1
            cells: list[Cell] = [
                "    " + (g("Mean (SD)") if level == "mean" else g("Median [IQR]"))
            ]
            for column in BY_GROUP_COLUMNS:
                first = n(f"{base}.{column}.value", "one")
                second_value = n(f"table1_by_group[{j}].{column}.value", "one")
                cells.append(
                    iqr(first, second_value, n(f"table1_by_group[{j + 1}].{column}.value", "one"))
                    if third
                    else paren(first, second_value)
                )
            cells.append(None)
            table.rows.append(cells)
            continue
        cells = ["    " + level_label(variable, level, lang)]
        for column in BY_GROUP_COLUMNS:
            cells.append(paren(n(f"{base}.{column}.n"), n(f"{base}.{column}.percent", "pct")))
        cells.append(None)
        table.rows.append(cells)
    counts = {c: _group_size(results, c) for c in BY_GROUP_COLUMNS}
    table.header = (
        [header[0]]
        + [
            f"{header[k + 1]} (n = {lang.number(counts[c])})"
            for k, c in enumerate(BY_GROUP_COLUMNS)
        ]
        + [header[-1]]
    )
    table.notes = [
        g(
            "Counts are n (%) of the column's patients; ages and activities mean (SD) or median "
            "[lower–upper quartile]."
        ),
        *[TEST_MARKS[k] + " " + g(TEST_FOOTNOTE[t]) for k, t in enumerate(tests_used)],
        "† "
        + g(
            "Part of a refractoriness criterion's definition: its association with the "
            "outcome is partly by construction. Cumulative activity is taken at the index "
            "course."
        ),
    ]
    other = counts["overall"] - counts["refractory"] - counts["not_refractory"]
    if other:
        table.notes.append(
            lang.format(
                "{n} possibly refractory patients or patients with insufficient data are in "
                "the overall column only.",
                n=lang.number(other),
            )
        )
    return table


def _group_size(results: dict[str, Any], column: str) -> int:
    if column == "overall":
        return int(results["flow"]["analysed"])
    return int(results["status"].get(column, 0))


def rates(results: dict[str, Any], lang: Language, n: Numbers) -> Table:
    g = lang.gettext
    table = Table(
        [
            g("Denominator"),
            g("Refractory"),
            g("Patients"),
            "%",
            g("95 % CI, Wilson"),
            g("95 % CI, Clopper-Pearson"),
        ]
    )
    for key, name in RATE_NAMES.items():
        rate = results.get(key)
        if not rate or rate.get("proportion") is None:
            continue
        table.rows.append(
            [
                g(name),
                n(f"{key}.n_refractory"),
                n(f"{key}.n_analysed"),
                n(f"{key}.proportion", "pct_of_proportion"),
                span(
                    n(f"{key}.ci_wilson[0]", "pct_of_proportion"),
                    n(f"{key}.ci_wilson[1]", "pct_of_proportion"),
                ),
                span(
                    n(f"{key}.ci_exact[0]", "pct_of_proportion"),
                    n(f"{key}.ci_exact[1]", "pct_of_proportion"),
                ),
            ]
        )
    return table


def sensitivity(results: dict[str, Any], lang: Language, n: Numbers) -> Table:
    g = lang.gettext
    header = [g("Rule preset"), g("Refractory"), "%", g("95 % CI, Wilson")]
    header += [g(CRITERION_NAMES[c]) for c in CRITERIA]
    header.append(g("Status changed (pseudonyms)"))
    table = Table(header, wide=True)
    for i, entry in enumerate(results.get("sensitivity") or []):
        base = f"sensitivity[{i}]"
        changed = [display_id(results, pid) for pid in entry["changed"]]
        table.rows.append(
            [
                g(PRESET_NAMES.get(entry["preset"], entry["preset"])),
                Joined((n(f"{base}.n_refractory"), " / ", n(f"{base}.n_analysed"))),
                n(f"{base}.proportion", "pct_of_proportion"),
                span(
                    n(f"{base}.ci_wilson[0]", "pct_of_proportion"),
                    n(f"{base}.ci_wilson[1]", "pct_of_proportion"),
                )
                if entry.get("ci_wilson")
                else "–",
                *[n(f"{base}.primary.{c}") for c in CRITERIA],
                ", ".join(changed) if changed else "–",
            ]
        )
    table.notes = [
        g(
            "Every analysed patient classified again under each preset; the main analysis uses "
            "the parameters listed at the end of the report. Changed: patients whose status "
            "differs from the main analysis."
        )
    ]
    return table


def survival(results: dict[str, Any], lang: Language, n: Numbers) -> Table:
    g = lang.gettext
    table = Table(
        [g("Analysis"), g("Months"), g("Free of refractoriness, %"), g("95 % CI"), g("At risk")]
    )
    for key, name in ANALYSIS_NAMES.items():
        block = results.get(key)
        if not block:
            continue
        for month, point in block.get("at_months", {}).items():
            base = f"{key}.at_months.{month}"
            table.rows.append(
                [
                    g(name),
                    month,
                    n(f"{base}.estimate", "pct_of_proportion"),
                    span(
                        n(f"{base}.ci[0]", "pct_of_proportion"),
                        n(f"{base}.ci[1]", "pct_of_proportion"),
                    )
                    if point.get("ci") and None not in point["ci"]
                    else "–",
                    n(f"{base}.at_risk"),
                ]
            )
    return table


def survival_summary(results: dict[str, Any], lang: Language, n: Numbers) -> list[list[Cell]]:
    """Per analysis: patients, events, prevalent cases and the median time."""
    g = lang.gettext
    out: list[list[Cell]] = []
    for key, name in ANALYSIS_NAMES.items():
        block = results.get(key)
        if not block:
            continue
        out.append(
            [
                g(name),
                n(f"{key}.n"),
                n(f"{key}.events"),
                n(f"{key}.prevalent_at_entry") if "prevalent_at_entry" in block else "–",
                n(f"{key}.median_months", "one"),
            ]
        )
    return out


def cell_parts(cell: Cell) -> Sequence[str | Shown]:
    """A cell as text and shown numbers, in order."""
    if cell is None:
        return []
    if isinstance(cell, (str, Shown)):
        return [cell]
    return cell.parts()
