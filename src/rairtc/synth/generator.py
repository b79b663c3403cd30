"""The synthetic registry as tables, generated column by column with numpy.

Layout: one row per I-131 course (``np.repeat`` over patients), one post-therapy scan per
course (day 3 after administration, the seed's "day 4"), and on each scan a fixed set of
finding slots whose presence, site and uptake follow the patient's scenario. Other imaging,
surgeries, labs and MDT entries are built the same way. Nothing loops over patients, so a
million patients take seconds; small registries are read back through the ordinary table
reader and validated like any import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from rairtc.core.rules.staging import stage_for
from rairtc.synth.patients import SCENARIOS, PatientDraws, draw_patients, ineligible_mix
from rairtc.synth.targets import DEFAULT_TARGETS, Targets

D = "timedelta64[D]"
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


@dataclass
class Rows:
    """Column arrays of one table, appended block by block."""

    columns: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, **values: Any) -> None:
        size = max(len(v) for v in values.values() if isinstance(v, np.ndarray))
        for name, value in values.items():
            array = value if isinstance(value, np.ndarray) else np.full(size, value, dtype=object)
            self.columns.setdefault(name, []).append(array)

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: np.concatenate(parts) for name, parts in self.columns.items()}


def _pick(
    rng: np.random.Generator, options: tuple[Any, ...], p: tuple[float, ...], size: int
) -> np.ndarray:
    return np.asarray(options, dtype=object)[
        rng.choice(len(options), size=size, p=np.asarray(p) / sum(p))
    ]


def _days(rng: np.random.Generator, low: int, high: int, size: int) -> np.ndarray:
    return rng.integers(low, high + 1, size).astype(D)


def _maybe(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.asarray(values, dtype=object).copy()
    out[~mask] = None
    return out


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
    builder = _Builder(rng, p, end)
    return builder.build()


class _Builder:
    def __init__(self, rng: np.random.Generator, p: PatientDraws, end: np.datetime64) -> None:
        self.rng, self.p, self.end = rng, p, end
        self.n = len(p.ids)
        self.s = np.asarray(SCENARIOS, dtype=object)[p.scenario]
        self.tables = {
            name: Rows()
            for name in (
                "patients",
                "surgeries",
                "rai_courses",
                "imaging",
                "findings",
                "labs",
                "mdt",
                "mdt_recommendations",
            )
        }
        self.last_record = p.index_date.copy()

    def is_(self, *names: str) -> np.ndarray:
        return np.isin(self.s, names)

    def build(self) -> dict[str, dict[str, np.ndarray]]:
        courses = self.courses()
        self.post_therapy_scans(courses)
        self.other_imaging()
        self.surgeries(courses)
        self.labs(courses)
        self.mdt(courses)
        self.patients_table(courses)
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
            p.index_date[pat] - (years_before * 365).astype(D) + _days(rng, -40, 0, size)
        )  # earlier years only: the index stays the first course of its year
        when[years_before == 0] = p.index_date[pat][years_before == 0]
        after = years_before < 0
        when[after] = np.minimum(
            p.index_date[pat][after] + _days(rng, 350, 380, int(after.sum())), self.end - 5
        )
        s = self.s[pat]
        first = pos == 0
        mci = np.where(
            first & (s == "remnant"),
            _pick(rng, (30, 50, 100), (0.4, 0.3, 0.3), size),
            _pick(rng, (100, 150), (0.5, 0.5), size),
        ).astype(float)
        mci[after] = _pick(rng, (150, 200), (0.5, 0.5), int(after.sum()))
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
            activity_mci=_maybe(~in_gbq, mci),
            activity_gbq=_maybe(in_gbq, np.round(mci * 0.037, 3)),
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
    def _study(
        self,
        pat: np.ndarray,
        when: np.ndarray,
        modality: np.ndarray | str,
        progression: np.ndarray | None = None,
    ) -> np.ndarray:
        table = self.tables["imaging"]
        done = sum(len(a) for a in table.columns.get("id", []))
        ids = np.char.add("imaging-", np.arange(done + 1, done + len(pat) + 1).astype(str)).astype(
            object
        )
        table.add(
            patient_id=self.p.ids[pat],
            id=ids,
            date=when,
            modality=modality,
            progression=progression if progression is not None else None,
        )
        np.maximum.at(self.last_record, pat, when)
        return ids

    def _finding(
        self,
        mask: np.ndarray,
        pat: np.ndarray,
        study: np.ndarray,
        site: Any,
        kind: Any,
        *,
        side: Any = None,
        rai: Any = None,
        fdg: Any = None,
        new: Any = None,
        size_mm: Any = None,
        level: Any = None,
    ) -> None:
        if not mask.any():
            return

        def pick(value: Any) -> Any:
            return value[mask] if isinstance(value, np.ndarray) else value

        self.tables["findings"].add(
            patient_id=self.p.ids[pat][mask],
            imaging_id=study[mask],
            id=None,
            site=pick(site),
            nodal_level=pick(level),
            side=pick(side),
            kind=pick(kind),
            rai_uptake=pick(rai),
            fdg_uptake=pick(fdg),
            size_mm=pick(size_mm),
            new=pick(new),
        )

    def post_therapy_scans(self, c: dict[str, np.ndarray]) -> None:
        rng, p = self.rng, self.p
        pat, s, size = c["pat"], c["scenario"], len(c["pat"])
        when = c["date"] + np.timedelta64(3, "D")
        spect = (rng.random(size) < 0.3) | (
            c["index"] & np.isin(s, ["nonavid", "flipflop", "unconfirmed"])
        )
        spect |= p.distant[pat]
        modality = np.where(spect, "post_therapy_spect_ct", "post_therapy_wbs").astype(object)
        progression = np.full(size, None, dtype=object)
        progression[c["after"]] = True
        progression[s == "cumulative"] = False
        study = self._study(pat, when, modality, progression)
        side = p.side[pat]
        other = np.where(side == "left", "right", "left").astype(object)
        nonavid_index = c["index"] & np.isin(s, ["nonavid", "flipflop", "unconfirmed"])
        remnant = (
            np.where(c["first"], rng.random(size) < 0.95, rng.random(size) < 0.25) | nonavid_index
        )
        remnant &= ~np.isin(s, ["cumulative"]) | c["first"]
        self._finding(remnant, pat, study, "thyroid_bed", "remnant", rai=True)
        neck_level = _pick(rng, ("III", "IV", "VI"), (0.4, 0.3, 0.3), size)
        sizes = np.round(rng.uniform(8, 16, size), 0)
        nodal_first = c["first"] & (s == "nodal")
        self._finding(
            nodal_first,
            pat,
            study,
            "cervical_lymph_node",
            "regional_metastasis",
            side=side,
            rai=True,
            size_mm=sizes,
            level=neck_level,
        )
        regional = (s == "progression") & ~p.distant[pat]
        self._finding(
            regional,
            pat,
            study,
            "cervical_lymph_node",
            "regional_metastasis",
            side=side,
            rai=True,
            size_mm=sizes,
            level=neck_level,
        )
        lung = p.distant[pat]
        self._finding(lung, pat, study, "lung", "distant_metastasis", side=side, rai=True)
        self._finding(
            s == "cumulative", pat, study, "lung", "distant_metastasis", side=other, rai=True
        )
        self._finding(
            nonavid_index,
            pat,
            study,
            "cervical_lymph_node",
            "regional_metastasis",
            side=side,
            rai=False,
            size_mm=sizes,
            level=neck_level,
        )
        new_regional = c["after"] & regional
        self._finding(
            new_regional,
            pat,
            study,
            "cervical_lymph_node",
            "regional_metastasis",
            side=other,
            rai=True,
            new=True,
            level=neck_level,
        )
        new_distant = c["after"] & lung
        self._finding(
            new_distant,
            pat,
            study,
            np.where(rng.random(size) < 0.5, "lung", "bone").astype(object),
            "distant_metastasis",
            side=other,
            rai=True,
            new=True,
        )

    def other_imaging(self) -> None:
        rng, p = self.rng, self.p
        n = self.n
        every = np.arange(n)
        sensitive = self.is_("remnant", "nodal")
        follow = np.minimum(p.index_date + _days(rng, 280, 420, n), self.end - _days(rng, 1, 30, n))
        self._study(every[sensitive], follow[sensitive], "neck_us")
        self.follow_up = (every[sensitive], follow[sensitive])
        flip = self.is_("flipflop")
        if flip.any():
            pat = every[flip]
            study = self._study(
                pat, p.index_date[flip] + _days(rng, 90, 300, int(flip.sum())), "fdg_pet_ct"
            )
            self._finding(
                np.ones(len(pat), bool),
                pat,
                study,
                "cervical_lymph_node",
                "regional_metastasis",
                side=p.side[flip],
                fdg=True,
            )
            self._finding(
                rng.random(len(pat)) < 0.5,
                pat,
                study,
                "bone",
                "distant_metastasis",
                side="midline",
                fdg=True,
            )
        nonavid = self.is_("nonavid")
        if nonavid.any():
            pat = every[nonavid]
            study = self._study(
                pat, p.index_date[nonavid] + _days(rng, 20, 40, int(nonavid.sum())), "neck_us"
            )
            self._finding(
                np.ones(len(pat), bool),
                pat,
                study,
                "cervical_lymph_node",
                "regional_metastasis",
                side=p.side[nonavid],
                size_mm=12.0,
            )

    # --- surgeries, labs, MDT ------------------------------------------------------------------
    def surgeries(self, c: dict[str, np.ndarray]) -> None:
        rng, p = self.rng, self.p
        first = c["date"][c["first"]]  # one per patient, in patient order
        every = np.arange(self.n)
        gap = np.where(p.recurrence, rng.integers(400, 1200, self.n), rng.integers(40, 120, self.n))
        self.diagnosis = first - gap.astype(D)
        self.tables["surgeries"].add(
            patient_id=p.ids, id=None, date=self.diagnosis, procedure="total_thyroidectomy"
        )
        for category, procedure in (
            ("N1a", "central_neck_dissection"),
            ("N1b", "lateral_neck_dissection"),
        ):
            mask = p.n == category
            self.tables["surgeries"].add(
                patient_id=p.ids[mask], id=None, date=self.diagnosis[mask], procedure=procedure
            )
        rec = p.recurrence
        self.tables["surgeries"].add(
            patient_id=p.ids[rec],
            id=None,
            date=first[rec] - _days(rng, 30, 90, int(rec.sum())),
            procedure="recurrence_excision",
        )
        late = self.is_("nonavid")
        when = np.minimum(p.index_date[late] + _days(rng, 60, 120, int(late.sum())), self.end - 1)
        self.tables["surgeries"].add(
            patient_id=p.ids[late], id=None, date=when, procedure="recurrence_excision"
        )
        np.maximum.at(self.last_record, every[late], when)

    def labs(self, c: dict[str, np.ndarray]) -> None:
        rng, p = self.rng, self.p
        pat, size = c["pat"], len(c["pat"])
        ranges = {
            "remnant": (1, 15),
            "nodal": (5, 40),
            "progression": (20, 300),
            "cumulative": (150, 260),
            "nonavid": (8, 30),
            "flipflop": (50, 250),
            "unconfirmed": (4, 20),
        }
        low = np.array([ranges[x][0] for x in SCENARIOS], dtype=float)[c["scenario_index"]]
        high = np.array([ranges[x][1] for x in SCENARIOS], dtype=float)[c["scenario_index"]]
        tg = np.round(low + (high - low) * rng.random(size), 1) * np.where(c["after"], 1.8, 1.0)
        self.tables["labs"].add(
            patient_id=p.ids[pat],
            id=None,
            date=c["date"],
            test="tg",
            value=tg,
            unit=_pick(rng, ("ng/mL", "ug/L"), (0.9, 0.1), size),
            stimulated=True,
            below_limit=None,
            assay_upper_normal=None,
        )
        self._tgab(pat, c["date"])
        known = ~c["rhtsh"]
        self.tables["labs"].add(
            patient_id=p.ids[pat][known],
            id=None,
            date=c["date"][known],
            test="tsh",
            value=c["tsh"][known].astype(float),
            unit="mIU/L",
            stimulated=None,
            below_limit=None,
            assay_upper_normal=None,
        )
        us_pat, us_date = self.follow_up
        excellent = rng.random(len(us_pat)) < 0.75
        value = np.where(
            excellent, rng.uniform(0.05, 0.18, len(us_pat)), rng.uniform(0.25, 0.9, len(us_pat))
        )
        self.tables["labs"].add(
            patient_id=p.ids[us_pat],
            id=None,
            date=us_date,
            test="tg",
            value=np.round(value, 2),
            unit="ng/mL",
            stimulated=False,
            below_limit=None,
            assay_upper_normal=None,
        )
        self._tgab(us_pat, us_date)

    def _tgab(self, pat: np.ndarray, when: np.ndarray) -> None:
        rng, p = self.rng, self.p
        positive = p.tgab_positive[pat]
        value = np.where(positive, rng.uniform(10, 60, len(pat)), rng.uniform(0.4, 3.0, len(pat)))
        self.tables["labs"].add(
            patient_id=p.ids[pat],
            id=None,
            date=when,
            test="tgab",
            value=np.round(value, 1),
            unit="IU/mL",
            stimulated=None,
            below_limit=None,
            assay_upper_normal=4.0,
        )

    def mdt(self, c: dict[str, np.ndarray]) -> None:
        p = self.p
        pat = c["pat"]
        when = c["date"] + np.timedelta64(4, "D")
        plans = {
            "remnant": "surveillance_tsh_suppression",
            "nodal": "surveillance_tsh_suppression",
            "progression": "repeat_rai",
            "cumulative": "reassess_rair_label systemic_mki clinical_trial_referral",
            "nonavid": "neck_node_biopsy surgery_locoregional",
            "flipflop": "fdg_pet_ct",
            "unconfirmed": "reassess_rair_label repeat_rai",
        }
        plan = np.array([plans[x] for x in SCENARIOS], dtype=object)[c["scenario_index"]]
        plan[c["after"]] = "molecular_testing systemic_mki reassess_rair_label"
        keep = when <= self.end
        pat, when, plan = pat[keep], when[keep], plan[keep]
        table = self.tables["mdt"]
        done = sum(len(a) for a in table.columns.get("id", []))
        ids = np.char.add("mdt-", np.arange(done + 1, done + len(pat) + 1).astype(str)).astype(
            object
        )
        table.add(patient_id=p.ids[pat], id=ids, date=when, note=None)
        np.maximum.at(self.last_record, pat, when)
        codes = np.char.split(plan.astype(str))
        counts = np.array([len(x) for x in codes])
        self.tables["mdt_recommendations"].add(
            patient_id=np.repeat(p.ids[pat], counts),
            mdt_id=np.repeat(ids, counts),
            recommendation=np.concatenate(codes).astype(object),
        )

    # --- the patients table ----------------------------------------------------------------------
    def recorded_stage(self) -> np.ndarray:
        """The AJCC 8 stage as a department would write it, from the core's own table: one
        lookup per distinct (age band, T, N, M), so a million patients cost a few combinations."""
        p = self.p
        birth, dx = p.birth.astype("datetime64[D]"), self.diagnosis
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

    def patients_table(self, c: dict[str, np.ndarray]) -> None:
        rng, p, n = self.rng, self.p, self.n
        papillary = p.histology == "papillary"
        variant = np.where(
            papillary,
            _pick(
                rng,
                ("classic", "follicular_variant", "tall_cell", "other"),
                (0.75, 0.15, 0.07, 0.03),
                n,
            ),
            _pick(rng, ("minimally_invasive", "widely_invasive"), (0.7, 0.3), n),
        )
        variant[p.histology == "poorly_differentiated"] = None
        nodal = np.isin(p.n, ["N1a", "N1b"])
        known = rng.random(n) < 0.92  # some pathology fields are not in every record
        foci = np.where(
            papillary, _pick(rng, (0, 0, 0, 1, 2), (1, 1, 1, 1, 1), n), rng.integers(0, 7, n)
        )
        last = np.maximum(
            self.last_record, c["date"][np.cumsum(p.n_prior + 1 + p.after_course) - 1]
        )
        follow_up = np.minimum(last + _days(rng, 0, 60, n), self.end)
        molecular = rng.random(n) < 0.3
        self.tables["patients"].add(
            id=p.ids,
            full_name=None,
            national_id=None,
            mrn=None,
            sex=np.where(p.female, "F", "M").astype(object),
            birth_date=p.birth,
            diagnosis_date=self.diagnosis,
            histology=p.histology,
            variant=variant,
            t=p.t,
            n=p.n,
            m=p.m,
            # Microscopic extension only under 45: it would make T1/T2 a T3 in AJCC 7 from 45 on.
            extrathyroidal_extension=np.where(
                (p.age < 45) & (rng.random(n) < 0.15), "microscopic", "none"
            ).astype(object),
            vascular_invasion_foci=_maybe(known, foci),
            capsular_invasion=_maybe(~papillary, rng.random(n) < 0.8),
            stage_recorded=self.recorded_stage(),
            region=_pick(rng, REGIONS, (3, 1, 1, 1, 1, 1, 1, 1, 1, 1), n),
            lymph_nodes_positive=_maybe(nodal & known, rng.integers(1, 9, n)),
            largest_node_mm=_maybe(nodal & known, np.round(rng.uniform(2, 25, n), 0)),
            margins=_maybe(known, _pick(rng, ("R0", "R1"), (0.95, 0.05), n)),
            molecular_BRAF_V600E=_maybe(molecular, papillary & (rng.random(n) < 0.5)),
            molecular_NRAS=_maybe(molecular, ~papillary & (rng.random(n) < 0.2)),
            molecular_HRAS=None,
            molecular_KRAS=None,
            molecular_TERT=_maybe(
                molecular,
                rng.random(n) < np.where(self.is_("progression", "cumulative"), 0.4, 0.05),
            ),
            molecular_RET_fusion=None,
            molecular_NTRK_fusion=None,
            molecular_ALK_fusion=None,
            smoker=_maybe(rng.random(n) < 0.7, rng.random(n) < 0.15),
            last_follow_up=follow_up,
            deceased_date=None,
        )
