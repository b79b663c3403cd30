"""ATA 2015 initial risk of recurrence (``rules.md`` §6, ATA 2015 Table 11).

Each item is a small function returning ``True`` (holds), ``False`` (does not) or ``None``
(unknown: a field it needs is missing). High wins over intermediate; low needs every item to
be known not to hold. ``risk_unresolved`` is set whenever an unknown item could raise the
category above the one returned.

Categories recorded without their subcategory count by what they imply: ``T4`` is gross
extrathyroidal extension (high) whichever subcategory it is; ``N1`` is nodal disease like
N1a and N1b; ``T3`` may be T3b (gross extension), so with the extension unknown the question
stays open (``risk_unresolved``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rairtc.core.codes import (
    NODAL_METASTASES,
    NOT_APPLICABLE_HISTOLOGIES,
    Extension,
    Histology,
    Margins,
    MCategory,
    NCategory,
    Site,
    TCategory,
    Variant,
)
from rairtc.core.records import Patient
from rairtc.core.rules.terms import is_avid, is_disease
from rairtc.core.rules.timeline import Timeline

Item = Callable[[Patient, Timeline], bool | None]

FOLLICULAR_LIKE = frozenset({Histology.FOLLICULAR, Histology.ONCOCYTIC})
AGGRESSIVE = frozenset({Variant.TALL_CELL, Variant.HOBNAIL, Variant.COLUMNAR})
GROSS_T = frozenset({TCategory.T3B, TCategory.T4, TCategory.T4A, TCategory.T4B})
NECK = frozenset({Site.THYROID_BED, Site.CERVICAL_LYMPH_NODE})


def _n1(p: Patient) -> bool | None:
    if p.n is None or p.n is NCategory.NX:
        return None
    return p.n in NODAL_METASTASES


def gross_extension(p: Patient, _: Timeline) -> bool | None:
    if p.t in GROSS_T or p.extrathyroidal_extension is Extension.GROSS:
        return True
    return None if p.extrathyroidal_extension is None else False


def incomplete_resection(p: Patient, _: Timeline) -> bool | None:
    return None if p.margins is None else p.margins is Margins.R2


def distant_metastases(p: Patient, _: Timeline) -> bool | None:
    return None if p.m is None else p.m is MCategory.M1


def node_30mm_or_more(p: Patient, _: Timeline) -> bool | None:
    if p.largest_node_mm is not None and p.largest_node_mm >= 30:
        return True
    n1 = _n1(p)
    if n1 is False:
        return False
    return None if p.largest_node_mm is None else False


def follicular_extensive_vascular_invasion(p: Patient, _: Timeline) -> bool | None:
    if p.histology not in FOLLICULAR_LIKE:
        return False
    return None if p.vascular_invasion_foci is None else p.vascular_invasion_foci > 4


def microscopic_extension(p: Patient, _: Timeline) -> bool | None:
    if p.extrathyroidal_extension is None:
        return None if p.t not in GROSS_T else False
    return p.extrathyroidal_extension is Extension.MICROSCOPIC


def avid_neck_disease_on_first_scan(_: Patient, timeline: Timeline) -> bool | None:
    first = timeline.first_course
    if first is None:
        return False
    return any(
        f.site in NECK and is_disease(f) and is_avid(f)
        for study in first.post_therapy
        for f in study.findings
    )


def aggressive_variant(p: Patient, _: Timeline) -> bool | None:
    return None if p.variant is None else p.variant in AGGRESSIVE


def papillary_vascular_invasion(p: Patient, _: Timeline) -> bool | None:
    if p.histology is not Histology.PAPILLARY:
        return False
    return None if p.vascular_invasion_foci is None else p.vascular_invasion_foci >= 1


def follicular_four_foci(p: Patient, _: Timeline) -> bool | None:
    """ATA 2015 leaves exactly 4 foci between low (< 4) and high (> 4); rules.md: intermediate."""
    if p.histology not in FOLLICULAR_LIKE:
        return False
    return None if p.vascular_invasion_foci is None else p.vascular_invasion_foci == 4


def nodal_disease(p: Patient, _: Timeline) -> bool | None:
    """N1, unless at most 5 positive nodes, all micrometastases (largest < 2 mm)."""
    n1 = _n1(p)
    if n1 is not True:
        return n1
    if p.lymph_nodes_positive is not None and p.lymph_nodes_positive > 5:
        return True
    if p.largest_node_mm is not None and p.largest_node_mm >= 2:
        return True
    if p.lymph_nodes_positive is None or p.largest_node_mm is None:
        return None
    return False


HIGH: tuple[Item, ...] = (
    gross_extension,
    incomplete_resection,
    distant_metastases,
    node_30mm_or_more,
    follicular_extensive_vascular_invasion,
)
INTERMEDIATE: tuple[Item, ...] = (
    microscopic_extension,
    avid_neck_disease_on_first_scan,
    aggressive_variant,
    papillary_vascular_invasion,
    follicular_four_foci,
    nodal_disease,
)


@dataclass(frozen=True)
class Risk:
    category: str | None
    flags: tuple[str, ...]
    reason: str | None = None


def ata_risk(patient: Patient, timeline: Timeline) -> Risk:
    if patient.histology in NOT_APPLICABLE_HISTOLOGIES:
        return Risk(None, (), "histology_not_applicable")
    high = [item(patient, timeline) for item in HIGH]
    if any(v is True for v in high):
        return Risk("high", ())
    unresolved_high = any(v is None for v in high)
    intermediate = [item(patient, timeline) for item in INTERMEDIATE]
    flags = ("risk_unresolved",) if unresolved_high or any(v is None for v in intermediate) else ()
    if any(v is True for v in intermediate):
        return Risk("intermediate", ("risk_unresolved",) if unresolved_high else ())
    if flags:
        return Risk("intermediate", flags)
    return Risk("low", ())
