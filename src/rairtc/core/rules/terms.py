"""Terms of ``rules.md`` section 1: disease finding, avid, site key, structural progression."""

from __future__ import annotations

from enum import StrEnum

from rairtc.core.codes import DISEASE_KINDS, FindingKind
from rairtc.core.records import Finding, Imaging


class Criterion(StrEnum):
    """The five criteria, in the priority order used for ``primary_criterion``."""

    FDG_MISMATCH = "fdg_mismatch"
    NO_UPTAKE = "no_uptake"
    NONAVID_LESION = "nonavid_lesion"
    PROGRESSION_DESPITE_UPTAKE = "progression_despite_uptake"
    CUMULATIVE_ACTIVITY = "cumulative_activity"


PRIORITY = {criterion: rank for rank, criterion in enumerate(Criterion)}


def is_disease(finding: Finding) -> bool:
    """Local recurrence, regional or distant metastasis (not remnant, not indeterminate)."""
    return finding.kind in DISEASE_KINDS


def is_avid(finding: Finding) -> bool:
    return finding.rai_uptake is True


def is_nonavid(finding: Finding) -> bool:
    """``rai_uptake == false``; unknown uptake never counts either way."""
    return finding.rai_uptake is False


def same_site(a: Finding, b: Finding) -> bool:
    """Site keys match: same site, and the same side unless either side is unknown."""
    return a.site == b.site and (a.side is None or b.side is None or a.side == b.side)


def shows_structural_progression(study: Imaging) -> bool:
    """The reader's progression flag, or a new disease finding."""
    return study.progression is True or any(is_disease(f) and f.new is True for f in study.findings)


def disease_findings(study: Imaging) -> list[Finding]:
    return [f for f in study.findings if is_disease(f)]


def is_remnant(finding: Finding) -> bool:
    return finding.kind is FindingKind.REMNANT
