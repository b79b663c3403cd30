"""The rule catalogue (``docs/rules-catalogue.md``), rendered from the rule modules themselves.

Each criterion module declares the parameters it reads, the flags and reason codes it can
give and its evidence codes; the parameters carry their defaults and sources. A test fails
when the committed catalogue differs from this rendering, so documentation and code cannot
drift apart. Regenerate with ``make docs``.
"""

from __future__ import annotations

import inspect
from types import ModuleType

from rairtc.core.messages import CATALOGUE
from rairtc.core.parameters import RULE_SET, RULE_SET_VERSION, RuleParameters
from rairtc.core.rules import (
    cumulative_activity,
    fdg_mismatch,
    no_uptake,
    nonavid_lesion,
    progression_despite_uptake,
)
from rairtc.core.rules.evidence import FLAG_TEXTS, TEMPLATES

CRITERION_MODULES: tuple[ModuleType, ...] = (
    fdg_mismatch,
    no_uptake,
    nonavid_lesion,
    progression_despite_uptake,
    cumulative_activity,
)

OTHER_CODES = {
    "Status (rules.md §4)": {
        "refractory": "at least one confirmed criterion met",
        "possibly_refractory": "only unconfirmed criteria met",
        "not_refractory": "no criterion met, post-therapy study on record",
        "insufficient_data": "histology not evaluated, or nothing met and no post-therapy study",
    },
    "Not-evaluable reasons": {
        "histology_not_differentiated": "medullary, anaplastic (or poorly differentiated unless include_pdtc): no criterion evaluated",
        "first_course_without_post_therapy_study": "no_uptake (a) needs a post-therapy study of the first course",
        "no_i131_course": "no I-131 course up to as_of",
        "no_post_therapy_study": "no post-therapy study 0-14 days after a course",
    },
    "Stage reasons (rules.md §5)": {
        "m_unknown": "M missing or MX",
        "t_unknown": "T missing or TX where the table needs it",
        "n_unknown": "N missing where the table needs it",
        "t0_not_staged": "T0 with M0 in the older band",
        "subcategory_needed": "T1, T3, T4 or N1 recorded without the subcategory, whose subcategories give different stages",
        "ete_unknown": "edition 7: T1/T2 whose stage depends on unknown extrathyroidal extension",
        "histology_not_applicable": "medullary or anaplastic carcinoma",
    },
    "ATA risk (rules.md §6)": {
        "risk_unresolved": "flag: a field that could raise the category is unknown",
        "histology_not_applicable": "reason: medullary or anaplastic carcinoma",
    },
    "ATA response (rules.md §7)": {
        "no_recent_imaging": "reason: no imaging within response_window_months before as_of",
        "no_tg": "reason: no Tg within the window",
        "tgab_unknown": "flag: excellent-range Tg but TgAb status unknown (response indeterminate)",
        "histology_not_applicable": "reason: medullary or anaplastic carcinoma",
    },
}


def _parameter_rows(names: tuple[str, ...]) -> list[str]:
    rows = []
    for name in names:
        info = RuleParameters.model_fields[name]
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        default = info.default
        if isinstance(default, tuple):
            default = list(default)
        rows.append(f"| `{name}` | `{default}` | {info.description} | {extra.get('source', '')} |")
    return rows


def render_catalogue() -> str:
    lines = [
        "# Rule catalogue",
        "",
        f"Rule set `{RULE_SET}`, version {RULE_SET_VERSION}. Generated from the code by "
        "`make docs` (`rairtc.core.rules.catalogue`); do not edit by hand.",
        "",
        "## The five criteria (priority order for `primary_criterion`)",
        "",
    ]
    for rank, module in enumerate(CRITERION_MODULES, start=1):
        doc = inspect.getdoc(module) or ""
        title, _, body = doc.partition("\n\n")
        lines += [f"### {rank}. {title}", "", body.replace("\n", " "), ""]
        lines += ["| parameter | default | meaning | source |", "|---|---|---|---|"]
        lines += _parameter_rows(module.PARAMETERS)
        lines += [""]
        flags = ", ".join(f"`{f}` ({FLAG_TEXTS[f]})" for f in module.FLAGS) or "none"
        reasons = (
            ", ".join(f"`{r}`" for r in module.REASONS) or "none (absence is not missing data)"
        )
        lines += [f"- Flags: {flags}.", f"- Not-evaluable reasons: {reasons}."]
        lines += [
            "- Evidence: " + "; ".join(f'`{code}`: "{TEMPLATES[code]}"' for code in module.EVIDENCE)
        ]
        lines += [""]
    lines += [
        "## Every parameter",
        "",
        "| parameter | default | meaning | source |",
        "|---|---|---|---|",
    ]
    lines += _parameter_rows(tuple(RuleParameters.model_fields))
    lines += [""]
    for heading, codes in OTHER_CODES.items():
        lines += [f"## {heading}", ""]
        lines += [f"- `{code}`: {text}" for code, text in codes.items()]
        lines += [""]
    lines += ["## Validation messages", "", "| code | severity | English text |", "|---|---|---|"]
    for code, (severity, template) in CATALOGUE.items():
        lines.append(f"| `{code}` | {severity} | {template} |")
    lines.append("")
    return "\n".join(lines)
