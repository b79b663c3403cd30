"""The published study's analysed cohort, rebuilt from dated records (``replication.md``).

229 patients: the study's own cases (patients G. and I., the two women above 600 mCi, and the
two illustrative cases of ``examples/``) and 223 patients from the generator. A calibration step
chooses, for each generated patient, the attributes that make every published count exact
(sex, histology, AJCC 7 stage, metastases, recurrence, course number, the progression patients'
histology, and an age sum that gives a mean of 49); the generator then writes the dated records
and the classifier finds the refractoriness in them. Nothing is a label: ``verify`` recounts
everything from the records.

:func:`build_frame` rebuilds the study frame around it: 445 eligible records and 26 ineligible
ones, from which the Epi Info sample of 229 (97 % confidence, 50 % expected, 5 % margin) is
drawn by rairtc's reproducible draw with ``SAMPLE_SEED``; the calibrated patients are placed
at the positions the draw picks, so the drawn sample is exactly the calibrated cohort.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from importlib.resources import files
from typing import Any

import numpy as np

from rairtc.core.errors import CalibrationError as CalibrationError  # re-exported
from rairtc.core.parameters import DEFAULT_PARAMETERS, RuleParameters
from rairtc.core.records import Patient
from rairtc.core.rules.classify import classify
from rairtc.study.eligibility import Period, eligibility
from rairtc.study.published import CRITERIA, PROGRESSION_HISTOLOGY, SEED_ANALYSED, TABLE1
from rairtc.study.variables import StudyRow, derive
from rairtc.synth.generator import generate
from rairtc.synth.patients import SCENARIOS
from rairtc.synth.tables import to_patients

REPLICA_SEED = 2024
FRAME_SEED = 2025  # the 216 eligible patients not sampled and the 26 ineligible records
# The first seed from 1 whose draw of 229 of 445 takes the six published cases (their ids sort
# after every generated "REP-" id, so they hold the last six positions of the frame).
SAMPLE_SEED = 24
FRAME_ELIGIBLE = 445
# The ineligible records, as in the demo registry: no 2023 course, age, not differentiated.
FRAME_INELIGIBLE = {"out_of_period": 14, "age": 9, "histology": 3}
AS_OF = date(2024, 12, 31)
PERIOD = Period(date(2023, 1, 1), date(2023, 12, 31))
EDITION = 7  # replication.md: the published stage mix is plausible only under AJCC 7
AGE_MEAN_TARGET = 49
PROGRESSION = "progression_despite_uptake"


AGE_NUDGE_LIMIT = 20_000
"""Most one-year nudges the age calibration may make (it needs a few hundred); reaching the
bound means the published mean cannot be met within the ages allowed, a bug."""


def replica_parameters() -> RuleParameters:
    return DEFAULT_PARAMETERS.with_(staging_edition=EDITION)


def published_cases() -> list[Patient]:
    text = files("rairtc.synth").joinpath("published_cases.json").read_text(encoding="utf-8")
    return [Patient.model_validate(p) for p in json.loads(text)]


def rows_of(patients: list[Patient], params: RuleParameters) -> list[StudyRow]:
    flow = eligibility(patients, period=PERIOD, as_of=AS_OF, params=params)
    return [derive(e, classify(e.patient, AS_OF, params), params) for e in flow.eligible]


def _remaining(fixed: list[StudyRow]) -> dict[str, Counter[str]]:
    """Published counts minus what the fixed cases already give."""
    out: dict[str, Counter[str]] = {}
    for (variable, level), published in TABLE1.items():
        out.setdefault(variable, Counter())[level] = published.n
    for row in fixed:
        for variable in out:
            out[variable][str(getattr(row, variable))] -= 1
    return out


def plan_for(fixed: list[StudyRow], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The calibration step: attributes of the generated patients that make the counts exact."""
    need = _remaining(fixed)
    size = SEED_ANALYSED - len(fixed)
    progression = CRITERIA[PROGRESSION].n - sum(
        1 for r in fixed if r.primary_criterion == PROGRESSION
    )
    # Stage and metastases as (stage, metastases) slots; every progression patient has nodes.
    yes = need["metastases"]["yes"]
    stage = need["stage"]
    iv = stage["IV"]
    iii_yes = min(stage["III"], (yes - iv) // 2)
    i_yes = yes - iv - iii_yes
    slots = (
        [("I", "yes")] * i_yes
        + [("I", "no")] * (stage["I"] - i_yes)
        + [("II", "no")] * stage["II"]
        + [("III", "yes")] * iii_yes
        + [("III", "no")] * (stage["III"] - iii_yes)
        + [("IV", "yes")] * iv
    )
    if len(slots) != size or min(i_yes, stage["I"] - i_yes, iii_yes) < 0:
        raise CalibrationError(f"stage and metastasis counts cannot be met: {need}")
    order = rng.permutation(size)
    slots = [slots[i] for i in order]
    yes_slots = [i for i, (_, m) in enumerate(slots) if m == "yes"]
    progression_slots = set(rng.choice(yes_slots, size=progression, replace=False).tolist())
    scenario = np.array(
        [
            SCENARIOS.index("progression")
            if i in progression_slots
            else SCENARIOS.index("nodal")
            if slots[i][1] == "yes"
            else SCENARIOS.index("remnant")
            for i in range(size)
        ]
    )
    # Histology: the progression patients' 12 papillary / 6 follicular first.
    fixed_progression = Counter(r.histology for r in fixed if r.primary_criterion == PROGRESSION)
    papillary_progression = PROGRESSION_HISTOLOGY["papillary"] - fixed_progression["papillary"]
    histology = np.full(size, "follicular", dtype=object)
    prog = sorted(progression_slots)
    histology[prog[:papillary_progression]] = "papillary"
    others = [i for i in range(size) if i not in progression_slots]
    chosen = rng.choice(
        others, size=need["histology"]["papillary"] - papillary_progression, replace=False
    )
    histology[chosen] = "papillary"
    female = np.ones(size, dtype=bool)
    female[rng.choice(size, size=need["sex"]["male"], replace=False)] = False
    recurrence = np.zeros(size, dtype=bool)
    recurrence[rng.choice(size, size=need["recurrence"]["yes"], replace=False)] = True
    courses = [
        int(level) - 1
        for level, count in sorted(need["course_number"].items())
        for _ in range(count)
    ]
    n_prior = rng.permutation(np.array(courses, dtype=int))
    young = np.array([s == "I" for s, _ in slots])
    t, n, m = _tnm_for(slots, rng)
    age = _ages(young, n_prior, fixed, rng)
    return {
        "scenario": scenario,
        "histology": histology,
        "female": female,
        "recurrence": recurrence,
        "n_prior": n_prior,
        "age": age,
        "t": t,
        "n": n,
        "m": m,
        "distant": np.zeros(size, dtype=bool),
    }


def _tnm_for(slots: list[tuple[str, str]], rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """AJCC 7 T, N, M for each slot: under 45 at diagnosis everything M0 is stage I; from 45,
    T2 N0 is II, T3 N0 or N1a is III, N1b is IVA."""
    t, n, m = [], [], []
    for stage, metastases in slots:
        if stage == "I":
            t.append(str(rng.choice(["T1a", "T1b", "T2", "T3a"])))
            n.append(str(rng.choice(["N1a", "N1b"])) if metastases == "yes" else "N0")
        elif stage == "II":
            t.append("T2")
            n.append("N0")
        elif stage == "III":
            t.append(str(rng.choice(["T1b", "T2"])) if metastases == "yes" else "T3a")
            n.append("N1a" if metastases == "yes" else "N0")
        else:
            t.append(str(rng.choice(["T1b", "T2"])))
            n.append("N1b")
        m.append("M0")
    return tuple(np.array(v, dtype=object) for v in (t, n, m))


def _ages(
    young: np.ndarray, n_prior: np.ndarray, fixed: list[StudyRow], rng: np.random.Generator
) -> np.ndarray:
    """Ages at the index admission: young slots under 45 at diagnosis, the others well above,
    then nudged one year at a time until the cohort's mean is exactly the published 49, with
    the published minimum 18 and maximum 80."""
    low = np.where(young, 18, 50 + n_prior)
    high = np.where(young, 43 + n_prior, 80)
    age = np.where(young, rng.integers(22, 40, len(young)), rng.integers(52, 72, len(young)))
    age = np.clip(age + np.where(young, 0, n_prior), low, high)
    first_young, first_old = int(np.flatnonzero(young)[0]), int(np.flatnonzero(~young)[0])
    age[first_young], age[first_old] = 18, 80
    target = AGE_MEAN_TARGET * SEED_ANALYSED - sum(r.age for r in fixed)
    movable = [i for i in range(len(age)) if i not in (first_young, first_old)]
    reachable = int(low[movable].sum()) + 18 + 80 <= target <= int(high[movable].sum()) + 18 + 80
    nudges = 0
    while reachable and age.sum() != target and nudges < AGE_NUDGE_LIMIT:
        step = 1 if age.sum() < target else -1
        i = int(rng.choice(movable))
        if low[i] <= age[i] + step <= high[i]:
            age[i] += step
        nudges += 1
    if age.sum() != target:
        raise CalibrationError(
            f"ages cannot reach the published mean {AGE_MEAN_TARGET} (sum {int(age.sum())}, "
            f"target {target}) within {AGE_NUDGE_LIMIT} one-year nudges"
        )
    result: np.ndarray = age
    return result


def build_replica(seed: int = REPLICA_SEED) -> list[Patient]:
    """The 229 patients: the published cases first, then the calibrated generated ones."""
    params = replica_parameters()
    cases = published_cases()
    fixed = rows_of(cases, params)
    rng = np.random.Generator(np.random.PCG64(seed))
    plan = plan_for(fixed, rng)
    size = len(plan["age"])
    columns = generate(
        0, seed, ineligible=np.full(size, "", dtype=object), prefix="REP-", plan=plan
    )
    generated = to_patients(columns, today=date(2025, 1, 1))
    cohort = cases + generated
    verify(cohort, params)
    return cohort


def build_frame(cohort: list[Patient] | None = None) -> list[Patient]:
    """The 471 records of the study frame: the calibrated cohort at the positions the Epi Info
    draw picks, 216 further eligible patients at the others, and 26 ineligible records."""
    from rairtc.study.sampling import draw_sample

    cohort = build_replica() if cohort is None else cohort
    cases = [p for p in cohort if not p.id.startswith("REP-")]
    calibrated = [p for p in cohort if p.id.startswith("REP-")]
    n_generated = FRAME_ELIGIBLE - len(cases)
    ids = [f"REP-{position:04d}" for position in range(n_generated)]
    drawn = set(draw_sample(ids + sorted(p.id for p in cases), len(cohort), SAMPLE_SEED))
    if not {p.id for p in cases} <= drawn:
        raise CalibrationError(f"seed {SAMPLE_SEED} does not draw the published cases")
    kinds = [""] * (n_generated - len(calibrated)) + [
        kind for kind, count in FRAME_INELIGIBLE.items() for _ in range(count)
    ]
    columns = generate(0, FRAME_SEED, ineligible=np.asarray(kinds, dtype=object), prefix="FRM-")
    others = to_patients(columns, today=date(2025, 1, 1))
    eligible_others = others[: n_generated - len(calibrated)]
    ineligible = others[n_generated - len(calibrated) :]
    chosen = iter(calibrated)
    rest = iter(eligible_others)
    frame = [
        next(chosen if ident in drawn else rest).model_copy(update={"id": ident}) for ident in ids
    ]
    frame += cases
    frame += [
        p.model_copy(update={"id": f"REP-{FRAME_ELIGIBLE + k:04d}"})
        for k, p in enumerate(ineligible)
    ]
    return frame


def aligned_timeline(patient: Patient) -> tuple[object, ...]:
    """A patient's records with dates replaced by days since the first I-131 course."""
    first = min(c.date for c in patient.rai_courses)

    def days(day: date) -> int:
        return (day - first).days

    return (
        days(patient.birth_date),
        days(patient.diagnosis_date),
        tuple(sorted((days(s.date), s.procedure.value) for s in patient.surgeries)),
        tuple(sorted((days(c.date), float(c.activity_mbq)) for c in patient.rai_courses)),
        tuple(
            sorted(
                (
                    days(s.date),
                    s.modality.value,
                    tuple(sorted(repr(f.model_dump(exclude={"id"})) for f in s.findings)),
                )
                for s in patient.imaging
            )
        ),
        tuple(sorted((days(lab.date), lab.test.value, lab.value) for lab in patient.labs)),
    )


def verify(cohort: list[Patient], params: RuleParameters) -> dict[str, Any]:
    """Recount every published figure from the records; raise if one differs."""
    rows = rows_of(cohort, params)
    counts = {key: sum(1 for r in rows if str(getattr(r, key[0])) == key[1]) for key in TABLE1}
    wrong: dict[str, tuple[object, object]] = {
        f"{v}/{lvl}": (counts[(v, lvl)], p.n)
        for (v, lvl), p in TABLE1.items()
        if counts[(v, lvl)] != p.n
    }
    mean_age = sum(r.age for r in rows) / len(rows)
    if (
        round(mean_age) != AGE_MEAN_TARGET
        or min(r.age for r in rows) != 18
        or max(r.age for r in rows) != 80
    ):
        wrong["age"] = (mean_age, AGE_MEAN_TARGET)
    if len(rows) != SEED_ANALYSED:
        wrong["analysed"] = (len(rows), SEED_ANALYSED)
    primary = Counter(r.primary_criterion for r in rows if r.status == "refractory")
    for criterion, published in CRITERIA.items():
        if primary.get(criterion, 0) != published.n:
            wrong[f"criteria/{criterion}"] = (primary.get(criterion, 0), published.n)
    progression = Counter(r.histology for r in rows if r.primary_criterion == PROGRESSION)
    if dict(progression) != PROGRESSION_HISTOLOGY:
        wrong["progression histology"] = (dict(progression), PROGRESSION_HISTOLOGY)
    above_600 = sorted(
        (r.age, r.histology, r.sex, r.course_number)
        for r in rows
        if r.primary_criterion == "cumulative_activity"
    )
    if above_600 != [(36, "follicular", "female", 5), (65, "papillary", "female", 5)]:
        wrong["above 600 mCi"] = (
            above_600,
            "women of 36 and 65, follicular and papillary, 5 courses",
        )
    refractory = {r.patient_id for r in rows if r.status == "refractory"}
    for case in ("case-G", "case-I"):
        if case not in refractory:
            wrong[case] = ("missing or not refractory", "refractory")
    timelines = Counter(aligned_timeline(p) for p in cohort)
    if max(timelines.values()) > 1:
        wrong["timelines"] = ("two patients share a timeline", "every timeline distinct")
    if wrong:
        raise CalibrationError(f"the replica does not give the published counts: {wrong}")
    return {"rows": len(rows)}
