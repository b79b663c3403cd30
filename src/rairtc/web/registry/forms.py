"""Forms for every record type. They only collect values: whether a record is valid is the
core's decision (:func:`rairtc.core.validation.validate_patient`), whose messages are put
beside the fields they name. Codes are select lists in the user's language; dates use the
browser's date picker and also accept ``DD.MM.YYYY``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rairtc.core import codes as c
from rairtc.web.labels import choices
from rairtc.web.registry.models import MOLECULAR_FIELDS

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DateInput(), input_formats=DATE_FORMATS
    )


def code_field(label: Any, kind: str, enum: type, *, required: bool = False) -> forms.ChoiceField:
    values = [str(member.value) for member in enum]  # type: ignore[attr-defined]
    return forms.ChoiceField(
        label=label, required=required, choices=choices(kind, values, blank=not required)
    )


def plain_codes(label: Any, enum: type) -> forms.ChoiceField:
    values = [str(member.value) for member in enum]  # type: ignore[attr-defined]
    return forms.ChoiceField(
        label=label, required=False, choices=[("", "—"), *((v, v) for v in values)]
    )


def yes_no(label: Any) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, required=False)


class RecordForm(forms.Form):
    """A form whose cleaned values become one record of the patient JSON."""

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value is None or value == "":
                continue
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = float(value)
            out[name] = value
        return out

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k in cls.base_fields}


class PatientForm(RecordForm):
    id = forms.CharField(label=_("Registry id"), max_length=64)
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=200)
    national_id = forms.CharField(label=_("IIN"), required=False, max_length=20)
    mrn = forms.CharField(label=_("MRN"), required=False, max_length=64)
    sex = code_field(_("Sex"), "sex", c.Sex, required=True)
    birth_date = date_field(_("Birth date"))
    diagnosis_date = date_field(_("Diagnosis date"))
    histology = code_field(_("Histology"), "histology", c.Histology, required=True)
    variant = code_field(_("Variant"), "variant", c.Variant)
    t = plain_codes("T", c.TCategory)
    n = plain_codes("N", c.NCategory)
    m = plain_codes("M", c.MCategory)
    extrathyroidal_extension = code_field(
        _("Extrathyroidal extension"), "extrathyroidal_extension", c.Extension
    )
    vascular_invasion_foci = forms.IntegerField(
        label=_("Foci of vascular invasion"), required=False
    )
    capsular_invasion = yes_no(_("Capsular invasion"))
    stage_recorded = forms.CharField(label=_("Stage as recorded"), required=False, max_length=40)
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
    lymph_nodes_positive = forms.IntegerField(label=_("Positive lymph nodes"), required=False)
    largest_node_mm = forms.FloatField(label=_("Largest node, mm"), required=False)
    margins = plain_codes(_("Margins"), c.Margins)
    smoker = yes_no(_("Smoker"))
    last_follow_up = date_field(_("Last follow-up"), required=False)
    deceased_date = date_field(_("Date of death"), required=False)

    def record(self) -> dict[str, Any]:
        out = super().record()
        molecular = {
            k: out.pop(f"molecular_{k}") for k in MOLECULAR_FIELDS if f"molecular_{k}" in out
        }
        if molecular:
            out["molecular"] = molecular
        return out

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        flat = dict(data)
        for key, value in (data.get("molecular") or {}).items():
            flat[f"molecular_{key}"] = value
        return super().initial_from(flat)


for _key in MOLECULAR_FIELDS:
    PatientForm.base_fields[f"molecular_{_key}"] = yes_no(_key.replace("_", " "))


class SurgeryForm(RecordForm):
    date = date_field(_("Date"))
    procedure = code_field(_("Procedure"), "procedure", c.Procedure, required=True)


class CourseForm(RecordForm):
    date = date_field(_("Date"))
    activity_mci = forms.DecimalField(
        label=_("Activity, mCi"), required=False, max_digits=12, decimal_places=4
    )
    activity_gbq = forms.DecimalField(
        label=_("Activity, GBq"), required=False, max_digits=12, decimal_places=4
    )
    stimulation = code_field(_("Stimulation"), "stimulation", c.Stimulation)
    tsh_miu_l = forms.FloatField(label=_("TSH on the day, mIU/L"), required=False)
    centre = forms.CharField(label=_("Centre"), required=False, max_length=200)


class ImagingForm(RecordForm):
    date = date_field(_("Date"))
    modality = code_field(_("Study"), "modality", c.Modality, required=True)
    progression = yes_no(_("Structural progression"))


class FindingForm(RecordForm):
    site = code_field(_("Site"), "site", c.Site, required=True)
    nodal_level = plain_codes(_("Nodal level"), c.NodalLevel)
    side = code_field(_("Side"), "side", c.Side)
    kind = code_field(_("Kind"), "kind", c.FindingKind, required=True)
    rai_uptake = yes_no(_("I-131 uptake"))
    fdg_uptake = yes_no(_("FDG uptake"))
    size_mm = forms.FloatField(label=_("Size, mm"), required=False)
    new = yes_no(_("New"))


class LabForm(RecordForm):
    date = date_field(_("Date"))
    test = code_field(_("Test"), "test", c.LabTest, required=True)
    value = forms.FloatField(label=_("Value"))
    unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[(u, u) for u in ("ng/mL", "ug/L", "IU/mL", "kIU/L", "mIU/L", "uIU/mL")],
    )
    stimulated = yes_no(_("Stimulated"))
    below_limit = yes_no(_("Below the detection limit"))
    assay_upper_normal = forms.FloatField(label=_("Assay upper normal limit"), required=False)


class MdtForm(RecordForm):
    date = date_field(_("Date"))
    recommendations = forms.MultipleChoiceField(
        label=_("Recommendations"),
        choices=choices("recommendation", [r.value for r in c.Recommendation], blank=False),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@dataclass(frozen=True)
class Kind:
    """One record type: where it lives in the patient and which form edits it."""

    slug: str
    form: type[RecordForm]
    title: Any


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind("surgeries", SurgeryForm, _("Surgery")),
        Kind("rai_courses", CourseForm, _("I-131 course")),
        Kind("imaging", ImagingForm, _("Imaging study")),
        Kind("labs", LabForm, _("Laboratory test")),
        Kind("mdt", MdtForm, _("MDT decision")),
    )
}
