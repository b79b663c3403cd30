"""Evidence: why a criterion, a flag or a reason applies, as a message code with parameters.

The English sentence is rendered here; reports and the web app render the same code and
parameters in Russian and Kazakh from their catalogues. Parameters are plain JSON values
(ISO dates, codes), so that evidence survives any serialisation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
PLACE_NAMES = {
    Site.THYROID_BED: "thyroid bed",
    Site.CERVICAL_LYMPH_NODE: "cervical lymph node",
    Site.MEDIASTINUM: "mediastinum",
    Site.LUNG: "lung",
    Site.BONE: "bone",
    Site.BRAIN: "brain",
    Site.LIVER: "liver",
    Site.OTHER: "other site",
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
    "{earlier_course}) and does not on the {later_study_name} of {date} (course {course}).",
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


SIDE_NAMES = {"left": "left", "right": "right", "midline": "midline"}
LESION_WITH_SIDE = "{side} {site} {kind}"
LESION_WITHOUT_SIDE = "{site} {kind}"
PLACE_WITH_SIDE = "{side} {site}"
READER_PROGRESSION = "reported by the reader"
NEW_LESION = "new {lesion}"

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Evidence:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return render(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params), "text": self.text}


def lesion_phrase(site: str, side: str | None, kind: str, translate: Translate = _same) -> str:
    """'right cervical lymph node metastasis', 'bone metastasis', 'thyroid bed remnant'."""
    words = {
        "site": translate(SITE_NAMES[Site(site)]),
        "kind": translate(KIND_NAMES[FindingKind(kind)]),
    }
    if side is None:
        return translate(LESION_WITHOUT_SIDE).format(**words)
    return translate(LESION_WITH_SIDE).format(side=translate(SIDE_NAMES[side]), **words)


def _mid_sentence(name: str) -> str:
    """A study name inside a sentence: lower-case first letter, acronyms (CT, FDG) kept."""
    if len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def render(
    code: str,
    params: Mapping[str, Any],
    translate: Translate = _same,
    format_date: Translate = _same,
    format_number: Translate = _same,
) -> str:
    """The sentence for an evidence code and its parameters, in the language ``translate``
    gives (English by default); ISO dates go through ``format_date`` and decimal numbers
    (written with a point) through ``format_number``."""
    values = dict(params)
    for key in ("date", "earlier_date", "course_date"):
        if key in values:
            values[key] = format_date(values[key])
    for key in ("cumulative_mci", "cumulative_gbq", "cumulative_mbq", "threshold_mci"):
        if key in values:
            values[key] = format_number(str(values[key]))
    if "study" in values:
        values["study_name"] = translate(STUDY_NAMES[Modality(values["study"])])
        values["later_study_name"] = _mid_sentence(values["study_name"])
    if "earlier_study" in values:
        values["earlier_study_name"] = _mid_sentence(
            translate(STUDY_NAMES[Modality(values["earlier_study"])])
        )
    if "site" in values and "kind" in values:
        values["lesion"] = lesion_phrase(
            values["site"], values.get("side"), values["kind"], translate
        )
    if "site" in values and "kind" not in values:
        site, side = translate(PLACE_NAMES[Site(values["site"])]), values.get("side")
        values["place"] = (
            site
            if not side
            else translate(PLACE_WITH_SIDE).format(side=translate(SIDE_NAMES[side]), site=site)
        )
    if "direction" in values:
        values["direction"] = translate(values["direction"])
    if code == "evidence.structural_progression":
        parts = [translate(READER_PROGRESSION)] if values.get("reader_progression") else []
        parts += [
            translate(NEW_LESION).format(
                lesion=lesion_phrase(n["site"], n.get("side"), n["kind"], translate)
            )
            for n in values.get("new_lesions", [])
        ]
        values["what"] = "; ".join(parts)
    text = translate(TEMPLATES[code]).format(**values)
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
