"""``tables.xlsx``: one sheet per table of the report, numbers as numbers at full precision
shown with number formats (percentages to 1 decimal, p-values to 3, odds ratios to 2), column
widths fitted to the text, frozen header rows, dates as real dates shown in the report's style
(``DD.MM.YYYY`` in Russian and Kazakh), codes (statuses, criteria, stages, sexes, histologies,
tests, methods, flags, yes/no) and sheet names in the report's language, and a sheet with the
methods text; patients by the same pseudonyms as the other outputs.

Sheet names: the English workbook keeps the code names (``table1``, ``status``...) that
scripts address; a Russian or Kazakh workbook names its sheets in its language, made valid
for Excel by :func:`sheet_title` (at most 31 characters, none of ``[]:*?/\\``, unique)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from rairtc.report.figures import CRITERIA, CRITERION_NAMES, STATUS_NAMES, exclusion_name
from rairtc.report.html import (
    FLAG_NAMES,
    METHOD_NAMES,
    TEST_NAMES,
    VARIABLE_NAMES,
    level_label,
    parameter_text,
)
from rairtc.report.i18n import Language
from rairtc.report.methods import methods
from rairtc.report.numbers import Numbers
from rairtc.report.pseudonyms import display_id
from rairtc.report.sections import ANALYSIS_NAMES, BY_GROUP_COLUMNS, GROUP_NAMES, PRESET_NAMES

# Number formats by column header (the English msgid before translation).
PERCENT_FORMAT, P_FORMAT, TWO_FORMAT, ONE_FORMAT = "0.0", "0.000", "0.00", "0.0"

# Sheet code -> its name in a translated workbook (a msgid of the report catalog).
SHEET_NAMES = {
    "flow": "Eligibility flow",
    "table1": "Table 1",
    "refractory_rate": "Refractory rate",
    "status": "Status",
    "criteria": "Criteria",
    "comparisons": "Comparisons",
    "survival": "Time to event",
    "refractory_patients": "Refractory patients",
    "parameters": "Parameters",
    "methods": "Methods",
}
SHEET_NAME_LIMIT = 31
FORBIDDEN_IN_SHEET_NAMES = "[]:*?/\\"


def _plain(markup: Markup) -> str:
    return Markup(markup).striptags()


def sheet_title(text: str, taken: set[str]) -> str:
    """``text`` as a valid sheet name: forbidden characters replaced, at most 31 characters,
    not equal (case-insensitively, as Excel compares) to a name in ``taken``."""
    name = "".join("-" if ch in FORBIDDEN_IN_SHEET_NAMES else ch for ch in text).strip("' ")
    name = name[:SHEET_NAME_LIMIT].rstrip() or "sheet"
    base, number = name, 2
    while name.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)].rstrip() + suffix
        number += 1
    return name


def sheet_names(lang: Language) -> dict[str, str]:
    """Sheet code -> the sheet's name in this language's workbook."""
    names: dict[str, str] = {}
    for code, title in SHEET_NAMES.items():
        text = code if lang.code == "en" else lang.gettext(title)
        names[code] = sheet_title(text, set(names.values()))
    return names


def sheets(results: dict[str, Any], lang: Language) -> dict[str, list[list[Any]]]:
    """Rows of every sheet, keyed by the sheet's code (see :data:`SHEET_NAMES`)."""
    g = lang.gettext
    flow = results["flow"]
    out: dict[str, list[list[Any]]] = {}
    out["flow"] = [[g("Step"), g("Patients")], [g("Records in the registry"), flow["records"]]]
    out["flow"] += [[exclusion_name(k, lang), v] for k, v in flow["excluded"].items()]
    out["flow"] += [
        [g("Eligible (the sampling frame)"), flow["eligible"]],
        [g("Sample size"), flow["sample_size"]],
        [g("Analysed"), flow["analysed"]],
    ]
    if flow.get("not_sampled") is not None:
        out["flow"].insert(-1, [g("Not sampled"), flow["not_sampled"]])
    out["flow"] += [[g(STATUS_NAMES[k]), v] for k, v in results["status"].items()]
    header = [g("Variable"), g("Level"), "n", "%", g("Value")]
    for column in BY_GROUP_COLUMNS:
        name = g(GROUP_NAMES[column])
        header += [f"{name}: n", f"{name}: %", f"{name}: {g('Value')}"]
    header += ["p", g("Test")]
    out["table1"] = [header]
    by_group = {(r["variable"], r["level"]): r for r in results.get("table1_by_group", [])}
    for row in results["table1"]:
        grouped = by_group.get((row["variable"], row["level"]))
        cells = [
            g(VARIABLE_NAMES[row["variable"]]),
            level_label(row["variable"], row["level"], lang),
            row.get("n"),
            row.get("percent"),
            row.get("value"),
        ]
        for column in BY_GROUP_COLUMNS:
            cell = grouped[column] if grouped else {}
            cells += [cell.get("n"), cell.get("percent"), cell.get("value")]
        cells += [
            grouped.get("p_value") if grouped else None,
            g(TEST_NAMES[grouped["test"]]) if grouped and grouped.get("test") else None,
        ]
        out["table1"].append(cells)
    rate = results["rair"]
    out["refractory_rate"] = [
        [g("Estimate"), g("Value"), g("Lower"), g("Upper")],
        [g("Refractory"), rate["n_refractory"], None, None],
        [g("Analysed"), rate["n_analysed"], None, None],
        [g("Proportion"), rate["proportion"], None, None],
    ]
    for key, name in (
        ("ci_wilson", "Wilson"),
        ("ci_exact", "Clopper-Pearson"),
        ("ci_fpc", "Wilson, finite population correction"),
    ):
        if rate.get(key):
            out["refractory_rate"].append([g(name), None, *rate[key]])
    evaluable = results.get("rair_evaluable") or {}
    if evaluable.get("proportion") is not None:
        out["refractory_rate"] += [
            [
                g("Evaluable patients (insufficient data left out)"),
                evaluable["n_analysed"],
                None,
                None,
            ],
            [g("Proportion among evaluable patients"), evaluable["proportion"], None, None],
            [g("Wilson"), None, *evaluable["ci_wilson"]],
            [g("Clopper-Pearson"), None, *evaluable["ci_exact"]],
        ]
    if results.get("sensitivity"):
        out["refractory_rate"] += [
            [],
            [
                g("Rule preset"),
                g("Refractory"),
                g("Lower"),
                g("Upper"),
                g("Proportion"),
                *[g(CRITERION_NAMES[c]) for c in CRITERIA],
                g("Status changed (pseudonyms)"),
            ],
        ]
        for entry in results["sensitivity"]:
            ci = entry.get("ci_wilson") or [None, None]
            out["refractory_rate"].append(
                [
                    g(PRESET_NAMES.get(entry["preset"], entry["preset"])),
                    entry["n_refractory"],
                    ci[0],
                    ci[1],
                    entry["proportion"],
                    *[entry["primary"][c] for c in CRITERIA],
                    ", ".join(display_id(results, pid) for pid in entry["changed"]),
                ]
            )
    out["status"] = [[g("Status"), g("Patients")]] + [
        [g(STATUS_NAMES[k]), v] for k, v in results["status"].items()
    ]
    out["criteria"] = [[g("Criterion"), g("Met (any)"), g("Primary criterion")]] + [
        [g(CRITERION_NAMES[c]), results["criteria"][c]["any"], results["criteria"][c]["primary"]]
        for c in CRITERIA
    ]
    out["comparisons"] = [
        [
            g("Variable"),
            g("Test"),
            g("Statistic"),
            "p",
            g("Level"),
            g("Odds ratio"),
            g("Lower"),
            g("Upper"),
            g("Method"),
        ]
    ]
    for c in results["comparisons"]:
        tests = c.get("tests") or (
            [{"test": c["test"], "statistic": c.get("statistic"), "p_value": c.get("p_value")}]
            if c.get("test")
            else [{}]
        )
        ors = c.get("odds_ratios") or [{}]
        for i in range(max(len(tests), len(ors))):
            t = tests[i] if i < len(tests) else {}
            o = ors[i] if i < len(ors) else {}
            ci = o.get("ci") or [None, None]
            out["comparisons"].append(
                [
                    g(VARIABLE_NAMES[c["variable"]]),
                    g(TEST_NAMES[t["test"]]) if t.get("test") else None,
                    t.get("statistic"),
                    t.get("p_value"),
                    _level(c["variable"], o.get("level"), lang),
                    o.get("odds_ratio"),
                    ci[0],
                    ci[1],
                    g(METHOD_NAMES[o["method"]]) if o.get("method") else None,
                ]
            )
    out["survival"] = [
        [g("Months"), g("Estimate"), g("Lower"), g("Upper"), g("At risk"), g("Analysis")]
    ]
    for key, name in ANALYSIS_NAMES.items():
        survival = results.get(key)
        if not survival:
            continue
        for month, point in survival.get("at_months", {}).items():
            ci = point.get("ci") or [None, None]
            out["survival"].append(
                [int(month), point.get("estimate"), ci[0], ci[1], point.get("at_risk"), g(name)]
            )
        out["survival"].append(
            [
                g("Median time to refractoriness, months"),
                survival.get("median_months"),
                None,
                None,
                None,
                g(name),
            ]
        )
        if "prevalent_at_entry" in survival:
            out["survival"].append(
                [
                    g("Prevalent at the index admission"),
                    survival["prevalent_at_entry"],
                    None,
                    None,
                    None,
                    g(name),
                ]
            )
    out["refractory_patients"] = [
        [
            g("Patient"),
            g("Primary criterion"),
            g("Onset"),
            g("Criterion"),
            g("Date"),
            g("Confirmed"),
            g("Evidence"),
            g("Stage (AJCC)"),
            g("Flags"),
        ]
    ]
    for p in results["refractory_patients"]:
        for c in p["criteria"]:
            out["refractory_patients"].append(
                [
                    display_id(results, p["patient_id"]),
                    g(CRITERION_NAMES[p["primary_criterion"]]),
                    _day(p["onset_date"]),
                    g(CRITERION_NAMES[c["code"]]),
                    _day(c["date"]),
                    g("Yes") if c["confirmed"] else g("No"),
                    " ".join(lang.evidence(e["code"], e["params"]) for e in c["evidence"]),
                    level_label("stage", p["stage"], lang) if p.get("stage") else None,
                    "; ".join(g(FLAG_NAMES[f]) for f in c["flags"]) or None,
                ]
            )
    out["parameters"] = [[g("Parameter"), g("Value")]] + [
        [k, _parameter(v, lang)] for k, v in sorted(results["parameters"].items())
    ]
    out["parameters"] += [[g("As of"), _day(results.get("as_of"))]]
    if results.get("input_sha256"):
        out["parameters"].append([g("Input SHA-256"), results["input_sha256"]])
    out["methods"] = [[g("Methods")]] + [
        [_plain(p)] for p in methods(results, lang, Numbers(results, lang))
    ]
    return out


def _parameter(value: Any, lang: Language) -> Any:
    """Numbers stay numbers; yes/no and lists are written in the report's language."""
    if isinstance(value, (bool, list)):
        return parameter_text(value, lang)
    return value


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _level(variable: str, level: str | None, lang: Language) -> str | None:
    if level is None:
        return None
    if variable in ("age", "cumulative_activity_mci"):
        return lang.gettext(level)
    return level_label(variable, level, lang)


def _number_format(header: str, value: Any) -> str | None:
    """The display format of a number by its column (full precision stays in the cell)."""
    if isinstance(value, bool) or not isinstance(value, float):
        return None
    if header == "p":
        return P_FORMAT
    if header.endswith("%"):
        return PERCENT_FORMAT
    return "0.000" if abs(value) < 1 else TWO_FORMAT


def write_excel(results: dict[str, Any], lang: Language, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    date_format = "yyyy-mm-dd" if lang.code == "en" else "dd.mm.yyyy"
    book = Workbook()
    book.remove(book.active)
    names = sheet_names(lang)
    for code, rows in sheets(results, lang).items():
        sheet = book.create_sheet(names[code])
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        header = [str(c.value or "") for c in sheet[1]]
        widths: dict[int, int] = {}
        for row_cells in sheet.iter_rows():
            for cell in row_cells:
                column = cell.column - 1
                value = cell.value
                if isinstance(value, date):
                    cell.number_format = date_format
                    shown = 10
                elif isinstance(value, float):
                    fmt = _number_format(header[column] if column < len(header) else "", value)
                    if fmt:
                        cell.number_format = fmt
                    shown = 9
                else:
                    shown = len(str(value)) if value is not None else 0
                widths[column] = max(widths.get(column, 6), min(shown + 2, 60))
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column + 1)].width = width
        if code == "methods":
            sheet.column_dimensions["A"].width = 140
            for cell in sheet["A"]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)
