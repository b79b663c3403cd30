"""Patient-level draws of the synthetic registry, vectorised with numpy: who each patient is
(sex, age, histology, TNM), which clinical course the records will show (the scenario), how
many I-131 courses came before the index admission, and the key dates.

Scenarios are the generator's plan only; they are never written. A ``progression`` patient
gets avid disease on a post-therapy scan and new foci a year later, and it is the classifier
that then finds ``progression_despite_uptake``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rairtc.synth.targets import Targets

SCENARIOS = ("remnant", "nodal", "progression", "cumulative", "nonavid", "flipflop", "unconfirmed")
REFRACTORY_SCENARIOS = ("progression", "cumulative", "nonavid", "flipflop")
KINDS_OF_INELIGIBLE = ("out_of_period", "age", "histology")


@dataclass
class PatientDraws:
    """One array per attribute, one element per patient."""

    ids: np.ndarray
    scenario: np.ndarray  # index into SCENARIOS
    ineligible: np.ndarray  # "" or one of KINDS_OF_INELIGIBLE
    female: np.ndarray
    age: np.ndarray  # completed years at the index admission
    histology: np.ndarray
    n_prior: np.ndarray  # courses before the index course
    after_course: np.ndarray  # a course about a year after the index course (progression)
    index_date: np.ndarray  # datetime64[D]
    birth: np.ndarray
    recurrence: np.ndarray
    side: np.ndarray  # "left"/"right": where the disease is
    distant: np.ndarray  # avid disease in the lung rather than the neck
    t: np.ndarray
    n: np.ndarray
    m: np.ndarray
    tgab_positive: np.ndarray


def _choice(
    rng: np.random.Generator, options: list[str] | tuple[str, ...], p: list[float], size: int
) -> np.ndarray:
    return np.asarray(options, dtype=object)[
        rng.choice(len(options), size=size, p=np.asarray(p) / sum(p))
    ]


def scenario_shares(targets: Targets) -> np.ndarray:
    shares = dict(targets.scenarios)
    refractory = (
        sum(v for k, v in shares.items() if k in REFRACTORY_SCENARIOS) + shares["unconfirmed"]
    )
    sensitive = 1 - refractory
    shares["nodal"] = sensitive * targets.nodal_sensitive
    shares["remnant"] = sensitive - shares["nodal"]
    return np.array([shares[s] for s in SCENARIOS])


def course_number_shares(targets: Targets, cumulative_share: float) -> np.ndarray:
    """Courses before the index for non-cumulative patients, so that with the cumulative ones
    (always fifth) the overall distribution is the seed's."""
    p = np.array(targets.course_number, dtype=float)
    p = p / p.sum()
    p[4] = max(p[4] - cumulative_share, 0.0)
    shares: np.ndarray = p / p.sum()
    return shares


def draw_patients(
    rng: np.random.Generator,
    n: int,
    *,
    index_year: int,
    targets: Targets,
    ineligible: np.ndarray,
    prefix: str,
    plan: dict[str, np.ndarray] | None = None,
) -> PatientDraws:
    """Random draws; ``plan`` replaces any of them (scenario, female, age, histology, n_prior,
    recurrence, t, n, m, distant) with values that a calibration step chose. Every random
    number is drawn either way, so a plan changes nothing else."""
    plan = plan or {}

    def planned(name: str, drawn: np.ndarray) -> np.ndarray:
        return np.asarray(plan[name]).copy() if name in plan else drawn

    shares = scenario_shares(targets)
    scenario = planned("scenario", rng.choice(len(SCENARIOS), size=n, p=shares))
    scenario[ineligible != ""] = SCENARIOS.index("remnant")
    cumulative = scenario == SCENARIOS.index("cumulative")
    drawn_prior = rng.choice(
        5, size=n, p=course_number_shares(targets, shares[SCENARIOS.index("cumulative")])
    )
    drawn_prior[cumulative] = 4
    n_prior = planned("n_prior", drawn_prior)
    n_prior[ineligible != ""] = 0
    after_course = scenario == SCENARIOS.index("progression")

    low, high = targets.age_range
    age = np.clip(np.rint(rng.normal(targets.age_mean, targets.age_sd, n)), low, high).astype(int)
    odd = ineligible == "age"
    age[odd] = np.where(
        rng.random(int(odd.sum())) < 0.5,
        rng.integers(15, 18, int(odd.sum())),
        rng.integers(81, 87, int(odd.sum())),
    )
    age = planned("age", age)
    female = planned("female", rng.random(n) < targets.female)
    histology = np.where(rng.random(n) < targets.follicular, "follicular", "papillary").astype(
        object
    )
    histology[ineligible == "histology"] = "poorly_differentiated"
    histology = planned("histology", histology)

    # Index admission on days 1-28 of a month (so that "age years earlier" is always a date);
    # a progression course a year later must fit the follow-up.
    year = np.where(ineligible == "out_of_period", index_year - 1, index_year)
    month = np.minimum(rng.integers(1, 13, n), np.where(after_course, 11, 12))
    day = rng.integers(1, 29, n)
    index_date = _dates(year, month, day)
    birth = _dates(year - age, month, day) - rng.integers(0, 365, n).astype("timedelta64[D]")
    recurrence = planned("recurrence", rng.random(n) < targets.recurrence)
    side = np.where(rng.random(n) < 0.5, "left", "right").astype(object)
    distant = (scenario == SCENARIOS.index("progression")) & (
        rng.random(n) < targets.distant_progression
    )
    distant = planned("distant", distant | cumulative)
    t, n_cat, m = _tnm(rng, scenario, age, distant)
    ids = np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), 6)).astype(object)
    return PatientDraws(
        ids=ids,
        scenario=scenario,
        ineligible=ineligible,
        female=female,
        age=age,
        histology=histology,
        n_prior=n_prior,
        after_course=after_course,
        index_date=index_date,
        birth=birth,
        recurrence=recurrence,
        side=side,
        distant=distant,
        t=planned("t", t),
        n=planned("n", n_cat),
        m=planned("m", m),
        tgab_positive=rng.random(n) < targets.tgab_positive,
    )


def _dates(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    months = (np.asarray(year) - 1970) * 12 + (np.asarray(month) - 1)
    first_days: np.ndarray = months.astype("datetime64[M]").astype("datetime64[D]")
    dates: np.ndarray = first_days + (np.asarray(day) - 1).astype("timedelta64[D]")
    return dates


def _tnm(
    rng: np.random.Generator, scenario: np.ndarray, age: np.ndarray, distant: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """T, N and M consistent with each scenario's disease and with the seed's AJCC 7 stage mix:
    under 45 every M0 patient is stage I; from 45, N0 with T1, T2, T3 gives I, II, III, N1a III,
    N1b IVA and M1 IVC."""
    size = len(age)
    older = age >= 45
    s = np.asarray(SCENARIOS, dtype=object)[scenario]
    t = _choice(rng, ["T1a", "T1b", "T2", "T3a"], [0.15, 0.35, 0.35, 0.15], size)
    n = np.full(size, "N0", dtype=object)
    m = np.full(size, "M0", dtype=object)
    # Older patients without nodes: the seed's stage II and III (T2 and T3 under AJCC 7).
    plain = (s == "remnant") & older
    t[plain] = _choice(rng, ["T1b", "T2", "T3a"], [0.03, 0.85, 0.12], int(plain.sum()))
    nodal = np.isin(s, ["nodal", "nonavid", "flipflop", "unconfirmed"])
    n[nodal] = "N1a"
    young_nodal = nodal & ~older
    n[young_nodal] = _choice(rng, ["N1a", "N1b"], [0.6, 0.4], int(young_nodal.sum()))
    t[nodal] = _choice(rng, ["T1a", "T1b", "T2"], [0.2, 0.5, 0.3], int(nodal.sum()))
    regional = (s == "progression") & ~distant
    n[regional] = _choice(rng, ["N1a", "N1b"], [0.7, 0.3], int(regional.sum()))
    m[distant] = "M1"
    n[distant] = _choice(rng, ["N0", "N1a", "N1b"], [0.5, 0.3, 0.2], int(distant.sum()))
    t[distant] = _choice(rng, ["T2", "T3a"], [0.5, 0.5], int(distant.sum()))
    return t, n, m


def demo_ineligible(n_eligible: int = 445) -> np.ndarray:
    """The demo's ineligible records, as cli.md's example flow counts them: 14 without a course
    in 2023, 9 aged outside 18-80, 3 not differentiated."""
    kinds = [""] * n_eligible + ["out_of_period"] * 14 + ["age"] * 9 + ["histology"] * 3
    return np.asarray(kinds, dtype=object)


def ineligible_mix(rng: np.random.Generator, n: int) -> np.ndarray:
    """For any registry size: the demo's share of ineligible records (26 of 471)."""
    draws = rng.random(n)
    kinds = np.full(n, "", dtype=object)
    kinds[draws < 14 / 471] = "out_of_period"
    kinds[(draws >= 14 / 471) & (draws < 23 / 471)] = "age"
    kinds[(draws >= 23 / 471) & (draws < 26 / 471)] = "histology"
    return kinds
