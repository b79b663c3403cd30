"""Evidence: why a criterion, a flag or a reason applies, as a message code with parameters.

The English sentence is rendered here; reports and the web app render the same code and
parameters in Russian and Kazakh from their catalogues. Parameters are plain JSON values
(ISO dates, codes), so that evidence survives any serialisation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rairtc.core.codes import FindingKind, Modality, Site
from rairtc.core.records import Finding, Imaging

STUDY_NAMES = {
    Modality.POST_THERAPY_WBS: "Post-therapy whole-body scan",
    Modality.POST_THERAPY_SPECT_CT: "Post-therapy SPECT/CT",
    Modality.DIAGNOSTIC_WBS: "Diagnostic whole-body scan",
    Modality.FDG_PET_CT: "FDG PET/CT",
    Modality.NECK_US: "Neck ultrasound",
    Modality.CT: "CT",
    Modality.MRI: "MRI",
}
SITE_NAMES = {
    Site.THYROID_BED: "thyroid bed",
    Site.CERVICAL_LYMPH_NODE: "cervical lymph node",
    Site.MEDIASTINUM: "mediastinal",
    Site.LUNG: "lung",
    Site.BONE: "bone",
    Site.BRAIN: "brain",
    Site.LIVER: "liver",
    Site.OTHER: "other-site",
}
KIND_NAMES = {
    FindingKind.REMNANT: "remnant",
    FindingKind.LOCAL_RECURRENCE: "local recurrence",
    FindingKind.REGIONAL_METASTASIS: "metastasis",
    FindingKind.DISTANT_METASTASIS: "metastasis",
    FindingKind.INDETERMINATE: "indeterminate focus",
}

TEMPLATES: dict[str, str] = {
    "evidence.nonavid_finding": "{study_name} of {date}: {lesion} does not concentrate I-131.",
    "evidence.avid_finding": "{study_name} of {date}: {lesion} concentrates I-131.",
    "evidence.fdg_avid_finding": "{study_name} of {date}: {lesion} is FDG-avid.",
    "evidence.site_not_avid": "{study_name} of {date} ({days} days {direction} the FDG PET/CT): no I-131 uptake at the "
    "{place}.",
    "evidence.never_avid": "{study_name} of {date} after the first I-131 course ({course_date}): no focus "
    "concentrates I-131 ({nonavid} non-avid disease finding(s)).",
    "evidence.uptake_lost": "{lesion} concentrated I-131 on the {earlier_study_name} of {earlier_date} (course "
    "{earlier_course}) and does not on the {study_name} of {date} (course {course}).",
    "evidence.avid_disease_after_course": "{study_name} of {date} after the I-131 course of {course_date}: {lesion} concentrates "
    "I-131.",
    "evidence.structural_progression": "{study_name} of {date}, {months} month(s) after the I-131 course of {course_date}: "
    "structural progression ({what}).",
    "evidence.cumulative_activity_reached": "Cumulative I-131 activity reached {cumulative_mci} mCi ({cumulative_gbq} GBq) with the "
    "course of {course_date} (course {course}); the threshold is {threshold_mci} mCi.",
    "evidence.persistent_disease": "{study_name} of {date}: {lesion} is still present after that activity.",
    "warning.post_therapy_study_ignored": "{study_name} of {date} has no I-131 course 0 to {max_days} days before it and is not "
    "used by the refractoriness criteria.",
}

FLAG_TEXTS: dict[str, str] = {
    "tsh_inadequate": "TSH at the course was not above the withdrawal threshold",
    "tsh_unknown": "TSH at the course is not recorded",
    "scan_day_out_of_range": "the post-therapy scan was outside the confirmed days",
    "heterogeneous_uptake": "the same study also shows iodine-avid disease",
    "soft_criterion": "cumulative activity alone does not prove refractoriness",
}


@dataclass(frozen=True)
class Evidence:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return render(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params), "text": self.text}


def lesion_phrase(site: str, side: str | None, kind: str) -> str:
    """'right cervical lymph node metastasis', 'bone metastasis', 'thyroid bed remnant'."""
    words = [] if side is None else [side]
    words += [SITE_NAMES[Site(site)], KIND_NAMES[FindingKind(kind)]]
    return " ".join(words)


def render(code: str, params: Mapping[str, Any]) -> str:
    values = dict(params)
    if "study" in values:
        values["study_name"] = STUDY_NAMES[Modality(values["study"])]
    if "earlier_study" in values:
        values["earlier_study_name"] = STUDY_NAMES[Modality(values["earlier_study"])].lower()
    if "site" in values and "kind" in values:
        values["lesion"] = lesion_phrase(values["site"], values.get("side"), values["kind"])
    if "site" in values and "kind" not in values:
        side = values.get("side")
        values["place"] = (f"{side} " if side else "") + SITE_NAMES[Site(values["site"])]
    if code == "evidence.structural_progression":
        parts = ["reported by the reader"] if values.get("reader_progression") else []
        parts += [
            "new " + lesion_phrase(n["site"], n.get("side"), n["kind"])
            for n in values.get("new_lesions", [])
        ]
        values["what"] = "; ".join(parts)
    text = TEMPLATES[code].format(**values)
    return text[0].upper() + text[1:]


def finding_params(study: Imaging, finding: Finding) -> dict[str, Any]:
    """The parameters that name a study and one of its findings."""
    return {
        "study": study.modality.value,
        "date": study.date.isoformat(),
        "site": finding.site.value,
        "side": None if finding.side is None else finding.side.value,
        "kind": finding.kind.value,
    }


def iso(day: date) -> str:
    return day.isoformat()


__all__ = ["Evidence", "FLAG_TEXTS", "finding_params", "iso", "lesion_phrase", "render"]
