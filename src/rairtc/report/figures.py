"""The report's figures, drawn with matplotlib from ``results.json``: the eligibility flow, the
criteria breakdown, the Kaplan-Meier curve with numbers at risk and the age distribution.

Each figure is written as SVG (text drawn as paths, so no font is needed to view it) and PNG.
The SVG is also inlined into the HTML report, stripped of its XML prolog, namespaces and
metadata so that the report holds no URL at all.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rairtc.report.i18n import Language

CRITERIA = (
    "fdg_mismatch",
    "no_uptake",
    "nonavid_lesion",
    "progression_despite_uptake",
    "cumulative_activity",
)
INK, ACCENT, SOFT = "#1f2937", "#b45309", "#9ca3af"


@dataclass(frozen=True)
class Figure:
    name: str
    svg: str  # inline form, no prolog, no namespace
    png: bytes
    svg_file: str  # standalone form, for figures/


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update(
        {
            "svg.fonttype": "path",
            "svg.hashsalt": "rairtc",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _finish(name: str, fig: Any) -> Figure:
    plt = _pyplot()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    standalone = buffer.getvalue()
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    inline = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", standalone)
    inline = re.sub(r"<metadata>.*?</metadata>", "", inline, flags=re.S)
    inline = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", inline)
    inline = re.sub(r'\s+version="1\.1"', "", inline).strip()
    return Figure(name, inline, png.getvalue(), standalone)


def flow_figure(results: dict[str, Any], lang: Language) -> Figure:
    plt = _pyplot()
    flow = results["flow"]
    steps = [
        (lang.gettext("Records in the registry"), flow["records"]),
        (lang.gettext("Eligible (the sampling frame)"), flow["eligible"]),
    ]
    if flow["sampled"] is not None:
        steps.append((lang.gettext("Sampled"), flow["sampled"]))
    steps.append((lang.gettext("Analysed"), flow["analysed"]))
    excluded = [(exclusion_name(code, lang), n) for code, n in flow["excluded"].items() if n]
    fig, ax = plt.subplots(figsize=(7, 1.2 + 1.0 * len(steps)))
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(-len(steps), 0.6)
    for i, (label, n) in enumerate(steps):
        y = -i
        ax.text(
            3,
            y,
            f"{label}\nn = {lang.number(n)}",
            ha="center",
            va="center",
            color=INK,
            bbox={"boxstyle": "round,pad=0.5", "fc": "#f3f4f6", "ec": INK},
        )
        if i:
            ax.annotate(
                "",
                xy=(3, y + 0.35),
                xytext=(3, y + 0.65),
                arrowprops={"arrowstyle": "->", "color": INK},
            )
    if excluded:
        text = (
            lang.gettext("Excluded")
            + "\n"
            + "\n".join(f"{label}: {lang.number(n)}" for label, n in excluded)
        )
        ax.text(
            7.6,
            -0.5,
            text,
            ha="center",
            va="center",
            color=INK,
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.5", "fc": "white", "ec": SOFT},
        )
        ax.annotate(
            "", xy=(5.6, -0.5), xytext=(3, -0.5), arrowprops={"arrowstyle": "->", "color": SOFT}
        )
    return _finish("flow", fig)


def criteria_figure(results: dict[str, Any], lang: Language) -> Figure:
    plt = _pyplot()
    names = [lang.gettext(CRITERION_NAMES[c]) for c in CRITERIA]
    primary = [results["criteria"][c]["primary"] for c in CRITERIA]
    any_ = [results["criteria"][c]["any"] for c in CRITERIA]
    fig, ax = plt.subplots(figsize=(7, 2.8))
    y = list(range(len(CRITERIA)))[::-1]
    ax.barh([v + 0.2 for v in y], any_, height=0.4, color=SOFT, label=lang.gettext("Met (any)"))
    ax.barh(
        [v - 0.2 for v in y],
        primary,
        height=0.4,
        color=ACCENT,
        label=lang.gettext("Primary criterion"),
    )
    ax.set_yticks(y, names)
    ax.set_xlabel(lang.gettext("Refractory patients"))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, loc="lower right")
    return _finish("criteria", fig)


def km_figure(results: dict[str, Any], lang: Language) -> Figure:
    plt = _pyplot()
    survival = results["survival"]
    fig, (ax, table) = plt.subplots(2, 1, figsize=(7, 3.8), height_ratios=[4, 1], sharex=True)
    curve = survival.get("curve") or [{"time": 0.0, "estimate": 1.0}]
    ax.step([p["time"] for p in curve], [p["estimate"] for p in curve], where="post", color=ACCENT)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel(lang.gettext("Free of refractoriness"))
    horizon = max([p["time"] for p in curve] + [12.0])
    ticks = [t for t in range(0, int(horizon) + 12, 12) if t <= horizon + 1e-9]
    table.set_axis_off()
    risk = survival.get("at_risk_table") or []
    for t in ticks:
        at_risk = _at_risk(risk, t, survival["n"])
        table.text(t, 0.5, lang.number(at_risk), ha="center", va="center", fontsize=8, color=INK)
    table.text(
        -0.02,
        0.5,
        lang.gettext("At risk"),
        ha="right",
        va="center",
        fontsize=8,
        transform=table.transAxes,
        color=INK,
    )
    ax.set_xticks(ticks)
    ax.tick_params(labelbottom=True)
    ax.set_xlabel(lang.gettext("Months since the first I-131 course"))
    return _finish("kaplan_meier", fig)


def _at_risk(table: list[dict[str, Any]], t: float, n: int) -> int:
    """Patients still followed at time t: those whose time is at least t."""
    later = [row["at_risk"] for row in table if row["time"] >= t]
    return later[0] if later else 0 if table else n


def age_figure(ages: dict[str, list[float]], lang: Language) -> Figure:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 2.6))
    labels = [lang.gettext(STATUS_NAMES[g]) for g in ages]
    data = [values or [float("nan")] for values in ages.values()]
    ax.boxplot(
        data,
        orientation="horizontal",
        tick_labels=labels,
        widths=0.5,
        medianprops={"color": ACCENT},
    )
    ax.set_xlabel(lang.gettext("Age at the index admission, years"))
    return _finish("age_by_group", fig)


def write_figures(figures: list[Figure], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for figure in figures:
        (folder / f"{figure.name}.svg").write_text(figure.svg_file, encoding="utf-8")
        (folder / f"{figure.name}.png").write_bytes(figure.png)


FigureMaker = Callable[[dict[str, Any], Language], Figure]

CRITERION_NAMES = {
    "fdg_mismatch": "I-131 / FDG mismatch",
    "no_uptake": "Absence or loss of uptake",
    "nonavid_lesion": "Non-avid lesion",
    "progression_despite_uptake": "Progression despite uptake",
    "cumulative_activity": "Cumulative activity ≥ 600 mCi",
}
STATUS_NAMES = {
    "refractory": "Refractory",
    "possibly_refractory": "Possibly refractory",
    "not_refractory": "Not refractory",
    "insufficient_data": "Insufficient data",
}


def exclusion_name(code: str, lang: Language) -> str:
    """An exclusion of the flow in words; a code from outside the eligibility rules
    (``excluded_invalid_record``, from ``--skip-invalid``) is translated by :mod:`rairtc.i18n`."""
    if code in EXCLUSION_NAMES:
        return lang.gettext(EXCLUSION_NAMES[code])
    from rairtc.i18n import translate

    return translate(f"flow.{code}", {}, lang.code)


EXCLUSION_NAMES = {
    "no_course_in_period": "No I-131 course in the period",
    "histology_missing": "Histology missing",
    "histology_not_differentiated": "Not differentiated carcinoma",
    "birth_date_missing": "Birth date missing",
    "age_outside_18_80": "Age outside 18-80 years",
}
