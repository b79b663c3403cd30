"""Surgeries, laboratory values and MDT entries of the synthetic registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from rairtc.synth.columns import D, days, pick
from rairtc.synth.patients import SCENARIOS

if TYPE_CHECKING:
    from rairtc.synth.generator import Builder


def surgeries(b: Builder, c: dict[str, np.ndarray]) -> None:
    rng, p = b.rng, b.p
    first = c["date"][c["first"]]  # one per patient, in patient order
    every = np.arange(b.n)
    gap = np.where(p.recurrence, rng.integers(400, 1200, b.n), rng.integers(40, 120, b.n))
    b.diagnosis = first - gap.astype(D)
    b.tables["surgeries"].add(
        patient_id=p.ids, id=None, date=b.diagnosis, procedure="total_thyroidectomy"
    )
    for category, procedure in (
        ("N1a", "central_neck_dissection"),
        ("N1b", "lateral_neck_dissection"),
    ):
        mask = p.n == category
        b.tables["surgeries"].add(
            patient_id=p.ids[mask], id=None, date=b.diagnosis[mask], procedure=procedure
        )
    rec = p.recurrence
    b.tables["surgeries"].add(
        patient_id=p.ids[rec],
        id=None,
        date=first[rec] - days(rng, 30, 90, int(rec.sum())),
        procedure="recurrence_excision",
    )
    late = b.is_("nonavid")
    when = np.minimum(p.index_date[late] + days(rng, 60, 120, int(late.sum())), b.end - 1)
    b.tables["surgeries"].add(
        patient_id=p.ids[late], id=None, date=when, procedure="recurrence_excision"
    )
    np.maximum.at(b.last_record, every[late], when)


def labs(b: Builder, c: dict[str, np.ndarray]) -> None:
    rng, p = b.rng, b.p
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
    b.tables["labs"].add(
        patient_id=p.ids[pat],
        id=None,
        date=c["date"],
        test="tg",
        value=tg,
        unit=pick(rng, ("ng/mL", "ug/L"), (0.9, 0.1), size),
        stimulated=True,
        below_limit=None,
        assay_upper_normal=None,
    )
    add_tgab(b, pat, c["date"])
    known = ~c["rhtsh"]
    b.tables["labs"].add(
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
    us_pat, us_date = b.follow_up
    excellent = rng.random(len(us_pat)) < 0.75
    value = np.where(
        excellent, rng.uniform(0.05, 0.18, len(us_pat)), rng.uniform(0.25, 0.9, len(us_pat))
    )
    b.tables["labs"].add(
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
    add_tgab(b, us_pat, us_date)


def add_tgab(b: Builder, pat: np.ndarray, when: np.ndarray) -> None:
    rng, p = b.rng, b.p
    positive = p.tgab_positive[pat]
    value = np.where(positive, rng.uniform(10, 60, len(pat)), rng.uniform(0.4, 3.0, len(pat)))
    b.tables["labs"].add(
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


def mdt(b: Builder, c: dict[str, np.ndarray]) -> None:
    p = b.p
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
    keep = when <= b.end
    pat, when, plan = pat[keep], when[keep], plan[keep]
    table = b.tables["mdt"]
    done = sum(len(a) for a in table.columns.get("id", []))
    ids = np.char.add("mdt-", np.arange(done + 1, done + len(pat) + 1).astype(str)).astype(object)
    table.add(patient_id=p.ids[pat], id=ids, date=when, note=None)
    np.maximum.at(b.last_record, pat, when)
    codes = np.char.split(plan.astype(str))
    counts = np.array([len(x) for x in codes])
    b.tables["mdt_recommendations"].add(
        patient_id=np.repeat(p.ids[pat], counts),
        mdt_id=np.repeat(ids, counts),
        recommendation=np.concatenate(codes).astype(object),
    )
