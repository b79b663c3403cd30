"""The explanation of one patient as plain data: title, dated timeline lines, sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rairtc.core.parameters import DEFAULT_PARAMETERS, RULE_SET, RuleParameters
from rairtc.core.records import Finding, Imaging, Lab, Patient
from rairtc.core.rules.classify import Classification, classify
from rairtc.core.rules.evidence import STUDY_NAMES, lesion_phrase
from rairtc.core.rules.timeline import Timeline, build_timeline
from rairtc.core.units import MBQ_PER_MCI
from rairtc.i18n import check_language, name, translate
from rairtc.report.i18n import Language


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[str, ...]
    details: tuple[tuple[str, ...], ...] = ()  # sub-lines under each line (evidence sentences)


@dataclass(frozen=True)
class Explanation:
    title: str
    summary: str
    timeline: tuple[tuple[str, str], ...]  # (formatted date, what happened)
    sections: tuple[Section, ...] = field(default=())
    footer: str = ""


class _Words:
    """Texts of one language: codes from :mod:`rairtc.i18n`, study and lesion names and
    evidence sentences from the report's catalogs (the same words as the report)."""

    def __init__(self, lang: str) -> None:
        self.lang = check_language(lang)
        self.report = Language(self.lang)

    def __call__(self, code: str, **params: object) -> str:
        return translate(code, params, self.lang)

    def name(self, prefix: str, value: str | None) -> str:
        return name(prefix, value, self.lang)

    def date(self, value: date | str) -> str:
        return self.report.date(value)

    def number(self, value: float | Decimal, digits: int = 0) -> str:
        text = self.report.number(float(value), digits)
        decimal_sign = self.report.decimal_sign
        if decimal_sign in text:  # 3.70 -> 3.7, 100.0 -> 100
            text = text.rstrip("0").rstrip(decimal_sign)
        return text

    def study(self, modality: str) -> str:
        from rairtc.core.codes import Modality

        return self.report.gettext(STUDY_NAMES[Modality(modality)])


def _activity(words: _Words, mbq: Decimal) -> tuple[str, str]:
    return words.number(mbq / MBQ_PER_MCI, 2), words.number(mbq / 1000, 2)


def _finding(words: _Words, finding: Finding) -> str:
    text = lesion_phrase(
        finding.site.value,
        None if finding.side is None else finding.side.value,
        finding.kind.value,
        words.report.gettext,
    )
    notes = []
    if finding.new:
        notes.append(words("explain.new"))
    if finding.rai_uptake is not None:
        notes.append(words(f"explain.uptake.{str(finding.rai_uptake).lower()}"))
    if finding.fdg_uptake is not None:
        notes.append(words(f"explain.fdg.{str(finding.fdg_uptake).lower()}"))
    if finding.size_mm is not None:
        notes.append(words("explain.size", size=words.number(finding.size_mm, 1)))
    return text + (f" ({', '.join(notes)})" if notes else "")


def _study(words: _Words, study: Imaging, timeline: Timeline, params: RuleParameters) -> str:
    name_ = words.study(study.modality.value)
    course = next(
        (c for c in timeline.courses for s in c.post_therapy if s is study),
        None,
    )
    if course is not None:
        head = words("explain.study_of_course", study=name_, course=course.number)
    elif any(s is study for s in timeline.ignored_post_therapy):
        head = words("explain.study_not_linked", study=name_, days=params.post_therapy_max_days)
    else:
        head = words("explain.study", study=name_)
    parts = [_finding(words, f) for f in study.findings] or [words("explain.no_findings")]
    if study.progression:
        parts.append(words("explain.progression"))
    return f"{head}: " + "; ".join(parts)


def _lab(words: _Words, lab: Lab) -> str:
    test = words.name("lab", lab.test.value)
    code = "explain.lab_below" if lab.below_limit else "explain.lab"
    text = words(code, test=test, value=words.number(lab.value, 3), unit=lab.unit)
    if lab.stimulated:
        text += f" ({words('explain.lab_stimulated')})"
    return text


def _timeline(
    words: _Words, timeline: Timeline, params: RuleParameters
) -> list[tuple[date, int, str]]:
    events: list[tuple[date, int, str]] = []
    for surgery in timeline.surgeries:
        procedure = words.name("procedure", surgery.procedure.value)
        events.append((surgery.date, 0, words("explain.surgery", procedure=procedure)))
    for course in timeline.courses:
        mci, gbq = _activity(words, course.record.activity_mbq)
        total_mci, total_gbq = _activity(words, course.cumulative_mbq)
        text = words(
            "explain.course",
            number=course.number,
            mci=mci,
            gbq=gbq,
            cumulative_mci=total_mci,
            cumulative_gbq=total_gbq,
        )
        extra = []
        if course.record.stimulation is not None:
            stimulation = words.name("stimulation", course.record.stimulation.value)
            extra.append(words("explain.course_stimulation", stimulation=stimulation))
        if course.record.tsh_miu_l is not None:
            extra.append(
                words("explain.course_tsh", value=words.number(course.record.tsh_miu_l, 2))
            )
        events.append((course.date, 1, text + ("; " + "; ".join(extra) if extra else "")))
    for study in timeline.imaging:
        events.append((study.date, 2, _study(words, study, timeline, params)))
    labs_by_day: dict[date, list[str]] = {}
    for lab in timeline.labs:
        labs_by_day.setdefault(lab.date, []).append(_lab(words, lab))
    events += [(day, 3, "; ".join(texts)) for day, texts in labs_by_day.items()]
    for mdt in timeline.mdt:
        items = ", ".join(words.name("recommendation", r.value) for r in mdt.recommendations)
        events.append((mdt.date, 4, words("explain.mdt", recommendations=items)))
    return sorted(events, key=lambda e: (e[0], e[1]))


def _tnm(patient: Patient) -> str:
    parts = [c.value if c is not None else "" for c in (patient.t, patient.n, patient.m)]
    return " ".join(p for p in parts if p) or "TNM —"


def _verdict(words: _Words, result: Classification) -> list[Section]:
    status = words.name("status", result.status)
    lines = [words("explain.status", status=status)]
    if result.onset_date is not None and result.primary_criterion is not None:
        criterion = words.name("criterion", result.primary_criterion.value)
        lines.append(
            words("explain.onset", date=words.date(result.onset_date), criterion=criterion)
        )
    sections = [Section(words("explain.verdict"), tuple(lines))]
    met, details = [], []
    for occurrence in result.criteria:
        confirmation = words("explain.confirmed" if occurrence.confirmed else "explain.unconfirmed")
        flags = [words.name("flag", f) for f in sorted(occurrence.flags)]
        if flags:
            confirmation += f" ({'; '.join(flags)})"
        met.append(
            words(
                "explain.criterion_line",
                criterion=words.name("criterion", occurrence.criterion.value),
                date=words.date(occurrence.date),
                confirmation=confirmation,
            )
        )
        details.append(
            tuple(words.report.evidence(e.code, dict(e.params)) for e in occurrence.evidence)
        )
    if not met:
        met, details = [words("explain.none_met")], [()]
    sections.append(Section(words("explain.criteria_met"), tuple(met), tuple(details)))
    if result.not_evaluable:
        lines = [
            words(
                "explain.not_evaluable_line",
                criterion=words.name("criterion", criterion.value),
                reason=words.name("reason", reason),
            )
            for criterion, reason in result.not_evaluable
        ]
        sections.append(Section(words("explain.not_evaluable"), tuple(lines)))
    sections.append(Section(words("explain.staging"), tuple(_staging(words, result))))
    if result.warnings:
        sentences = [words.report.evidence(w.code, dict(w.params)) for w in result.warnings]
        sections.append(Section(words("explain.warnings"), tuple(sentences)))
    return sections


def _staging(words: _Words, result: Classification) -> list[str]:
    stage = result.stage
    lines = [
        words("explain.stage", edition=stage.edition, stage=stage.stage)
        if stage.stage is not None
        else words(
            "explain.no_stage", edition=stage.edition, reason=words.name("reason", stage.reason)
        )
    ]
    risk = result.risk
    if risk.category is not None:
        text = words("explain.risk", risk=words.name("risk", risk.category))
        flags = [words.name("flag", f) for f in risk.flags]
        lines.append(text + (f" ({'; '.join(flags)})" if flags else ""))
    else:
        lines.append(words("explain.no_risk", reason=words.name("reason", risk.reason)))
    response = result.response
    if response.category is not None:
        text = words("explain.response", response=words.name("response", response.category))
        flags = [words.name("flag", f) for f in response.flags]
        lines.append(text + (f" ({'; '.join(flags)})" if flags else ""))
    else:
        lines.append(words("explain.no_response", reason=words.name("reason", response.reason)))
    mci, gbq = _activity(words, result.cumulative_activity_mbq)
    if result.follow_up_months is not None:
        lines.append(words("explain.activity", mci=mci, gbq=gbq, months=result.follow_up_months))
    else:
        lines.append(words("explain.activity_no_follow_up", mci=mci, gbq=gbq))
    return lines


def explanation(
    patient: Patient,
    as_of: date,
    params: RuleParameters = DEFAULT_PARAMETERS,
    lang: str = "en",
) -> Explanation:
    """The explanation of one patient as of a date (records after it are not used)."""
    from rairtc import __version__

    words = _Words(lang)
    timeline = build_timeline(patient, as_of, params)
    result = classify(patient, as_of, params)
    summary = words(
        "explain.patient_line",
        sex=words.name("sex", patient.sex.value),
        birth_year=patient.birth_date.year,
        histology=words.name("histology", patient.histology.value),
        diagnosis_date=words.date(patient.diagnosis_date),
        tnm=_tnm(patient),
    )
    events = _timeline(words, timeline, params)
    return Explanation(
        title=words("explain.title", patient=patient.id, date=words.date(as_of)),
        summary=summary,
        timeline=tuple((words.date(day), text) for day, _, text in events),
        sections=tuple(_verdict(words, result)),
        footer=words(
            "explain.footer", version=__version__, rule_set=RULE_SET, date=words.date(as_of)
        ),
    )
