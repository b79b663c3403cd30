"""One analysed patient reduced to what the study keeps: the derived row, the criteria counted
for the breakdown, the verdicts under the sensitivity presets and, for a refractory patient,
the full classification (results.json lists it with its evidence).

The patient's records are not kept, so a registry is analysed a chunk at a time. The
reference engine classifies here, ordering and linking the records once for the main
analysis, the presets whose changes leave the timeline as it is, and the row. With the bulk
engine the classifications arrive as :class:`BulkOutcome` and the reference engine runs only
for the refractory patients' details.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from rairtc.core.parameters import RuleParameters
from rairtc.core.rules.classify import Classification, Status, classify_timeline
from rairtc.core.rules.terms import Criterion
from rairtc.core.rules.timeline import build_timeline, timeline_parameters
from rairtc.study.eligibility import Eligible
from rairtc.study.sensitivity import Preset, Verdict, verdict, verdicts
from rairtc.study.variables import Outcome, StudyRow, derive_row


@dataclass(frozen=True, slots=True)
class Analysed:
    row: StudyRow  # carries the status, the primary criterion and the onset
    counted: frozenset[Criterion]  # criteria met and counted as met (the criteria breakdown)
    varied: tuple[Verdict, ...]  # the verdict under each sensitivity preset, in order
    details: dict[str, Any] | None  # the classification of a refractory patient, else None

    @property
    def verdict(self) -> Verdict:
        return verdict(self.row.status, _criterion(self.row.primary_criterion))


@dataclass(frozen=True)
class BulkOutcome:
    """A patient's classifications by the bulk engine: the main one and each preset's verdict
    (``None`` for a preset that is the main analysis)."""

    outcome: Outcome
    counted: frozenset[Criterion]
    varied: tuple[Verdict | None, ...]


@cache
def counted_set(criteria: frozenset[Criterion]) -> frozenset[Criterion]:
    """The one shared set for a combination of criteria."""
    return criteria


def _criterion(value: str | None) -> Criterion | None:
    return None if value is None else Criterion(value)


def counted(classification: Classification, params: RuleParameters) -> frozenset[Criterion]:
    """The criteria the breakdown counts for a refractory patient: met, and confirmed unless
    unconfirmed ones count as met."""
    if not classification.rair:
        return counted_set(frozenset())
    return counted_set(
        frozenset(
            o.criterion
            for o in classification.criteria
            if o.confirmed or params.count_unconfirmed_as_met
        )
    )


def shared(analysed: Analysed) -> Analysed:
    """The same result holding this process's shared verdicts and sets (a result sent back by
    a worker process arrives with copies of its own)."""
    return Analysed(
        analysed.row,
        counted_set(analysed.counted),
        verdicts(tuple(verdict(*v) for v in analysed.varied)),
        analysed.details,
    )


def analyse(
    eligible: Eligible, as_of: date, params: RuleParameters, chosen: Sequence[Preset]
) -> Analysed:
    """One patient by the reference engine: the main analysis and every preset."""
    patient = eligible.patient
    timeline = build_timeline(patient, as_of, params)
    main = classify_timeline(timeline, params)
    key = timeline_parameters(params)
    varied = []
    for preset in chosen:
        if preset.same:
            result = main
        elif timeline_parameters(preset.params) == key:
            result = classify_timeline(timeline, preset.params)
        else:
            result = classify_timeline(build_timeline(patient, as_of, preset.params), preset.params)
        varied.append(verdict(result.status, result.primary_criterion))
    return Analysed(
        row=derive_row(eligible, Outcome.of(main), as_of, params, timeline),
        counted=counted(main, params),
        varied=verdicts(tuple(varied)),
        details=main.as_dict() if main.rair else None,
    )


def analyse_bulk(
    eligible: Eligible, bulk: BulkOutcome, as_of: date, params: RuleParameters
) -> Analysed:
    """One patient classified by the bulk engine: the row from its records, the details of a
    refractory patient from the reference engine."""
    timeline = build_timeline(eligible.patient, as_of, params)
    main = bulk.outcome
    refractory = main.status == Status.REFRACTORY
    mine = verdict(main.status, main.primary_criterion)
    return Analysed(
        row=derive_row(eligible, main, as_of, params, timeline),
        counted=bulk.counted,
        varied=verdicts(tuple(mine if v is None else v for v in bulk.varied)),
        details=classify_timeline(timeline, params).as_dict() if refractory else None,
    )
