"""One study from a validated registry to ``results.json`` (``cli.md``, ``study``).

Eligibility flow, optional sampling, classification by the reference engine, derived
variables, Table 1, the refractory rate with its intervals, the criteria breakdown, the
comparisons and the time to refractoriness. Numbers are kept at full precision; rounding is
for the reports.
"""

from __future__ import annotations

import platform
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from importlib.metadata import version
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from rairtc.core.errors import StudyError as StudyError  # re-exported: raised here
from rairtc.core.parameters import RULE_SET, RULE_SET_VERSION, RuleParameters
from rairtc.core.records import Patient
from rairtc.core.rules.classify import STATUSES, Status
from rairtc.core.rules.terms import Criterion
from rairtc.study.analyse import Analysed, BulkOutcome, analyse, analyse_bulk, shared
from rairtc.study.comparisons import comparisons
from rairtc.study.eligibility import EXCLUSIONS, Eligible, Period, eligibility
from rairtc.study.parallel import forked_map
from rairtc.study.rates import evaluable_rate, refractory_rate
from rairtc.study.sample_size import sample_size
from rairtc.study.sampling import draw_sample
from rairtc.study.sensitivity import Preset, presets, sensitivity
from rairtc.study.survival import kaplan_meier, kaplan_meier_delayed_entry
from rairtc.study.table1 import table1
from rairtc.study.table1_by_group import table1_by_group

if TYPE_CHECKING:
    from rairtc.study.in_bulk import BulkTables


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
    # Processes that classify with the reference engine (forked; results are the same for
    # any number). 1 in a library call; the command line uses the machine's cores.
    workers: int = 1


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


NOT_STRATA = ("surgeries", "rai_courses", "imaging", "labs", "mdt")


def _strata_field(field: str) -> bool:
    return field in Patient.model_fields and field not in NOT_STRATA


def _stratum(patient: Patient, field: str) -> str:
    if not _strata_field(field):
        raise _error("study.strata_not_field", field=field)
    raw = getattr(patient, field)
    return "missing" if raw is None else str(getattr(raw, "value", raw))


def criteria_breakdown(analysed: Iterable[Analysed]) -> dict[str, dict[str, int]]:
    refractory = [a for a in analysed if a.row.status == Status.REFRACTORY]
    out = {}
    for criterion in Criterion:
        meets = sum(1 for a in refractory if criterion in a.counted)
        primary = sum(1 for a in refractory if a.row.primary_criterion == criterion.value)
        out[criterion.value] = {"any": meets, "primary": primary}
    return out


def choose_sample(
    frame_ids: Sequence[str], strata: Mapping[str, str] | None, options: StudyOptions
) -> tuple[list[str], int | None]:
    """The analysed ids and the sample size (None when every eligible patient is analysed);
    ``strata`` maps each eligible id to its value of ``options.strata`` (None when the field
    is not one a sample can be stratified by)."""
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
    if options.strata and frame_ids and strata is None:
        raise _error("study.strata_not_field", field=options.strata)
    drawn = strata if options.strata else None
    return draw_sample(sorted(frame_ids), size, options.seed, drawn), size


BATCH_SIZE = 4_000
"""Analysed patients handed to the worker processes at a time."""

Chunks = Callable[[], Iterable[Sequence[Patient]]]
"""A registry as chunks of validated patients; each call iterates it again from the start."""

T = TypeVar("T")


@runtime_checkable
class MappedChunks(Protocol):
    """A chunk source that can also apply a function to every chunk itself, possibly in
    worker processes that read the chunks (``rairtc study`` on a registry of tables): each
    pass reads and validates the registry on every core, and only the function's small
    results come back, in chunk order."""

    def __call__(self) -> Iterable[Sequence[Patient]]: ...

    def map(
        self,
        fn: Callable[[Sequence[Patient]], T],
        workers: int,
        only: frozenset[str] | None = None,
    ) -> Iterator[T]:
        """``fn`` of every chunk; with ``only``, the chunks need hold only those patients."""
        ...


def _each_chunk(chunks: Chunks, fn: Callable[[Sequence[Patient]], T], workers: int) -> Iterator[T]:
    """``fn`` of every chunk, in order: by the source's own workers when it has them."""
    if isinstance(chunks, MappedChunks):
        return chunks.map(fn, workers)
    return (fn(chunk) for chunk in chunks())


Progress = Callable[[Iterator[Any], int], Iterable[Any]]
"""Wraps the analysed patients (an iterator and its length): a progress display."""


@dataclass
class Frame:
    """The first pass: the eligibility flow's counts, the eligible ids and their strata."""

    records: int = 0
    excluded: Counter[str] = field(default_factory=Counter)
    ids: dict[str, None] = field(default_factory=dict)  # in registry order
    strata: dict[str, str] | None = None


def _frame_of(chunk: Sequence[Patient], options: StudyOptions, stratify: bool) -> Frame:
    """One chunk's part of the frame (a repeated id keeps its first place and its last
    stratum, as when the parts are joined)."""
    flow = eligibility(chunk, period=options.period, as_of=options.as_of, params=options.params)
    strata = None
    if stratify and options.strata is not None:
        field_name = options.strata
        strata = {e.patient.id: _stratum(e.patient, field_name) for e in flow.eligible}
    return Frame(
        flow.records,
        Counter(flow.counts()),
        {e.patient.id: None for e in flow.eligible},
        strata,
    )


def study_frame(chunks: Chunks, options: StudyOptions) -> Frame:
    """Pass 1: eligibility chunk by chunk, keeping ids and counts, never the patients."""
    stratify = (
        options.sample_ids is None
        and options.sample_size is not None
        and options.strata is not None
        and _strata_field(options.strata)
    )
    frame = Frame(strata={} if stratify else None)
    each = partial(_frame_of, options=options, stratify=stratify)
    for part in _each_chunk(chunks, each, options.workers):
        frame.records += part.records
        frame.excluded.update(part.excluded)
        frame.ids.update(part.ids)
        if frame.strata is not None and part.strata is not None:
            frame.strata.update(part.strata)
    return frame


def run_sample(patients: Sequence[Patient], options: StudyOptions) -> tuple[list[str], int]:
    """The drawn ids and the frame size, for ``rairtc sample``."""
    return run_sample_chunks(lambda: [patients], options)


def run_sample_chunks(chunks: Chunks, options: StudyOptions) -> tuple[list[str], int]:
    """:func:`run_sample` of a registry read chunk by chunk: the frame is the one pass 1 of
    the study finds (ids in registry order and their strata), so the draw is the same."""
    frame = study_frame(chunks, options)
    chosen, _ = choose_sample(list(frame.ids), frame.strata, options)
    return chosen, len(frame.ids)


def _analyse_chunk(
    chunk: Sequence[Patient],
    chosen: frozenset[str],
    options: StudyOptions,
    variants: Sequence[Preset],
    in_bulk: Mapping[str, BulkOutcome] | None,
) -> list[tuple[str, Analysed]]:
    """Pass 2 in a worker: the chunk's chosen patients analysed (the last of a repeated id
    wins, as in :func:`_analysed`), by the bulk engine's outcome when there is one."""
    wanted = [p for p in chunk if p.id in chosen]
    if not wanted:
        return []
    flow = eligibility(wanted, period=options.period, as_of=options.as_of, params=options.params)
    out = []
    for eligible in {e.patient.id: e for e in flow.eligible}.values():
        found = None if in_bulk is None else in_bulk.get(eligible.patient.id)
        if found is None:
            result = analyse(eligible, options.as_of, options.params, variants)
        else:
            result = analyse_bulk(eligible, found, options.as_of, options.params)
        out.append((eligible.patient.id, result))
    return out


def _analysed_by_workers(
    chunks: MappedChunks,
    chosen: Sequence[str],
    options: StudyOptions,
    variants: Sequence[Preset],
    in_bulk: Mapping[str, BulkOutcome] | None,
    progress: Progress,
) -> dict[str, Analysed]:
    """Pass 2 on the source's workers: each reads its chunks, only the chosen patients'
    rows where the reader can pick them, and analyses the chosen patients; the results come
    back in chunk order (the same as one process's)."""
    wanted = frozenset(chosen)
    each = partial(
        _analyse_chunk, chosen=wanted, options=options, variants=variants, in_bulk=in_bulk
    )
    results = (pair for part in chunks.map(each, options.workers, wanted) for pair in part)
    done: dict[str, Analysed] = {}
    for pid, result in progress(results, len(chosen)):
        done[pid] = shared(result)
    missing = frozenset(pid for pid in chosen if pid not in done)
    if missing:  # an id the reader's row filter did not recognise: read every row for them
        again = partial(
            _analyse_chunk, chosen=missing, options=options, variants=variants, in_bulk=in_bulk
        )
        for part in chunks.map(again, options.workers):
            done.update((pid, shared(result)) for pid, result in part)
    return done


def _analysed(chunks: Chunks, chosen: set[str], options: StudyOptions) -> Iterator[Eligible]:
    """Pass 2: the chosen patients as they come, chunk by chunk (the last of a repeated id
    wins, as in the first pass)."""
    for chunk in chunks():
        wanted = [p for p in chunk if p.id in chosen]
        if wanted:
            flow = eligibility(
                wanted, period=options.period, as_of=options.as_of, params=options.params
            )
            yield from {e.patient.id: e for e in flow.eligible}.values()


def run_study(
    patients: Sequence[Patient],
    options: StudyOptions,
    *,
    input_sha256: str,
    progress: Callable[[list[Eligible]], Iterable[Eligible]] = iter,
) -> dict[str, Any]:
    """results.json for a registry in memory; ``progress`` wraps the classification loop (a
    progress bar in the command line, nothing in a library call)."""
    return run_study_chunks(
        lambda: [patients],
        options,
        input_sha256=input_sha256,
        progress=lambda items, total: progress(list(items)),
    )


def _analysed_in_batches(
    chunks: Chunks,
    chosen: Sequence[str],
    options: StudyOptions,
    variants: Sequence[Preset],
    in_bulk: dict[str, BulkOutcome] | None,
    progress: Progress,
    batch_size: int,
) -> dict[str, Analysed]:
    """Pass 2 in this process: the chosen patients gathered ``batch_size`` at a time, those
    the reference engine classifies split over ``options.workers`` forked processes."""
    done: dict[str, Analysed] = {}
    by_reference = partial(analyse, as_of=options.as_of, params=options.params, chosen=variants)
    pending = iter(progress(_analysed(chunks, set(chosen), options), len(chosen)))
    while batch := list(islice(pending, batch_size)):
        reference = []
        for eligible in batch:
            found = None if in_bulk is None else in_bulk.pop(eligible.patient.id, None)
            if found is None:
                reference.append(eligible)
            else:
                done[eligible.patient.id] = analyse_bulk(
                    eligible, found, options.as_of, options.params
                )
        for eligible, result in zip(
            reference, forked_map(by_reference, reference, options.workers), strict=True
        ):
            done[eligible.patient.id] = shared(result)
    return done


def _no_progress(items: Iterator[Any], total: int) -> Iterable[Any]:
    return items


def run_study_chunks(
    chunks: Chunks,
    options: StudyOptions,
    *,
    input_sha256: str,
    bulk: Callable[[int], BulkTables | None] | None = None,
    progress: Progress = _no_progress,
    batch_size: int = BATCH_SIZE,
) -> dict[str, Any]:
    """results.json for a registry read chunk by chunk, holding one chunk of patients at a
    time: pass 1 finds the frame and draws the sample, pass 2 analyses the chosen patients.

    ``bulk``, asked after pass 1 with the number of patients to analyse (see
    :func:`rairtc.study.in_bulk.bulk_above`): the same registry as tables the bulk engine
    reads, which then classifies them (and each sensitivity preset), the reference engine
    giving only the refractory patients' details; or None, the reference engine classifying
    every analysed patient. Either way results.json is the same.

    A source that maps its own chunks (:class:`MappedChunks`) with ``options.workers`` > 1
    runs both passes on its workers: each reads, validates and analyses whole chunks. Any
    other source is read here, and the patients the reference engine classifies are split
    ``batch_size`` at a time over ``options.workers`` forked processes.
    """
    params = options.params
    frame = study_frame(chunks, options)
    chosen, size = choose_sample(list(frame.ids), frame.strata, options)
    variants = presets(params) if options.sensitivity else ()
    tables = None if bulk is None else bulk(len(chosen))
    in_bulk = None
    if tables is not None:
        from rairtc.study.in_bulk import classify_in_bulk

        in_bulk = classify_in_bulk(tables, chosen, options.as_of, params, variants)
    if isinstance(chunks, MappedChunks) and options.workers > 1:
        done = _analysed_by_workers(chunks, chosen, options, variants, in_bulk, progress)
    else:
        done = _analysed_in_batches(
            chunks, chosen, options, variants, in_bulk, progress, batch_size
        )
    analysed = [done.pop(pid) for pid in chosen]
    return results_json(
        options,
        input_sha256=input_sha256,
        frame=frame,
        chosen=chosen,
        size=size,
        analysed=analysed,
        variants=variants,
    )


def results_json(
    options: StudyOptions,
    *,
    input_sha256: str,
    frame: Frame,
    chosen: Sequence[str],
    size: int | None,
    analysed: Sequence[Analysed],
    variants: Sequence[Preset],
) -> dict[str, Any]:
    params = options.params
    population = len(frame.ids)
    rows = [a.row for a in analysed]
    statuses = Counter(r.status for r in rows)
    n_refractory = statuses[Status.REFRACTORY]
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
            "records": frame.records,
            "eligible": population,
            "sample_size": size,
            "sampled": len(chosen) if size is not None else None,
            "not_sampled": population - len(chosen) if size is not None else None,
            "analysed": len(analysed),
            "excluded": {code: frame.excluded[code] for code in EXCLUSIONS},
        },
        "provenance": provenance.as_dict(),
        "table1": table1(rows),
        "table1_by_group": table1_by_group(rows),
        "rair": refractory_rate(n_refractory, len(analysed), max(population, 1)),
        "rair_evaluable": evaluable_rate(
            n_refractory, len(analysed) - statuses.get(Status.INSUFFICIENT_DATA, 0)
        ),
        "criteria": criteria_breakdown(analysed),
        "status": {s: statuses.get(s, 0) for s in STATUSES},
        "comparisons": comparisons(rows),
        "survival": kaplan_meier(rows),
        "survival_delayed_entry": kaplan_meier_delayed_entry(rows),
        "sensitivity": sensitivity(
            variants,
            [r.patient_id for r in rows],
            [a.verdict for a in analysed],
            [a.varied for a in analysed],
        )
        if options.sensitivity
        else [],
        "refractory_patients": [a.details for a in analysed if a.details is not None],
        "distributions": {
            "age": {
                g: sorted(r.age for r in rows if r.status == g)
                for g in ("refractory", "not_refractory")
            }
        },
    }
