"""``tables.xlsx``: one sheet per table of the report, numbers as numbers, and a sheet with the
methods text; patients by pseudonym."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from rairtc.report.figures import CRITERIA, CRITERION_NAMES, STATUS_NAMES, exclusion_name
from rairtc.report.html import VARIABLE_NAMES, level_label
from rairtc.report.i18n import Language
from rairtc.report.methods import methods
from rairtc.report.numbers import Numbers
from rairtc.report.pseudonyms import pseudonym


def _plain(markup: Markup) -> str:
    return Markup(markup).striptags()


def sheets(results: dict[str, Any], lang: Language) -> dict[str, list[list[Any]]]:
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
    out["table1"] = [[g("Variable"), g("Level"), "n", "%", g("Value")]]
    for row in results["table1"]:
        out["table1"].append(
            [
                g(VARIABLE_NAMES[row["variable"]]),
                level_label(row["variable"], row["level"], lang),
                row.get("n"),
                row.get("percent"),
                row.get("value"),
            ]
        )
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
                    t.get("test"),
                    t.get("statistic"),
                    t.get("p_value"),
                    o.get("level"),
                    o.get("odds_ratio"),
                    ci[0],
                    ci[1],
                    o.get("method"),
                ]
            )
    survival = results["survival"]
    out["survival"] = [[g("Months"), g("Estimate"), g("Lower"), g("Upper"), g("At risk")]]
    for month, point in survival.get("at_months", {}).items():
        ci = point.get("ci") or [None, None]
        out["survival"].append(
            [int(month), point.get("estimate"), ci[0], ci[1], point.get("at_risk")]
        )
    out["survival"].append(
        [
            g("Median time to refractoriness, months"),
            survival.get("median_months"),
            None,
            None,
            None,
        ]
    )
    sha = results["input_sha256"]
    out["refractory_patients"] = [
        [
            g("Patient"),
            g("Primary criterion"),
            g("Onset"),
            g("Criterion"),
            g("Date"),
            g("Confirmed"),
            g("Evidence"),
        ]
    ]
    for p in results["refractory_patients"]:
        for c in p["criteria"]:
            out["refractory_patients"].append(
                [
                    pseudonym(p["patient_id"], sha),
                    g(CRITERION_NAMES[p["primary_criterion"]]),
                    p["onset_date"],
                    g(CRITERION_NAMES[c["code"]]),
                    c["date"],
                    c["confirmed"],
                    " ".join(lang.evidence(e["code"], e["params"]) for e in c["evidence"]),
                ]
            )
    out["parameters"] = [[g("Parameter"), g("Value")]] + [
        [k, str(v) if isinstance(v, list) else v] for k, v in sorted(results["parameters"].items())
    ]
    out["methods"] = [[g("Methods")]] + [
        [_plain(p)] for p in methods(results, lang, Numbers(results, lang))
    ]
    return out


def write_excel(results: dict[str, Any], lang: Language, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets(results, lang).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        if name == "methods":
            sheet.column_dimensions["A"].width = 140
            for cell in sheet["A"]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)
