"""One study from a validated registry to ``results.json`` (``cli.md``, ``study``).

Eligibility flow, optional sampling, classification by the reference engine, derived
variables, Table 1, the refractory rate with its intervals, the criteria breakdown, the
comparisons and the time to refractoriness. Numbers are kept at full precision; rounding is
for the reports.
"""

from __future__ import annotations

import platform
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from typing import Any

from rairtc.core.errors import StudyError as StudyError  # re-exported: raised here
from rairtc.core.parameters import RULE_SET, RULE_SET_VERSION, RuleParameters
from rairtc.core.records import Patient
from rairtc.core.rules.classify import STATUSES, Classification, classify
from rairtc.core.rules.terms import Criterion
from rairtc.study.comparisons import comparisons
from rairtc.study.eligibility import Eligible, Period, eligibility
from rairtc.study.rates import evaluable_rate, refractory_rate
from rairtc.study.sample_size import sample_size
from rairtc.study.sampling import draw_sample
from rairtc.study.sensitivity import sensitivity
from rairtc.study.survival import kaplan_meier, kaplan_meier_delayed_entry
from rairtc.study.table1 import table1
from rairtc.study.table1_by_group import table1_by_group
from rairtc.study.variables import derive


@dataclass(frozen=True)
class Survey:
    """The survey parameters of an Epi Info-sized sample (defaults: the published ones)."""

    confidence: float = 97.0
    expected: float = 50.0
    margin: float = 5.0


@dataclass(frozen=True)
class StudyOptions:
    as_of: date
    params: RuleParameters
    period: Period | None = None
    sample_ids: tuple[str, ...] | None = None
    sample_size: int | str | None = None  # a number, or "epiinfo"
    seed: int | None = None
    strata: str | None = None
    survey: Survey = Survey()
    provenance: Provenance | None = None
    # Classify every analysed patient again under each rule preset (about three times the
    # classification time); off for registries where only the main analysis is wanted.
    sensitivity: bool = True


@dataclass(frozen=True)
class Provenance:
    """Where the registry came from: a department's records (``synthetic=False``) or a
    generator (its name, seed and calibration targets)."""

    synthetic: bool
    generator: str | None = None
    seed: int | None = None
    calibration: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "synthetic": self.synthetic,
            "generator": self.generator,
            "seed": self.seed,
            "calibration": self.calibration,
        }


def software_versions() -> dict[str, str]:
    names = (
        "rairtc",
        "numpy",
        "scipy",
        "statsmodels",
        "lifelines",
        "firthmodels",
        "pandas",
        "pydantic",
    )
    return {"python": platform.python_version(), **{n: version(n) for n in names}}


def _error(code: str, **params: object) -> StudyError:
    """A study that cannot be run as asked, in English, carrying its code (rairtc.i18n) so that
    the command line says it in the user's language."""
    from rairtc.i18n import translate

    return StudyError(translate(code, params), code=code, params=params)


def _stratum(patient: Patient, field: str) -> str:
    if field not in Patient.model_fields or field in (
        "surgeries",
        "rai_courses",
        "imaging",
        "labs",
        "mdt",
    ):
        raise _error("study.strata_not_field", field=field)
    raw = getattr(patient, field)
    return "missing" if raw is None else str(getattr(raw, "value", raw))


def criteria_breakdown(
    results: Sequence[Classification], params: RuleParameters
) -> dict[str, dict[str, int]]:
    refractory = [r for r in results if r.rair]
    out = {}
    for criterion in Criterion:
        meets = sum(
            1
            for r in refractory
            if any(
                o.criterion is criterion and (o.confirmed or params.count_unconfirmed_as_met)
                for o in r.criteria
            )
        )
        primary = sum(1 for r in refractory if r.primary_criterion is criterion)
        out[criterion.value] = {"any": meets, "primary": primary}
    return out


def choose_sample(
    frame_ids: Sequence[str], frame: dict[str, Patient], options: StudyOptions
) -> tuple[list[str], int | None]:
    """The analysed ids and the sample size (None when every eligible patient is analysed)."""
    population = len(frame_ids)
    if options.sample_ids is not None:
        outside = sorted(set(options.sample_ids) - set(frame_ids))
        if outside:
            shown = ", ".join(outside[:10]) + (" ..." if len(outside) > 10 else "")
            raise _error("study.sample_not_eligible", count=len(outside), ids=shown)
        chosen = sorted(set(options.sample_ids))
        return chosen, len(chosen)
    if options.sample_size is None:
        return sorted(frame_ids), None
    if options.seed is None:
        raise _error("study.size_needs_seed")
    if options.sample_size == "epiinfo":
        s = options.survey
        size = (
            sample_size(population, s.expected, s.margin, s.confidence).n_total if population else 0
        )
    else:
        size = int(options.sample_size)
    strata = None
    if options.strata:
        strata = {pid: _stratum(frame[pid], options.strata) for pid in frame_ids}
    return draw_sample(sorted(frame_ids), size, options.seed, strata), size


def run_sample(patients: Sequence[Patient], options: StudyOptions) -> tuple[list[str], int]:
    """The drawn ids and the frame size, for ``rairtc sample``."""
    flow = eligibility(patients, period=options.period, as_of=options.as_of, params=options.params)
    frame = {e.patient.id: e.patient for e in flow.eligible}
    chosen, _ = choose_sample(sorted(frame), frame, options)
    return chosen, len(frame)


def run_study(
    patients: Sequence[Patient],
    options: StudyOptions,
    *,
    input_sha256: str,
    progress: Callable[[list[Eligible]], Iterable[Eligible]] = iter,
) -> dict[str, Any]:
    """results.json for a registry; ``progress`` wraps the classification loop (a progress bar
    in the command line, nothing in a library call)."""
    params = options.params
    flow = eligibility(patients, period=options.period, as_of=options.as_of, params=params)
    frame = {e.patient.id: e for e in flow.eligible}
    population = len(frame)
    chosen, size = choose_sample(sorted(frame), {k: e.patient for k, e in frame.items()}, options)
    analysed = [frame[pid] for pid in chosen]
    classified = [classify(e.patient, options.as_of, params) for e in progress(analysed)]
    rows = [derive(e, c, params) for e, c in zip(analysed, classified, strict=True)]
    statuses = Counter(c.status for c in classified)
    n_refractory = statuses["refractory"]
    provenance = options.provenance or Provenance(synthetic=False)
    return {
        "as_of": options.as_of.isoformat(),
        "rule_set": RULE_SET,
        "rule_set_version": RULE_SET_VERSION,
        "parameters": params.as_dict(),
        "software_version": version("rairtc"),
        "software": software_versions(),
        "input_sha256": input_sha256,
        "period": None
        if options.period is None
        else [options.period.start.isoformat(), options.period.end.isoformat()],
        "sampling": {
            "method": "file"
            if options.sample_ids is not None
            else ("pcg64" if options.sample_size is not None else None),
            "seed": options.seed,
            "size_rule": options.sample_size if isinstance(options.sample_size, str) else None,
            "survey": vars(options.survey) if options.sample_size == "epiinfo" else None,
            "strata": options.strata,
        },
        "flow": {
            "records": flow.records,
            "eligible": population,
            "sample_size": size,
            "sampled": len(chosen) if size is not None else None,
            "not_sampled": population - len(chosen) if size is not None else None,
            "analysed": len(analysed),
            "excluded": flow.counts(),
        },
        "provenance": provenance.as_dict(),
        "table1": table1(rows),
        "table1_by_group": table1_by_group(rows),
        "rair": refractory_rate(n_refractory, len(analysed), max(population, 1)),
        "rair_evaluable": evaluable_rate(
            n_refractory, len(analysed) - statuses.get("insufficient_data", 0)
        ),
        "criteria": criteria_breakdown(classified, params),
        "status": {s: statuses.get(s, 0) for s in STATUSES},
        "comparisons": comparisons(rows),
        "survival": kaplan_meier(rows),
        "survival_delayed_entry": kaplan_meier_delayed_entry(rows),
        "sensitivity": sensitivity([e.patient for e in analysed], classified, options.as_of, params)
        if options.sensitivity
        else [],
        "refractory_patients": [c.as_dict() for c in classified if c.rair],
        "distributions": {
            "age": {
                g: sorted(r.age for r in rows if r.status == g)
                for g in ("refractory", "not_refractory")
            }
        },
    }
