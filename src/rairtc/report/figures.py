"""The report's figures, drawn with matplotlib from ``results.json``: the eligibility flow, the
criteria breakdown, the Kaplan-Meier curve with numbers at risk and the age distribution.

Each figure is written as SVG and PDF (vector; text drawn as paths, so no font is needed to
view the SVG) and PNG at 300 dpi. Every plot states its n; axes of Russian and Kazakh reports
use the decimal comma.
The SVG is also inlined into the HTML report, stripped of its XML prolog, namespaces and
metadata so that the report holds no URL at all.
"""

from __future__ import annotations

import io
import re
import textwrap
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
    pdf: bytes = b""


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


PNG_DPI = 300


def _decimal_axes(fig: Any, lang: Language) -> None:
    """Tick labels with the report language's decimal sign."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    sign = lang.decimal_sign
    if sign == ".":
        return

    def comma(value: float, _: object) -> str:
        text = f"{value:g}"
        return text.replace(".", sign).replace("-", "−")

    for ax in fig.get_axes():
        if ax.axison:
            for axis in (ax.xaxis, ax.yaxis):
                if isinstance(axis.get_major_formatter(), ScalarFormatter):
                    axis.set_major_formatter(FuncFormatter(comma))


def _finish(name: str, fig: Any, lang: Language | None = None) -> Figure:
    plt = _pyplot()
    if lang is not None:
        _decimal_axes(fig, lang)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    standalone = buffer.getvalue()
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=PNG_DPI, bbox_inches="tight", metadata={"Software": None})
    pdf = io.BytesIO()
    fig.savefig(
        pdf,
        format="pdf",
        bbox_inches="tight",
        metadata={"Creator": None, "Producer": None, "CreationDate": None},
    )
    plt.close(fig)
    inline = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", standalone)
    inline = re.sub(r"<metadata>.*?</metadata>", "", inline, flags=re.S)
    inline = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", inline)
    inline = re.sub(r'\s+version="1\.1"', "", inline).strip()
    return Figure(name, inline, png.getvalue(), standalone, pdf.getvalue())


def flow_figure(results: dict[str, Any], lang: Language) -> Figure:
    plt = _pyplot()
    flow = results["flow"]
    steps = [
        (lang.gettext("Records in the registry"), flow["records"]),
        (lang.gettext("Eligible (the sampling frame)"), flow["eligible"]),
    ]
    if flow["sampled"] is not None:
        steps.append((lang.gettext("Sampled"), flow["sampled"]))
    statuses = "\n".join(
        f"{lang.gettext(STATUS_NAMES[s])}: {lang.number(v)}"
        for s, v in results.get("status", {}).items()
    )
    steps.append((lang.gettext("Analysed"), flow["analysed"]))
    excluded = [
        ("\n  ".join(textwrap.wrap(exclusion_name(code, lang), 34)), n)
        for code, n in flow["excluded"].items()
        if n
    ]
    fig, ax = plt.subplots(figsize=(7, 2.2 + 1.0 * len(steps)))
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(-len(steps) - 1.0, 0.6)
    for i, (label, n) in enumerate(steps):
        y = -i
        ax.text(
            3,
            y,
            "\n".join([*textwrap.wrap(label, 30), f"n = {lang.number(n)}"]),
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
            8.0,
            -0.5,
            text,
            ha="center",
            va="center",
            color=INK,
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.5", "fc": "white", "ec": SOFT},
        )
        ax.annotate(
            "", xy=(6.0, -0.5), xytext=(3, -0.5), arrowprops={"arrowstyle": "->", "color": SOFT}
        )
    if flow.get("not_sampled") is not None and flow["sampled"] is not None:
        y_gap = -1.5
        ax.text(
            7.6,
            y_gap,
            f"{lang.gettext('Not sampled')}: {lang.number(flow['not_sampled'])}",
            ha="center",
            va="center",
            color=INK,
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.5", "fc": "white", "ec": SOFT},
        )
        ax.annotate(
            "", xy=(6.2, y_gap), xytext=(3, y_gap), arrowprops={"arrowstyle": "->", "color": SOFT}
        )
    if statuses:
        last = -(len(steps) - 1)
        ax.text(
            3,
            last - 1.1,
            statuses,
            ha="center",
            va="center",
            color=INK,
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.5", "fc": "white", "ec": INK},
        )
        ax.annotate(
            "",
            xy=(3, last - 0.65),
            xytext=(3, last - 0.35),
            arrowprops={"arrowstyle": "->", "color": INK},
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
    ax.set_title(
        lang.format("Refractory patients, n = {n}", n=lang.number(results["status"]["refractory"])),
        fontsize=9,
        loc="left",
    )
    return _finish("criteria", fig, lang)


KM_CURVES = (
    ("survival_delayed_entry", "Primary: delayed entry at the index admission", ACCENT, "-"),
    ("survival", "Secondary: from the first I-131 course", SOFT, "--"),
)


def km_figure(results: dict[str, Any], lang: Language) -> Figure:
    """Both analyses on one time axis: step curves with censor marks, the primary analysis's
    95 % band, and the numbers at risk of each analysis under the plot."""
    plt = _pyplot()
    curves = [c for c in KM_CURVES if results.get(c[0])]
    fig, (ax, table) = plt.subplots(
        2, 1, figsize=(7, 4.4), height_ratios=[4, 0.5 + 0.5 * len(curves)], sharex=True
    )
    horizon = 12.0
    for key, label, colour, style in curves:
        survival = results[key]
        curve = survival.get("curve") or [{"time": 0.0, "estimate": 1.0}]
        times = [p["time"] for p in curve]
        estimates = [p["estimate"] for p in curve]
        horizon = max([horizon, *times])
        ax.step(
            times,
            estimates,
            where="post",
            color=colour,
            linestyle=style,
            label=f"{lang.gettext(label)} (n = {lang.number(survival['n'])})",
        )
        if key == "survival_delayed_entry" and all(p.get("low") is not None for p in curve):
            ax.fill_between(
                times,
                [p["low"] for p in curve],
                [p["high"] for p in curve],
                step="post",
                color=colour,
                alpha=0.15,
                linewidth=0,
                label=lang.gettext("95 % CI"),
            )
        censored = sorted(set(survival.get("censored") or []))  # one mark per time
        ax.plot(
            censored,
            [_estimate_at(curve, t) for t in censored],
            linestyle="none",
            marker="|",
            markersize=6,
            color=colour,
        )
    ax.set_ylim(0, 1.02)
    ax.set_ylabel(lang.gettext("Free of refractoriness"))
    ax.legend(frameon=False, loc="lower left", fontsize=7)
    ticks = [t for t in range(0, int(horizon) + 12, 12) if t <= horizon + 1e-9]
    table.set_axis_off()
    for row, (key, _label, colour, _style) in enumerate(curves):
        survival = results[key]
        y = 1 - (row + 0.5) / max(len(curves), 1)
        every = {row["time"]: row["at_risk"] for row in survival.get("at_risk_every_12_months", [])}
        for t in ticks:
            at_risk = every.get(float(t), 0)
            table.text(
                t, y, lang.number(at_risk), ha="center", va="center", fontsize=7, color=colour
            )
    table.text(
        -0.02,
        1.0,
        lang.gettext("At risk"),
        ha="right",
        va="top",
        fontsize=8,
        transform=table.transAxes,
        color=INK,
    )
    ax.set_xticks(ticks)
    ax.tick_params(labelbottom=True)
    ax.set_xlabel(lang.gettext("Months since the first I-131 course"))
    return _finish("kaplan_meier", fig, lang)


def _estimate_at(curve: list[dict[str, Any]], t: float) -> float:
    earlier = [p["estimate"] for p in curve if p["time"] <= t]
    return earlier[-1] if earlier else 1.0


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
    ax.set_yticks(
        range(1, len(labels) + 1),
        [
            f"{label} (n = {lang.number(len(v))})"
            for label, v in zip(labels, ages.values(), strict=True)
        ],
    )
    return _finish("age_by_group", fig, lang)


def write_figures(figures: list[Figure], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for figure in figures:
        (folder / f"{figure.name}.svg").write_text(figure.svg_file, encoding="utf-8")
        (folder / f"{figure.name}.png").write_bytes(figure.png)
        (folder / f"{figure.name}.pdf").write_bytes(figure.pdf)


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
