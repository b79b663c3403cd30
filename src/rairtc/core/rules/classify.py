"""The reference engine: one patient's full classification as of a date (``rules.md`` §3-7).

Status (§4): ``refractory`` when a confirmed criterion is met, ``possibly_refractory`` when
only unconfirmed ones are, ``insufficient_data`` for histologies the criteria do not apply to
or when nothing is met and no post-therapy study is on record, ``not_refractory`` otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from rairtc.core.codes import NOT_APPLICABLE_HISTOLOGIES, Histology
from rairtc.core.dates import whole_months_between
from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters
from rairtc.core.records import Patient
from rairtc.core.rules import (
    cumulative_activity,
    fdg_mismatch,
    no_uptake,
    nonavid_lesion,
    progression_despite_uptake,
)
from rairtc.core.rules.ata_response import Response, ata_response
from rairtc.core.rules.ata_risk import Risk, ata_risk
from rairtc.core.rules.evidence import Evidence
from rairtc.core.rules.occurrence import CriterionResult, Occurrence
from rairtc.core.rules.staging import Stage, stage_patient
from rairtc.core.rules.terms import PRIORITY, Criterion
from rairtc.core.rules.timeline import Timeline, build_timeline
from rairtc.core.units import MBQ_PER_MCI

CRITERIA: dict[Criterion, Callable[[Timeline, RuleParameters], CriterionResult]] = {
    Criterion.FDG_MISMATCH: fdg_mismatch.evaluate,
    Criterion.NO_UPTAKE: no_uptake.evaluate,
    Criterion.NONAVID_LESION: nonavid_lesion.evaluate,
    Criterion.PROGRESSION_DESPITE_UPTAKE: progression_despite_uptake.evaluate,
    Criterion.CUMULATIVE_ACTIVITY: cumulative_activity.evaluate,
}


class Status:
    REFRACTORY = "refractory"
    POSSIBLY_REFRACTORY = "possibly_refractory"
    NOT_REFRACTORY = "not_refractory"
    INSUFFICIENT_DATA = "insufficient_data"


STATUSES = (
    Status.REFRACTORY,
    Status.POSSIBLY_REFRACTORY,
    Status.NOT_REFRACTORY,
    Status.INSUFFICIENT_DATA,
)


@dataclass(frozen=True)
class Classification:
    patient_id: str
    as_of: date
    status: str
    onset_date: date | None
    primary_criterion: Criterion | None
    criteria: tuple[Occurrence, ...]
    not_evaluable: tuple[tuple[Criterion, str], ...]
    cumulative_activity_mbq: Decimal
    follow_up_months: int | None
    stage: Stage
    risk: Risk
    response: Response
    warnings: tuple[Evidence, ...]

    @property
    def rair(self) -> bool:
        return self.status == Status.REFRACTORY

    @property
    def cumulative_activity_mci(self) -> float:
        return float(round(self.cumulative_activity_mbq / MBQ_PER_MCI, 2))

    def as_dict(self, *, evidence: bool = True) -> dict[str, Any]:
        """The JSON object of ``cli.md`` (``classify --format json``)."""
        return {
            "patient_id": self.patient_id,
            "status": self.status,
            "rair": self.rair,
            "onset_date": None if self.onset_date is None else self.onset_date.isoformat(),
            "primary_criterion": None
            if self.primary_criterion is None
            else self.primary_criterion.value,
            "criteria": [
                {
                    "code": o.criterion.value,
                    "date": o.date.isoformat(),
                    "confirmed": o.confirmed,
                    "flags": sorted(o.flags),
                    "evidence": [e.as_dict() for e in o.evidence] if evidence else [],
                }
                for o in self.criteria
            ],
            "not_evaluable": [{"code": c.value, "reason": r} for c, r in self.not_evaluable],
            "cumulative_activity_mci": self.cumulative_activity_mci,
            "follow_up_months": self.follow_up_months,
            "stage": self.stage.stage,
            "stage_reason": self.stage.reason,
            "ata_risk": self.risk.category,
            "risk_flags": sorted(self.risk.flags),
            "response": self.response.category,
            "response_reason": self.response.reason,
            "response_flags": sorted(self.response.flags),
            "warnings": [e.as_dict() for e in self.warnings],
        }


def is_evaluable_histology(histology: Histology, params: RuleParameters) -> bool:
    """Differentiated carcinoma: not medullary or anaplastic, and poorly differentiated only
    with ``include_pdtc`` (``rules.md`` §4; the study's eligibility uses the same test)."""
    if histology in NOT_APPLICABLE_HISTOLOGIES:
        return False
    return not (histology is Histology.POORLY_DIFFERENTIATED and not params.include_pdtc)


def latest_record_date(timeline: Timeline) -> date | None:
    """The latest dated record up to as_of: any course, surgery, imaging, lab, MDT entry,
    ``last_follow_up`` or ``deceased_date`` (the end of follow-up)."""
    p = timeline.patient
    dates = [c.date for c in timeline.courses] + [s.date for s in timeline.surgeries]
    dates += [s.date for s in timeline.imaging] + [lab.date for lab in timeline.labs]
    dates += [m.date for m in timeline.mdt]
    dates += [
        d for d in (p.last_follow_up, p.deceased_date) if d is not None and d <= timeline.as_of
    ]
    return max(dates, default=None)


def follow_up_months(timeline: Timeline) -> int | None:
    """Whole months from the first I-131 course to the latest dated record up to as_of."""
    first = timeline.first_course
    latest = latest_record_date(timeline)
    if first is None or latest is None:
        return None
    return whole_months_between(first.date, latest)


def classify(
    patient: Patient, as_of: date, params: RuleParameters = DEFAULT_PARAMETERS
) -> Classification:
    """Classify one patient with only the records dated on or before ``as_of``."""
    return classify_timeline(build_timeline(patient, as_of, params), params)


def classify_timeline(timeline: Timeline, params: RuleParameters) -> Classification:
    """Classify from a timeline built under parameters whose
    :func:`~rairtc.core.rules.timeline.timeline_parameters` equal those of ``params``: one
    timeline serves several parameter sets (a sensitivity analysis)."""
    patient, as_of = timeline.patient, timeline.as_of
    stage = stage_patient(
        patient.birth_date,
        patient.diagnosis_date,
        patient.histology,
        patient.t,
        patient.n,
        patient.m,
        patient.extrathyroidal_extension,
        edition=params.staging_edition,
        age_cutoff=params.age_cutoff,
    )
    classification = Classification(
        patient_id=patient.id,
        as_of=as_of,
        status=Status.INSUFFICIENT_DATA,
        onset_date=None,
        primary_criterion=None,
        criteria=(),
        not_evaluable=tuple((c, "histology_not_differentiated") for c in Criterion),
        cumulative_activity_mbq=timeline.courses[-1].cumulative_mbq
        if timeline.courses
        else Decimal(0),
        follow_up_months=follow_up_months(timeline),
        stage=stage,
        risk=ata_risk(patient, timeline),
        response=ata_response(timeline, params),
        warnings=tuple(
            Evidence(
                "warning.post_therapy_study_ignored",
                {
                    "study": s.modality.value,
                    "date": s.date.isoformat(),
                    "max_days": params.post_therapy_max_days,
                },
            )
            for s in timeline.ignored_post_therapy
        ),
    )
    if not is_evaluable_histology(patient.histology, params):
        return classification
    results = [CRITERIA[c](timeline, params) for c in Criterion]
    counts_unconfirmed = params.count_unconfirmed_as_met
    reported = [(r, r.reported(counts_unconfirmed)) for r in results]
    met = [o for _, o in reported if o is not None]
    effective = [o for o in met if o.confirmed or counts_unconfirmed]
    if effective:
        status = Status.REFRACTORY
    elif met:
        status = Status.POSSIBLY_REFRACTORY
    elif not timeline.post_therapy_studies:
        status = Status.INSUFFICIENT_DATA
    else:
        status = Status.NOT_REFRACTORY
    primary = min(effective, key=lambda o: PRIORITY[o.criterion]) if effective else None
    return replace(
        classification,
        status=status,
        onset_date=min((o.date for o in effective), default=None),
        primary_criterion=None if primary is None else primary.criterion,
        criteria=tuple(sorted(met, key=lambda o: (o.date, PRIORITY[o.criterion]))),
        not_evaluable=tuple(
            (r.criterion, r.not_evaluable)
            for r in results
            if r.not_evaluable is not None and not r.met
        ),
    )
