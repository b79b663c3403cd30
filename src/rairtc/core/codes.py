"""Enumerated values of the data model (``data-model.md``), one ``Enum`` per field.

They are ``StrEnum``s so that a value read from any format compares and serialises as the
plain code written in the specification.
"""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    F = "F"
    M = "M"


class Histology(StrEnum):
    PAPILLARY = "papillary"
    FOLLICULAR = "follicular"
    ONCOCYTIC = "oncocytic"
    POORLY_DIFFERENTIATED = "poorly_differentiated"
    ANAPLASTIC = "anaplastic"
    MEDULLARY = "medullary"


NOT_APPLICABLE_HISTOLOGIES = frozenset({Histology.MEDULLARY, Histology.ANAPLASTIC})
"""Medullary and anaplastic carcinoma: no criterion, stage, ATA risk or response applies to
them (``rules.md`` §4-7), and the study excludes them (§10). The one definition of the set."""


class Variant(StrEnum):
    CLASSIC = "classic"
    FOLLICULAR_VARIANT = "follicular_variant"
    ENCAPSULATED_FOLLICULAR_VARIANT = "encapsulated_follicular_variant"
    TALL_CELL = "tall_cell"
    HOBNAIL = "hobnail"
    COLUMNAR = "columnar"
    SOLID = "solid"
    DIFFUSE_SCLEROSING = "diffuse_sclerosing"
    ONCOCYTIC_VARIANT = "oncocytic_variant"
    MINIMALLY_INVASIVE = "minimally_invasive"
    WIDELY_INVASIVE = "widely_invasive"
    OTHER = "other"


class TCategory(StrEnum):
    """AJCC 8 T; ``T1``, ``T3`` and ``T4`` are recorded without their subcategory (AJCC 7
    records, pathology reports that stop at the category) and staged by trying each one."""

    TX = "TX"
    T0 = "T0"
    T1 = "T1"
    T1A = "T1a"
    T1B = "T1b"
    T2 = "T2"
    T3 = "T3"
    T3A = "T3a"
    T3B = "T3b"
    T4 = "T4"
    T4A = "T4a"
    T4B = "T4b"


class NCategory(StrEnum):
    """N; ``N1`` is recorded without its subcategory (N1a central, N1b lateral)."""

    NX = "NX"
    N0 = "N0"
    N0A = "N0a"
    N0B = "N0b"
    N1 = "N1"
    N1A = "N1a"
    N1B = "N1b"


SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    TCategory.T1: (TCategory.T1A, TCategory.T1B),
    TCategory.T3: (TCategory.T3A, TCategory.T3B),
    TCategory.T4: (TCategory.T4A, TCategory.T4B),
    NCategory.N1: (NCategory.N1A, NCategory.N1B),
}
"""What a category recorded without its subcategory may be (``rules.md`` §5)."""

NODAL_METASTASES = frozenset({NCategory.N1, NCategory.N1A, NCategory.N1B})
"""N categories that record regional nodal metastases, with or without the subcategory."""


class MCategory(StrEnum):
    M0 = "M0"
    M1 = "M1"


class Extension(StrEnum):
    """Extrathyroidal extension."""

    NONE = "none"
    MICROSCOPIC = "microscopic"
    GROSS = "gross"


class Margins(StrEnum):
    R0 = "R0"
    R1 = "R1"
    R2 = "R2"


class Procedure(StrEnum):
    TOTAL_THYROIDECTOMY = "total_thyroidectomy"
    LOBECTOMY = "lobectomy"
    COMPLETION_THYROIDECTOMY = "completion_thyroidectomy"
    CENTRAL_NECK_DISSECTION = "central_neck_dissection"
    LATERAL_NECK_DISSECTION = "lateral_neck_dissection"
    RECURRENCE_EXCISION = "recurrence_excision"
    METASTASECTOMY = "metastasectomy"


class Stimulation(StrEnum):
    WITHDRAWAL = "withdrawal"
    RHTSH = "rhtsh"


class Modality(StrEnum):
    POST_THERAPY_WBS = "post_therapy_wbs"
    POST_THERAPY_SPECT_CT = "post_therapy_spect_ct"
    DIAGNOSTIC_WBS = "diagnostic_wbs"
    FDG_PET_CT = "fdg_pet_ct"
    NECK_US = "neck_us"
    CT = "ct"
    MRI = "mri"


POST_THERAPY_MODALITIES = frozenset({Modality.POST_THERAPY_WBS, Modality.POST_THERAPY_SPECT_CT})
RAI_MODALITIES = POST_THERAPY_MODALITIES | {Modality.DIAGNOSTIC_WBS}


class Site(StrEnum):
    THYROID_BED = "thyroid_bed"
    CERVICAL_LYMPH_NODE = "cervical_lymph_node"
    MEDIASTINUM = "mediastinum"
    LUNG = "lung"
    BONE = "bone"
    BRAIN = "brain"
    LIVER = "liver"
    OTHER = "other"


class NodalLevel(StrEnum):
    I = "I"  # noqa: E741 - the anatomical name of the level
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"
    VI = "VI"
    VII = "VII"
    RETROPHARYNGEAL = "retropharyngeal"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"


class FindingKind(StrEnum):
    REMNANT = "remnant"
    LOCAL_RECURRENCE = "local_recurrence"
    REGIONAL_METASTASIS = "regional_metastasis"
    DISTANT_METASTASIS = "distant_metastasis"
    INDETERMINATE = "indeterminate"


DISEASE_KINDS = frozenset(
    {FindingKind.LOCAL_RECURRENCE, FindingKind.REGIONAL_METASTASIS, FindingKind.DISTANT_METASTASIS}
)


class LabTest(StrEnum):
    TG = "tg"
    TGAB = "tgab"
    TSH = "tsh"


class Recommendation(StrEnum):
    """MDT recommendation codes (``rules.md`` section 8)."""

    SURVEILLANCE_TSH_SUPPRESSION = "surveillance_tsh_suppression"
    REPEAT_RAI = "repeat_rai"
    EMPIRIC_RAI = "empiric_rai"
    FDG_PET_CT = "fdg_pet_ct"
    CROSS_SECTIONAL_IMAGING = "cross_sectional_imaging"
    NECK_NODE_BIOPSY = "neck_node_biopsy"
    SURGERY_LOCOREGIONAL = "surgery_locoregional"
    MOLECULAR_TESTING = "molecular_testing"
    SYSTEMIC_MKI = "systemic_mki"
    SYSTEMIC_TARGETED = "systemic_targeted"
    LOCAL_RADIOTHERAPY_OR_ABLATION = "local_radiotherapy_or_ablation"
    REDIFFERENTIATION_THERAPY = "redifferentiation_therapy"
    CLINICAL_TRIAL_REFERRAL = "clinical_trial_referral"
    BONE_DIRECTED_SUPPORTIVE = "bone_directed_supportive"
    REASSESS_RAIR_LABEL = "reassess_rair_label"


MOLECULAR_KEYS = (
    "BRAF_V600E",
    "NRAS",
    "HRAS",
    "KRAS",
    "TERT",
    "RET_fusion",
    "NTRK_fusion",
    "ALK_fusion",
)
