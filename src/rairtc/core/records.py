"""Patient records of ``data-model.md`` (schema version 1) as immutable pydantic models.

A record holds what was entered: an activity keeps its value and unit, a lab its unit. Exact
derived quantities (MBq) are properties, so there is one stored truth and no drift between
a value and its conversion. Models check types and enumerations only; clinical plausibility
(dates, activities, units) is :mod:`rairtc.core.validation`'s job, where every problem gets a
stable code.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from rairtc.core.codes import (
    MOLECULAR_KEYS,
    Extension,
    FindingKind,
    Histology,
    LabTest,
    Margins,
    MCategory,
    Modality,
    NCategory,
    NodalLevel,
    Procedure,
    Recommendation,
    Sex,
    Side,
    Site,
    Stimulation,
    TCategory,
    Variant,
)
from rairtc.core.units import gbq_to_mbq, mci_to_mbq

SCHEMA_VERSION = 1


class Record(BaseModel):
    """Base of every record: immutable, no unknown fields, numbers accepted as text ids."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)


class Molecular(Record):
    BRAF_V600E: bool | None = None
    NRAS: bool | None = None
    HRAS: bool | None = None
    KRAS: bool | None = None
    TERT: bool | None = None
    RET_fusion: bool | None = None
    NTRK_fusion: bool | None = None
    ALK_fusion: bool | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, key) is None for key in MOLECULAR_KEYS)


class Surgery(Record):
    id: str | None = None
    date: date
    procedure: Procedure


class RaiCourse(Record):
    id: str | None = None
    date: date
    activity_mci: float | None = None
    activity_gbq: float | None = None
    stimulation: Stimulation | None = None
    tsh_miu_l: float | None = None
    centre: str | None = None

    @model_validator(mode="after")
    def _one_activity_unit(self) -> RaiCourse:
        if self.activity_mci is None and self.activity_gbq is None:
            raise PydanticCustomError(
                "activity_missing", "an I-131 course needs activity_mci or activity_gbq"
            )
        return self

    @property
    def activity_mbq(self) -> Decimal:
        """Exact MBq; when both units are given (and agree), ``activity_mci`` is used."""
        if self.activity_mci is not None:
            return mci_to_mbq(self.activity_mci)
        assert self.activity_gbq is not None
        return gbq_to_mbq(self.activity_gbq)


class Finding(Record):
    id: str | None = None
    site: Site
    nodal_level: NodalLevel | None = None
    side: Side | None = None
    kind: FindingKind
    rai_uptake: bool | None = None
    fdg_uptake: bool | None = None
    size_mm: float | None = None
    new: bool | None = None


FINDING_FIELDS = tuple(name for name in Finding.model_fields if name != "id")
"""What a finding records, in the data model's order (every format and the web app use it)."""


class Imaging(Record):
    id: str | None = None
    date: date
    modality: Modality
    progression: bool | None = None
    findings: tuple[Finding, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _missing_findings_mean_none(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("findings") is None:
            return {**data, "findings": ()}
        return data


class Lab(Record):
    id: str | None = None
    date: date
    test: LabTest
    value: float
    unit: str
    stimulated: bool | None = None
    below_limit: bool | None = None
    assay_upper_normal: float | None = None


class Mdt(Record):
    id: str | None = None
    date: date
    recommendations: tuple[Recommendation, ...]
    note: str | None = None


class Patient(Record):
    id: str
    full_name: str | None = None
    national_id: str | None = None
    mrn: str | None = None
    sex: Sex
    birth_date: date
    diagnosis_date: date
    histology: Histology
    variant: Variant | None = None
    t: TCategory | None = None
    n: NCategory | None = None
    m: MCategory | None = None
    extrathyroidal_extension: Extension | None = None
    vascular_invasion_foci: int | None = None
    capsular_invasion: bool | None = None
    stage_recorded: str | None = None
    region: str | None = None
    lymph_nodes_positive: int | None = None
    largest_node_mm: float | None = None
    margins: Margins | None = None
    molecular: Molecular | None = None
    smoker: bool | None = None
    last_follow_up: date | None = None
    deceased_date: date | None = None
    surgeries: tuple[Surgery, ...] = ()
    rai_courses: tuple[RaiCourse, ...] = ()
    imaging: tuple[Imaging, ...] = ()
    labs: tuple[Lab, ...] = ()
    mdt: tuple[Mdt, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _normalise_unknowns(cls, data: Any) -> Any:
        """``MX`` is read as unknown M; an all-unknown molecular object is no object; a
        missing list is an empty one."""
        if not isinstance(data, dict):
            return data
        fixed = dict(data)
        if fixed.get("m") == "MX":
            fixed["m"] = None
        molecular = fixed.get("molecular")
        if isinstance(molecular, dict) and all(v is None for v in molecular.values()):
            fixed["molecular"] = None
        for key in LIST_FIELDS:
            if fixed.get(key) is None:
                fixed[key] = ()
        return fixed


LIST_FIELDS = ("surgeries", "rai_courses", "imaging", "labs", "mdt")

# Field sets by record kind, used to report unknown fields before the model sees them.
FIELDS: dict[str, frozenset[str]] = {
    "patient": frozenset(Patient.model_fields),
    "surgeries": frozenset(Surgery.model_fields),
    "rai_courses": frozenset(RaiCourse.model_fields),
    "imaging": frozenset(Imaging.model_fields),
    "findings": frozenset(Finding.model_fields),
    "labs": frozenset(Lab.model_fields),
    "mdt": frozenset(Mdt.model_fields),
    "molecular": frozenset(MOLECULAR_KEYS),
}

# The record of each table of the data model (tabular formats read and write cells by it).
TABLE_RECORDS: dict[str, type[Record]] = {
    "patients": Patient,
    "surgeries": Surgery,
    "rai_courses": RaiCourse,
    "imaging": Imaging,
    "findings": Finding,
    "labs": Lab,
    "mdt": Mdt,
}
