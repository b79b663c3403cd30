"""The patients table of the synthetic registry, with the stage a department would record."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from rairtc.core.codes import NODAL_METASTASES
from rairtc.core.rules.staging import stage_for
from rairtc.synth import identifiers
from rairtc.synth.columns import days, maybe, pick

if TYPE_CHECKING:
    from rairtc.synth.generator import Builder


REGIONS = (
    "Abay",
    "East Kazakhstan",
    "Pavlodar",
    "Karaganda",
    "Almaty",
    "Astana",
    "Turkistan",
    "Aktobe",
    "Kostanay",
    "Zhambyl",
)


def recorded_stage(b: Builder) -> np.ndarray:
    """The AJCC 8 stage as a department would write it, from the core's own table: one
    lookup per distinct (age band, T, N, M), so a million patients cost a few combinations."""
    p = b.p
    birth, dx = p.birth.astype("datetime64[D]"), b.diagnosis
    years = dx.astype("datetime64[Y]").astype(int) - birth.astype("datetime64[Y]").astype(int)

    def month_day(d: np.ndarray) -> np.ndarray:
        month = d.astype("datetime64[M]").astype(int) % 12
        day = (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(int)
        result: np.ndarray = month * 32 + day
        return result

    before_birthday = month_day(dx) < month_day(birth)
    age = years - before_birthday.astype(int)
    parts = [
        (age >= 55).astype(int).astype(str),
        p.t.astype(str),
        p.n.astype(str),
        p.m.astype(str),
    ]
    keys = parts[0]
    for part in parts[1:]:
        keys = np.char.add(np.char.add(keys, "|"), part)
    unique, inverse = np.unique(keys, return_inverse=True)
    fields = [str(k).split("|") for k in unique]
    stages = np.array(
        [stage_for(60 if older == "1" else 40, t, n, m).stage for older, t, n, m in fields],
        dtype=object,
    )
    recorded: np.ndarray = stages[inverse]
    recorded[p.histology == "poorly_differentiated"] = None
    return recorded


def patients_table(b: Builder, c: dict[str, np.ndarray]) -> None:
    rng, p, n = b.rng, b.p, b.n
    ids_rng = rng.spawn(1)[0]  # a child stream: identifiers leave every other column as it was
    papillary = p.histology == "papillary"
    variant = np.where(
        papillary,
        pick(
            rng,
            ("classic", "follicular_variant", "tall_cell", "other"),
            (0.75, 0.15, 0.07, 0.03),
            n,
        ),
        pick(rng, ("minimally_invasive", "widely_invasive"), (0.7, 0.3), n),
    )
    variant[p.histology == "poorly_differentiated"] = None
    nodal = np.isin(p.n, [c.value for c in NODAL_METASTASES])
    known = rng.random(n) < 0.92  # some pathology fields are not in every record
    foci = np.where(
        papillary, pick(rng, (0, 0, 0, 1, 2), (1, 1, 1, 1, 1), n), rng.integers(0, 7, n)
    )
    last = np.maximum(b.last_record, c["date"][np.cumsum(p.n_prior + 1 + p.after_course) - 1])
    follow_up = np.minimum(last + days(rng, 0, 60, n), b.end)
    molecular = rng.random(n) < 0.3
    b.tables["patients"].add(
        id=p.ids,
        full_name=identifiers.full_names(ids_rng, p.female),
        national_id=identifiers.iins(ids_rng, p.birth, p.female),
        mrn=identifiers.mrns(n),
        sex=np.where(p.female, "F", "M").astype(object),
        birth_date=p.birth,
        diagnosis_date=b.diagnosis,
        histology=p.histology,
        variant=variant,
        t=p.t,
        n=p.n,
        m=p.m,
        # Microscopic extension only under 45: it would make T1/T2 a T3 in AJCC 7 from 45 on.
        extrathyroidal_extension=np.where(
            (p.age < 45) & (rng.random(n) < 0.15), "microscopic", "none"
        ).astype(object),
        vascular_invasion_foci=maybe(known, foci),
        capsular_invasion=maybe(~papillary, rng.random(n) < 0.8),
        stage_recorded=recorded_stage(b),
        region=pick(rng, REGIONS, (3, 1, 1, 1, 1, 1, 1, 1, 1, 1), n),
        lymph_nodes_positive=maybe(nodal & known, rng.integers(1, 9, n)),
        largest_node_mm=maybe(nodal & known, np.round(rng.uniform(2, 25, n), 0)),
        margins=maybe(known, pick(rng, ("R0", "R1"), (0.95, 0.05), n)),
        molecular_BRAF_V600E=maybe(molecular, papillary & (rng.random(n) < 0.5)),
        molecular_NRAS=maybe(molecular, ~papillary & (rng.random(n) < 0.2)),
        molecular_HRAS=None,
        molecular_KRAS=None,
        molecular_TERT=maybe(
            molecular,
            rng.random(n) < np.where(b.is_("progression", "cumulative"), 0.4, 0.05),
        ),
        molecular_RET_fusion=None,
        molecular_NTRK_fusion=None,
        molecular_ALK_fusion=None,
        smoker=maybe(rng.random(n) < 0.7, rng.random(n) < 0.15),
        last_follow_up=follow_up,
        deceased_date=None,
    )
