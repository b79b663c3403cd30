"""ATA 2015 response to therapy after total thyroidectomy and I-131 (``rules.md`` §7).

Assessed as of ``as_of`` from the imaging, Tg and TgAb of the last ``response_window_months``.
The rules are tried in order and the first that matches wins: structural incomplete,
biochemical incomplete, indeterminate, excellent; otherwise the response is not assessable
and a reason says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from rairtc.core.codes import NOT_APPLICABLE_HISTOLOGIES, FindingKind, LabTest
from rairtc.core.dates import add_months
from rairtc.core.parameters import RuleParameters
from rairtc.core.records import Imaging, Lab
from rairtc.core.rules.terms import is_disease, same_site
from rairtc.core.rules.timeline import Timeline


class TgLevel(IntEnum):
    """What one Tg value says, worst last (the worse of two values wins)."""

    EXCELLENT = 0
    INDETERMINATE = 1
    INCOMPLETE = 2


@dataclass(frozen=True)
class Response:
    category: str | None
    reason: str | None
    flags: tuple[str, ...] = ()


def _below(lab: Lab, threshold: float) -> bool:
    """Provably below ``threshold``: a value flagged ``below_limit`` is below any threshold
    at or above its limit; with its limit above the threshold it proves neither side of it
    (and, never reaching a threshold either, gives indeterminate)."""
    return lab.value <= threshold if lab.below_limit else lab.value < threshold


def _at_least(lab: Lab, threshold: float) -> bool:
    return not lab.below_limit and lab.value >= threshold


def tg_level(lab: Lab, params: RuleParameters) -> TgLevel:
    if lab.stimulated:
        incomplete, excellent = params.tg_stimulated_incomplete, params.tg_stimulated_excellent
    else:
        incomplete, excellent = params.tg_suppressed_incomplete, params.tg_suppressed_excellent
    if _at_least(lab, incomplete):
        return TgLevel.INCOMPLETE
    if _below(lab, excellent):
        return TgLevel.EXCELLENT
    return TgLevel.INDETERMINATE


def on_latest_date(labs: list[Lab]) -> list[Lab]:
    """The values of the latest date (labs come in date order). Two Tg values of one kind on
    one date are both judged and the worse level kept: the higher value, and a measured value
    is never outweighed by a below-limit one whose limit merely lies above it."""
    return [lab for lab in labs if lab.date == labs[-1].date] if labs else []


def _tgab_weight(lab: Lab) -> tuple[int, float]:
    status = tgab_positive(lab)
    return (0 if status is False else 1 if status is None else 2), lab.value


def one_per_date(tgab: list[Lab]) -> list[Lab]:
    """One TgAb value per date, the one that weighs most (positive, then unknown, then
    negative; the higher value), so that two values of one day are never read as a rise."""
    by_date: dict[date, Lab] = {}
    for lab in tgab:
        kept = by_date.get(lab.date)
        if kept is None or _tgab_weight(lab) > _tgab_weight(kept):
            by_date[lab.date] = lab
    return list(by_date.values())


def tgab_positive(lab: Lab) -> bool | None:
    if lab.below_limit:
        return False
    if lab.assay_upper_normal is None:
        return None
    return lab.value > lab.assay_upper_normal


def _unresolved_disease(studies: list[Imaging]) -> bool:
    """A disease finding not cleared by a later study of the same modality in the window."""
    for i, study in enumerate(studies):
        later = [
            s for s in studies[i + 1 :] if s.modality is study.modality and s.date > study.date
        ]
        for finding in study.findings:
            if not is_disease(finding):
                continue
            cleared = any(
                not any(is_disease(g) and same_site(finding, g) for g in s.findings) for s in later
            )
            if not cleared:
                return True
    return False


def ata_response(timeline: Timeline, params: RuleParameters) -> Response:
    if timeline.patient.histology in NOT_APPLICABLE_HISTOLOGIES:
        return Response(None, "histology_not_applicable")
    start = add_months(timeline.as_of, -params.response_window_months)
    studies = [s for s in timeline.imaging if start <= s.date <= timeline.as_of]
    if not studies:
        return Response(None, "no_recent_imaging")
    if _unresolved_disease(studies):
        return Response("structural_incomplete", None)
    labs = [lab for lab in timeline.labs if start <= lab.date]
    tg = [lab for lab in labs if lab.test is LabTest.TG]
    level = max(
        (
            tg_level(lab, params)
            for kind in ([x for x in tg if not x.stimulated], [x for x in tg if x.stimulated])
            for lab in on_latest_date(kind)
        ),
        default=None,
    )
    tgab = one_per_date([lab for lab in labs if lab.test is LabTest.TGAB])
    tgab_status = tgab_positive(tgab[-1]) if tgab else None
    rising = (
        len(tgab) >= 2
        and tgab_status is True
        and (tgab[-1].value - tgab[-2].value) >= params.tgab_rise_fraction * tgab[-2].value
        and tgab[-1].value > tgab[-2].value
    )
    if level is TgLevel.INCOMPLETE or rising:
        return Response("biochemical_incomplete", None)
    indeterminate_finding = any(
        f.kind is FindingKind.INDETERMINATE for s in studies for f in s.findings
    )
    if indeterminate_finding or level is TgLevel.INDETERMINATE or tgab_status is True:
        return Response("indeterminate", None)
    if level is TgLevel.EXCELLENT:
        if tgab_status is False:
            return Response("excellent", None)
        return Response("indeterminate", None, ("tgab_unknown",))
    return Response(None, "no_tg")
