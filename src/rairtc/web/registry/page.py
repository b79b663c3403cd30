"""What the patient page shows, assembled from a core record and its verdict.

Only records dated on or before the as-of date are shown, so the page is what was known on
that date. Courses carry the activity as entered and the running cumulative activity in mCi
and GBq (exact decimals from the core's units). The Tg/TgAb chart is an SVG drawn here on a
log scale with the courses marked: no chart library, nothing to download.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from rairtc.core.records import Patient as Record
from rairtc.core.rules.classify import Classification
from rairtc.core.units import MBQ_PER_GBQ, MBQ_PER_MCI
from rairtc.web.labels import label
from rairtc.web.text import evidence_text


@dataclass
class Event:
    date: date
    kind: str
    record_id: str
    title: str
    details: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


def _number(value: Decimal, digits: int) -> str:
    text = f"{value.quantize(Decimal(1).scaleb(-digits)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def timeline(record: Record, as_of: date, *, free_text: bool) -> list[Event]:
    events: list[Event] = []
    for s in record.surgeries:
        events.append(Event(s.date, "surgeries", str(s.id), label("procedure", s.procedure)))
    cumulative = Decimal(0)
    for course in sorted(record.rai_courses, key=lambda x: x.date):
        if course.date > as_of:
            continue
        mbq = course.activity_mbq
        cumulative += mbq
        mci, gbq = _number(mbq / MBQ_PER_MCI, 1), _number(mbq / MBQ_PER_GBQ, 2)
        details = [
            f"{mci} mCi = {gbq} GBq"
            if course.activity_mci is not None
            else f"{gbq} GBq = {mci} mCi",
            f"Σ {_number(cumulative / MBQ_PER_MCI, 1)} mCi = "
            f"{_number(cumulative / MBQ_PER_GBQ, 2)} GBq",
        ]
        if course.stimulation is not None:
            details.append(label("stimulation", course.stimulation))
        if course.tsh_miu_l is not None:
            details.append(f"TSH {course.tsh_miu_l:g} mIU/L")
        if free_text and course.centre:
            details.append(course.centre)
        events.append(Event(course.date, "rai_courses", str(course.id), "I-131", details))
    for study in record.imaging:
        findings = [
            {
                "id": str(f.id),
                "text": " ".join(
                    x
                    for x in (
                        label("side", f.side),
                        label("site", f.site),
                        f"({f.nodal_level})" if f.nodal_level else "",
                        "—",
                        label("kind", f.kind),
                        f"{f.size_mm:g} mm" if f.size_mm is not None else "",
                    )
                    if x
                ),
                "rai": f.rai_uptake,
                "fdg": f.fdg_uptake,
                "new": f.new,
            }
            for f in study.findings
        ]
        details = [] if study.progression is None else [f"progression: {study.progression}"]
        events.append(
            Event(
                study.date,
                "imaging",
                str(study.id),
                label("modality", study.modality),
                details,
                findings,
            )
        )
    for lab in record.labs:
        flags = [x for x, on in (("stim", lab.stimulated), ("<", lab.below_limit)) if on]
        events.append(
            Event(
                lab.date,
                "labs",
                str(lab.id),
                label("test", lab.test),
                [f"{lab.value:g} {lab.unit}", *flags],
            )
        )
    for meeting in record.mdt:
        details = [label("recommendation", r) for r in meeting.recommendations]
        if free_text and meeting.note:
            details.append(meeting.note)
        events.append(Event(meeting.date, "mdt", str(meeting.id), "MDT", details))
    return sorted((e for e in events if e.date <= as_of), key=lambda e: (e.date, e.kind))


def verdict_panel(result: Classification) -> dict[str, Any]:
    return {
        "status": result.status,
        "status_label": label("status", result.status),
        "onset": result.onset_date,
        "primary": label("criterion", result.primary_criterion),
        "criteria": [
            {
                "code": o.criterion.value,
                "label": label("criterion", o.criterion),
                "date": o.date,
                "confirmed": o.confirmed,
                "flags": [label("flag", f) for f in sorted(o.flags)],
                "evidence": [evidence_text(e.code, dict(e.params)) for e in o.evidence],
            }
            for o in result.criteria
        ],
        "not_evaluable": [
            {"label": label("criterion", c), "reason": label("reason", r)}
            for c, r in result.not_evaluable
        ],
        "stage": result.stage.stage,
        "risk": label("risk", result.risk.category),
        "response": label("response", result.response.category),
        "response_reason": label("reason", result.response.reason),
        "cumulative_mci": result.cumulative_activity_mci,
        "cumulative_gbq": _number(result.cumulative_activity_mbq / MBQ_PER_GBQ, 2),
        "warnings": [evidence_text(e.code, dict(e.params)) for e in result.warnings],
    }


WIDTH, HEIGHT, PAD = 640, 220, 40


def tg_chart(record: Record, as_of: date) -> SafeString:
    """Tg (ng/mL) and TgAb (IU/mL) on one log axis, courses as vertical lines."""
    series = {
        test: [
            (lab.date, lab.value)
            for lab in record.labs
            if lab.test.value == test and lab.date <= as_of
        ]
        for test in ("tg", "tgab")
    }
    points = [p for values in series.values() for p in values]
    courses = [c.date for c in record.rai_courses if c.date <= as_of]
    if not points:
        return mark_safe("")
    days = [d.toordinal() for d, _ in points] + [d.toordinal() for d in courses]
    first, last = min(days), max(max(days), min(days) + 1)
    low = math.floor(math.log10(max(min(v for _, v in points), 0.01)))
    high = max(math.ceil(math.log10(max(max(v for _, v in points), 0.01))), low + 1)

    def x(day: date) -> float:
        return PAD + (day.toordinal() - first) / (last - first) * (WIDTH - 2 * PAD)

    def y(value: float) -> float:
        v = math.log10(max(value, 0.01))
        return HEIGHT - PAD - (v - low) / (high - low) * (HEIGHT - 2 * PAD)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>Tg, TgAb</title>'
    ]
    for power in range(low, high + 1):
        yy = y(10.0**power)
        parts.append(
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{yy:.1f}" y2="{yy:.1f}" class="grid"/>'
            f'<text x="4" y="{yy + 4:.1f}" class="axis">{escape(f"{10.0**power:g}")}</text>'
        )
    for day in courses:
        parts.append(
            f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{PAD / 2}" y2="{HEIGHT - PAD}" '
            f'class="course"><title>I-131 {day.isoformat()}</title></line>'
        )
    for test, values in series.items():
        ordered = sorted(values)
        if not ordered:
            continue
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in ordered)
        parts.append(f'<polyline points="{path}" class="{test}"/>')
        parts.extend(
            f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" class="{test}">'
            f"<title>{escape(label('test', test))} {v:g} ({d.isoformat()})</title></circle>"
            for d, v in ordered
        )
    parts.append(
        f'<text x="{PAD}" y="{HEIGHT - 8}" class="tg">— Tg</text>'
        f'<text x="{PAD + 60}" y="{HEIGHT - 8}" class="tgab">— TgAb</text>'
        f'<text x="{PAD + 140}" y="{HEIGHT - 8}" class="course-label">| I-131</text></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is a number or escaped


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
