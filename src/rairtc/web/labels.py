"""Names of the codes in the user's language (select lists, tables, the verdict panel).

Codes that are international notation (TNM, nodal levels, margins) are shown as they are.
"""

from __future__ import annotations

from functools import cache

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, dict[str, Promise | str]] = {
    "sex": {"F": _("female"), "M": _("male")},
    "histology": {
        "papillary": _("papillary"),
        "follicular": _("follicular"),
        "oncocytic": _("oncocytic"),
        "poorly_differentiated": _("poorly differentiated"),
        "anaplastic": _("anaplastic"),
        "medullary": _("medullary"),
    },
    "variant": {
        "classic": _("classic"),
        "follicular_variant": _("follicular variant"),
        "encapsulated_follicular_variant": _("encapsulated follicular variant"),
        "tall_cell": _("tall cell"),
        "hobnail": _("hobnail"),
        "columnar": _("columnar"),
        "solid": _("solid"),
        "diffuse_sclerosing": _("diffuse sclerosing"),
        "oncocytic_variant": _("oncocytic variant"),
        "minimally_invasive": _("minimally invasive"),
        "widely_invasive": _("widely invasive"),
        "other": _("other"),
    },
    "extrathyroidal_extension": {
        "none": _("none"),
        "microscopic": _("microscopic"),
        "gross": _("gross"),
    },
    "procedure": {
        "total_thyroidectomy": _("total thyroidectomy"),
        "lobectomy": _("lobectomy"),
        "completion_thyroidectomy": _("completion thyroidectomy"),
        "central_neck_dissection": _("central neck dissection"),
        "lateral_neck_dissection": _("lateral neck dissection"),
        "recurrence_excision": _("excision of a recurrence"),
        "metastasectomy": _("metastasectomy"),
    },
    "stimulation": {"withdrawal": _("thyroid hormone withdrawal"), "rhtsh": _("rhTSH")},
    "modality": {
        "post_therapy_wbs": _("post-therapy whole-body scan"),
        "post_therapy_spect_ct": _("post-therapy SPECT/CT"),
        "diagnostic_wbs": _("diagnostic whole-body scan"),
        "fdg_pet_ct": _("FDG PET/CT"),
        "neck_us": _("neck ultrasound"),
        "ct": _("CT"),
        "mri": _("MRI"),
    },
    "site": {
        "thyroid_bed": _("thyroid bed"),
        "cervical_lymph_node": _("cervical lymph node"),
        "mediastinum": _("mediastinum"),
        "lung": _("lung"),
        "bone": _("bone"),
        "brain": _("brain"),
        "liver": _("liver"),
        "other": _("other site"),
    },
    "side": {"left": _("left"), "right": _("right"), "midline": _("midline")},
    "kind": {
        "remnant": _("remnant"),
        "local_recurrence": _("local recurrence"),
        "regional_metastasis": _("regional metastasis"),
        "distant_metastasis": _("distant metastasis"),
        "indeterminate": _("indeterminate"),
    },
    "test": {"tg": _("Tg"), "tgab": _("TgAb"), "tsh": _("TSH")},
    "recommendation": {
        "surveillance_tsh_suppression": _("surveillance with TSH suppression"),
        "repeat_rai": _("repeat I-131 therapy"),
        "empiric_rai": _("empiric I-131 therapy"),
        "fdg_pet_ct": _("FDG PET/CT"),
        "cross_sectional_imaging": _("cross-sectional imaging"),
        "neck_node_biopsy": _("neck node biopsy"),
        "surgery_locoregional": _("locoregional surgery"),
        "molecular_testing": _("molecular testing"),
        "systemic_mki": _("systemic therapy: multikinase inhibitor"),
        "systemic_targeted": _("systemic targeted therapy"),
        "local_radiotherapy_or_ablation": _("local radiotherapy or ablation"),
        "redifferentiation_therapy": _("redifferentiation therapy"),
        "clinical_trial_referral": _("referral to a clinical trial"),
        "bone_directed_supportive": _("bone-directed supportive care"),
        "reassess_rair_label": _("reassess the refractory label"),
    },
    "status": {
        "refractory": _("refractory"),
        "possibly_refractory": _("possibly refractory"),
        "not_refractory": _("not refractory"),
        "insufficient_data": _("insufficient data"),
    },
    "criterion": {
        "fdg_mismatch": _("I-131 / FDG mismatch"),
        "no_uptake": _("absence or loss of uptake"),
        "nonavid_lesion": _("non-avid lesion"),
        "progression_despite_uptake": _("progression despite uptake"),
        "cumulative_activity": _("cumulative activity"),
    },
    "response": {
        "excellent": _("excellent response"),
        "indeterminate": _("indeterminate response"),
        "biochemical_incomplete": _("biochemical incomplete response"),
        "structural_incomplete": _("structural incomplete response"),
    },
    "risk": {"low": _("low"), "intermediate": _("intermediate"), "high": _("high")},
    "reason": {
        "histology_not_differentiated": _("histology is not differentiated carcinoma"),
        "histology_not_applicable": _("not applicable to this histology"),
        "no_post_therapy_study": _("no post-therapy study on record"),
        "no_recent_imaging": _("no recent imaging"),
        "no_tg": _("no Tg value"),
        "no_i131_course": _("no I-131 course on record"),
        "first_course_without_post_therapy_study": _(
            "the first I-131 course has no post-therapy study"
        ),
    },
    "flag": {
        "tsh_inadequate": _("TSH not above the threshold"),
        "tsh_unknown": _("TSH not recorded"),
        "scan_day_out_of_range": _("scan outside days 2-10"),
        "heterogeneous_uptake": _("heterogeneous uptake"),
        "soft_criterion": _("soft criterion"),
    },
    "role": {
        "clinician": _("clinician"),
        "manager": _("manager"),
        "researcher": _("researcher"),
    },
    "action": {"create": _("created"), "update": _("changed"), "delete": _("deleted")},
}


@cache
def _translated(language: str | None) -> dict[str, dict[str, str]]:
    """Every label in ``language`` (the active one when this runs), translated once per
    process: a page of the list asks for two hundred labels, each a catalog lookup."""
    return {
        kind: {code: str(name) for code, name in names.items()} for kind, names in LABELS.items()
    }


def label(kind: str, value: object) -> str:
    """The name of a code in the active language; an unknown code is shown as the code
    itself."""
    if value is None:
        return ""
    code = str(getattr(value, "value", value))
    return _translated(get_language()).get(kind, {}).get(code, code)


def choices(kind: str, codes: list[str], *, blank: bool) -> list[tuple[str, str]]:
    options = [(code, label(kind, code)) for code in codes]
    return [("", "—"), *options] if blank else options
