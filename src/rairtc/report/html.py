"""The HTML report: one self-contained file (inline CSS and SVG, no URL of any kind)."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from rairtc.report import sections
from rairtc.report.figures import CRITERIA, CRITERION_NAMES, STATUS_NAMES, Figure, exclusion_name
from rairtc.report.i18n import Language
from rairtc.report.methods import methods
from rairtc.report.numbers import Numbers
from rairtc.report.pseudonyms import display_id, identified

# The HTML and PDF list the evidence of at most this many refractory patients (a report of
# thousands of patients' evidence is neither readable nor printable); tables.xlsx lists all.
LISTING_LIMIT = 300

VARIABLE_NAMES = {
    "sex": "Sex",
    "age": "Age, years",
    "histology": "Histology",
    "stage": "Stage (AJCC)",
    "metastases": "Regional or distant metastases",
    "recurrence": "Recurrence",
    "course_number": "I-131 course number at the index admission",
    "cumulative_activity_mci": "Cumulative activity, mCi",
}
LEVEL_NAMES = {
    "male": "Male",
    "female": "Female",
    "papillary": "Papillary",
    "follicular": "Follicular",
    "oncocytic": "Oncocytic",
    "poorly_differentiated": "Poorly differentiated",
    "yes": "Yes",
    "no": "No",
    "missing": "Missing",
    "mean": "Mean",
    "sd": "Standard deviation",
    "median": "Median",
    "q1": "Lower quartile",
    "q3": "Upper quartile",
    "min": "Minimum",
    "max": "Maximum",
}
TEST_NAMES = {
    "fisher_exact": "Fisher's exact test",
    "chi_square": "Chi-square (no correction)",
    "welch_t": "Welch's t-test",
    "mann_whitney_u": "Mann-Whitney U",
    "fisher_freeman_halton": "Fisher-Freeman-Halton exact test",
}
METHOD_NAMES = {"wald": "Wald", "firth_profile_likelihood": "Firth, profile likelihood"}
FLAG_NAMES = {
    "tsh_inadequate": "TSH not above the threshold",
    "tsh_unknown": "TSH not recorded",
    "scan_day_out_of_range": "scan outside days 2-10",
    "heterogeneous_uptake": "heterogeneous uptake",
    "soft_criterion": "soft criterion",
}


def _translated(text: object, lang: Language) -> str | None:
    """A provenance text in the report's language (a text rairtc wrote is a catalog msgid)."""
    return lang.gettext(str(text)) if text else None


def _environment(lang: Language) -> Environment:
    env = Environment(
        loader=PackageLoader("rairtc.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        lang.gettext, lambda s, p, n: lang.gettext(s if n == 1 else p), newstyle=False
    )
    return env


def _css() -> Markup:
    return Markup(
        files("rairtc.report").joinpath("templates/report.css").read_text(encoding="utf-8")
    )


def level_label(variable: str, level: str, lang: Language) -> str:
    if variable == "course_number" and level.isdigit():
        return lang.format("Course {n}", n=level)
    if variable == "stage":
        return lang.gettext("Missing") if level == "missing" else level
    return lang.gettext(LEVEL_NAMES.get(level, level))


def parameter_text(value: Any, lang: Language) -> str:
    """A parameter as the reader's locale writes it (decimal sign, yes/no)."""
    if isinstance(value, bool):
        return lang.gettext(LEVEL_NAMES["yes"] if value else LEVEL_NAMES["no"])
    if isinstance(value, list):
        return "[" + ", ".join(parameter_text(v, lang) for v in value) + "]"
    if isinstance(value, float):
        return repr(value).replace(".", lang.decimal_sign)
    return str(value)


def _published(
    row: dict[str, Any], path: str, n: Numbers, rule: str = "pct"
) -> dict[str, Any] | None:
    """The figure the seed study printed for this row, and whether it is flagged."""
    published = row.get("published")
    if not published:
        return None
    if "value" in published:
        return {"value": n(f"{path}.value"), "percent": None, "n": None, "flag": published["flag"]}
    percent = n(f"{path}.percent", rule) if published.get("percent") is not None else None
    return {"n": n(f"{path}.n"), "percent": percent, "value": None, "flag": published["flag"]}


def _staging(results: dict[str, Any], lang: Language, n: Numbers) -> dict[str, Any] | None:
    staging = results.get("staging")
    if not staging:
        return None
    other = staging["other_edition"]
    return {
        "edition": staging["edition"],
        "other": other["edition"],
        "counts": [
            (
                level if level != "missing" else lang.gettext("Missing"),
                n(f"staging.other_edition.stage.{level}"),
            )
            for level in other["stage"]
        ],
    }


def context(results: dict[str, Any], lang: Language, figures: dict[str, Figure]) -> dict[str, Any]:
    n = Numbers(results, lang)
    table1 = []
    for i, row in enumerate(results["table1"]):
        is_value = "value" in row
        table1.append(
            {
                "variable": lang.gettext(VARIABLE_NAMES[row["variable"]]),
                "first": i == 0 or results["table1"][i - 1]["variable"] != row["variable"],
                "level": level_label(row["variable"], row["level"], lang),
                "n": None if is_value else n(f"table1[{i}].n"),
                "percent": None if is_value else n(f"table1[{i}].percent", "pct"),
                "value": n(f"table1[{i}].value", "one") if is_value else None,
                "published": _published(row, f"table1[{i}].published", n),
            }
        )
    comparisons = []
    for i, c in enumerate(results["comparisons"]):
        base = f"comparisons[{i}]"
        tests = c.get("tests") or (
            [{"test": c["test"], "p_value": c.get("p_value")}] if c.get("test") else []
        )
        rows = []
        for j, test in enumerate(tests):
            path = f"{base}.tests[{j}].p_value" if c.get("tests") else f"{base}.p_value"
            rows.append({"test": lang.gettext(TEST_NAMES[test["test"]]), "p": n(path, "p")})
        ors = [
            {
                "level": level_label(c["variable"], o["level"], lang)
                if c["variable"] not in ("age", "cumulative_activity_mci")
                else lang.gettext(o["level"]),
                "or": n(f"{base}.odds_ratios[{k}].odds_ratio", "two"),
                "low": n(f"{base}.odds_ratios[{k}].ci[0]", "two"),
                "high": n(f"{base}.odds_ratios[{k}].ci[1]", "two"),
                "method": lang.gettext(METHOD_NAMES[o["method"]]),
            }
            for k, o in enumerate(c.get("odds_ratios", []))
        ]
        notes = [lang.gettext(x) for x in (c.get("footnote"), c.get("note")) if x]
        comparisons.append(
            {
                "variable": lang.gettext(VARIABLE_NAMES[c["variable"]]),
                "tests": rows,
                "odds_ratios": ors,
                "notes": notes,
                "reference": level_label(c["variable"], c["reference"], lang)
                if c.get("reference")
                else None,
            }
        )
    listing = []
    shown = 0
    for criterion in CRITERIA:
        patients = []
        for k, p in enumerate(results["refractory_patients"]):
            if p["primary_criterion"] != criterion:
                continue
            if shown >= LISTING_LIMIT:
                continue
            shown += 1
            met = []
            for _m, c in enumerate(p["criteria"]):
                met.append(
                    {
                        "name": lang.gettext(CRITERION_NAMES[c["code"]]),
                        "date": lang.date(c["date"]),
                        "confirmed": c["confirmed"],
                        "flags": [lang.gettext(FLAG_NAMES[f]) for f in c["flags"]],
                        "evidence": [lang.evidence(e["code"], e["params"]) for e in c["evidence"]],
                    }
                )
            patients.append(
                {
                    "id": display_id(results, p["patient_id"]),
                    "onset": lang.date(p["onset_date"]),
                    "stage": p["stage"],
                    "criteria": met,
                    "index": k,
                }
            )
        listing.append(
            {
                "name": lang.gettext(CRITERION_NAMES[criterion]),
                "patients": patients,
                "count": n(f"criteria.{criterion}.primary"),
            }
        )
    survival = results["survival"]
    provenance = results.get("provenance") or {}
    return {
        "identified": identified(results),
        "synthetic": {
            "generator": lang.gettext(str(provenance.get("generator") or "rairtc")),
            "seed": provenance.get("seed"),
            "targets": _translated((provenance.get("calibration") or {}).get("targets"), lang),
        }
        if provenance.get("synthetic")
        else None,
        "by_group": sections.table1_by_group(results, lang, n),
        "rates": sections.rates(results, lang, n),
        "sensitivity": sections.sensitivity(results, lang, n),
        "survival": sections.survival(results, lang, n),
        "survival_summary": sections.survival_summary(results, lang, n),
        "lang": lang.code,
        # Russian and Kazakh set a number and its per cent sign apart by a no-break space.
        "pct": " %" if lang.code == "en" else "\u00a0%",
        "css": _css(),
        "n": n,
        "results": results,
        "as_of": lang.date(results["as_of"]),
        "methods": methods(results, lang, n),
        "figures": {k: Markup(f.svg) for k, f in figures.items()},
        "exclusions": [
            {"name": exclusion_name(code, lang), "n": n(f"flow.excluded.{code}")}
            for code in results["flow"]["excluded"]
        ],
        "table1": table1,
        "statuses": [
            {"name": lang.gettext(STATUS_NAMES[s]), "n": n(f"status.{s}")}
            for s in results["status"]
        ],
        "criteria": [
            {
                "name": lang.gettext(CRITERION_NAMES[c]),
                "any": n(f"criteria.{c}.any"),
                "primary": n(f"criteria.{c}.primary"),
                "published": _published(results["criteria"][c], f"criteria.{c}.published", n),
            }
            for c in CRITERIA
        ],
        "replication": "published" in results["rair"],
        "published_rates": [
            {
                "source": lang.gettext(r["source"]),
                "percent": n(f"rair.published[{k}].percent", "pct"),
                "flag": r["flag"],
            }
            for k, r in enumerate(results["rair"].get("published", []))
        ],
        "staging": _staging(results, lang, n),
        "comparisons": comparisons,
        "timepoints": [
            {
                "month": m,
                "estimate": n(f"survival.at_months.{m}.estimate", "pct_of_proportion"),
                "low": n(f"survival.at_months.{m}.ci[0]", "pct_of_proportion")
                if survival["at_months"].get(m, {}).get("ci")
                else None,
                "high": n(f"survival.at_months.{m}.ci[1]", "pct_of_proportion")
                if survival["at_months"].get(m, {}).get("ci")
                else None,
                "at_risk": n(f"survival.at_months.{m}.at_risk"),
            }
            for m in survival.get("at_months", {})
        ],
        "listing": listing,
        "not_listed": len(results["refractory_patients"]) - shown,
        "parameters": [
            (k, parameter_text(v, lang)) for k, v in sorted(results["parameters"].items())
        ],
        "software": results["software"],
    }


def render_html(results: dict[str, Any], lang: Language, figures: dict[str, Figure]) -> str:
    template = _environment(lang).get_template("report.html.j2")
    return template.render(**context(results, lang, figures))
