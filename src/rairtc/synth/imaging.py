"""Imaging of the synthetic registry: a post-therapy scan after every course, with finding
slots whose presence, site and uptake follow each patient's scenario, and the follow-up
studies (neck ultrasound, FDG PET/CT) a department would order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from rairtc.synth.columns import days, pick

if TYPE_CHECKING:
    from rairtc.synth.generator import Builder


def add_study(
    b: Builder,
    pat: np.ndarray,
    when: np.ndarray,
    modality: np.ndarray | str,
    progression: np.ndarray | None = None,
) -> np.ndarray:
    table = b.tables["imaging"]
    done = sum(len(a) for a in table.columns.get("id", []))
    ids = np.char.add("imaging-", np.arange(done + 1, done + len(pat) + 1).astype(str)).astype(
        object
    )
    table.add(
        patient_id=b.p.ids[pat],
        id=ids,
        date=when,
        modality=modality,
        progression=progression if progression is not None else None,
    )
    np.maximum.at(b.last_record, pat, when)
    return ids


def add_finding(
    b: Builder,
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

    b.tables["findings"].add(
        patient_id=b.p.ids[pat][mask],
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


def post_therapy_scans(b: Builder, c: dict[str, np.ndarray]) -> None:
    rng, p = b.rng, b.p
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
    study = add_study(b, pat, when, modality, progression)
    side = p.side[pat]
    other = np.where(side == "left", "right", "left").astype(object)
    nonavid_index = c["index"] & np.isin(s, ["nonavid", "flipflop", "unconfirmed"])
    remnant = np.where(c["first"], rng.random(size) < 0.95, rng.random(size) < 0.25) | nonavid_index
    remnant &= ~np.isin(s, ["cumulative"]) | c["first"]
    add_finding(b, remnant, pat, study, "thyroid_bed", "remnant", rai=True)
    neck_level = pick(rng, ("III", "IV", "VI"), (0.4, 0.3, 0.3), size)
    sizes = np.round(rng.uniform(8, 16, size), 0)
    nodal_first = c["first"] & (s == "nodal")
    add_finding(
        b,
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
    add_finding(
        b,
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
    add_finding(b, lung, pat, study, "lung", "distant_metastasis", side=side, rai=True)
    add_finding(
        b, s == "cumulative", pat, study, "lung", "distant_metastasis", side=other, rai=True
    )
    add_finding(
        b,
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
    add_finding(
        b,
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
    add_finding(
        b,
        new_distant,
        pat,
        study,
        np.where(rng.random(size) < 0.5, "lung", "bone").astype(object),
        "distant_metastasis",
        side=other,
        rai=True,
        new=True,
    )


def other_imaging(b: Builder) -> None:
    rng, p = b.rng, b.p
    n = b.n
    every = np.arange(n)
    sensitive = b.is_("remnant", "nodal")
    follow = np.minimum(p.index_date + days(rng, 280, 420, n), b.end - days(rng, 1, 30, n))
    add_study(b, every[sensitive], follow[sensitive], "neck_us")
    b.follow_up = (every[sensitive], follow[sensitive])
    flip = b.is_("flipflop")
    if flip.any():
        pat = every[flip]
        study = add_study(
            b, pat, p.index_date[flip] + days(rng, 90, 300, int(flip.sum())), "fdg_pet_ct"
        )
        add_finding(
            b,
            np.ones(len(pat), bool),
            pat,
            study,
            "cervical_lymph_node",
            "regional_metastasis",
            side=p.side[flip],
            fdg=True,
        )
        add_finding(
            b,
            rng.random(len(pat)) < 0.5,
            pat,
            study,
            "bone",
            "distant_metastasis",
            side="midline",
            fdg=True,
        )
    nonavid = b.is_("nonavid")
    if nonavid.any():
        pat = every[nonavid]
        study = add_study(
            b, pat, p.index_date[nonavid] + days(rng, 20, 40, int(nonavid.sum())), "neck_us"
        )
        add_finding(
            b,
            np.ones(len(pat), bool),
            pat,
            study,
            "cervical_lymph_node",
            "regional_metastasis",
            side=p.side[nonavid],
            size_mm=12.0,
        )
