"""The synthetic registry as tables, generated column by column with numpy.

Layout: one row per I-131 course (``np.repeat`` over patients), one post-therapy scan per
course (day 3 after administration, the seed's "day 4"), and on each scan a fixed set of
finding slots whose presence, site and uptake follow the patient's scenario. Other imaging,
surgeries, labs and MDT entries are built the same way. Nothing loops over patients, so a
million patients take seconds; small registries are read back through the ordinary table
reader and validated like any import.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from rairtc.io.layout import TABLES
from rairtc.synth import care, imaging, patient_table
from rairtc.synth.columns import D, Rows, days, maybe, pick
from rairtc.synth.patients import SCENARIOS, PatientDraws, draw_patients, ineligible_mix
from rairtc.synth.targets import DEFAULT_TARGETS, Targets


def generate(
    n: int,
    seed: int,
    *,
    index_year: int = 2023,
    targets: Targets = DEFAULT_TARGETS,
    ineligible: np.ndarray | None = None,
    prefix: str = "SYN-",
    plan: dict[str, np.ndarray] | None = None,
) -> dict[str, dict[str, np.ndarray]]:
    """Every table of the registry as column arrays (dates as ``datetime64[D]``)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    if ineligible is None:
        ineligible = ineligible_mix(rng, n)
    p = draw_patients(
        rng,
        len(ineligible),
        index_year=index_year,
        targets=targets,
        ineligible=ineligible,
        prefix=prefix,
        plan=plan,
    )
    end = np.datetime64(date(index_year + 1, 12, 31))
    builder = Builder(rng, p, end)
    return builder.build()


class Builder:
    def __init__(self, rng: np.random.Generator, p: PatientDraws, end: np.datetime64) -> None:
        self.rng, self.p, self.end = rng, p, end
        self.n = len(p.ids)
        self.s = np.asarray(SCENARIOS, dtype=object)[p.scenario]
        self.tables = {name: Rows() for name in TABLES}
        self.last_record = p.index_date.copy()
        self.diagnosis = p.index_date.copy()  # set from the first course by care.surgeries
        self.follow_up: tuple[np.ndarray, np.ndarray] = (
            np.arange(0),
            p.index_date[:0],
        )  # set by imaging

    def is_(self, *names: str) -> np.ndarray:
        return np.isin(self.s, names)

    def build(self) -> dict[str, dict[str, np.ndarray]]:
        courses = self.courses()
        imaging.post_therapy_scans(self, courses)
        imaging.other_imaging(self)
        care.surgeries(self, courses)
        care.labs(self, courses)
        care.mdt(self, courses)
        patient_table.patients_table(self, courses)
        return {name: rows.arrays() for name, rows in self.tables.items()}

    # --- I-131 courses ---------------------------------------------------------------------
    def courses(self) -> dict[str, np.ndarray]:
        rng, p = self.rng, self.p
        total = p.n_prior + 1 + p.after_course.astype(int)
        pat = np.repeat(np.arange(self.n), total)
        starts = np.repeat(np.cumsum(total) - total, total)
        pos = np.arange(len(pat)) - starts
        years_before = p.n_prior[pat] - pos  # positive before the index course, negative after
        size = len(pat)
        when = (
            p.index_date[pat] - (years_before * 365).astype(D) + days(rng, -40, 0, size)
        )  # earlier years only: the index stays the first course of its year
        when[years_before == 0] = p.index_date[pat][years_before == 0]
        after = years_before < 0
        when[after] = np.minimum(
            p.index_date[pat][after] + days(rng, 350, 380, int(after.sum())), self.end - 5
        )
        s = self.s[pat]
        first = pos == 0
        mci = np.where(
            first & (s == "remnant"),
            pick(rng, (30, 50, 100), (0.4, 0.3, 0.3), size),
            pick(rng, (100, 150), (0.5, 0.5), size),
        ).astype(float)
        mci[after] = pick(rng, (150, 200), (0.5, 0.5), int(after.sum()))
        mci[s == "cumulative"] = 150.0
        cap = np.floor(560 / total[pat] / 10) * 10
        mci = np.where(s == "cumulative", mci, np.minimum(mci, cap))
        in_gbq = rng.random(size) < 0.2
        rhtsh = rng.random(size) < 0.10
        tsh = np.round(rng.uniform(35, 95, size), 1).astype(object)
        is_index = years_before == 0
        weak = is_index & (s == "unconfirmed")
        rhtsh[weak] = False
        tsh[weak] = np.round(rng.uniform(12, 28, int(weak.sum())), 1)
        tsh[rhtsh] = None
        self.tables["rai_courses"].add(
            patient_id=p.ids[pat],
            id=None,
            date=when,
            activity_mci=maybe(~in_gbq, mci),
            activity_gbq=maybe(in_gbq, np.round(mci * 0.037, 3)),
            stimulation=np.where(rhtsh, "rhtsh", "withdrawal").astype(object),
            tsh_miu_l=tsh,
            centre=None,
        )
        return {
            "pat": pat,
            "pos": pos,
            "date": when,
            "first": first,
            "index": is_index,
            "after": after,
            "scenario": s,
            "scenario_index": p.scenario[pat],
            "tsh": tsh,
            "rhtsh": rhtsh,
        }

    # --- imaging -----------------------------------------------------------------------------
