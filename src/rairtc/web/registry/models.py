"""One table per table of ``data-model.md``, mapped one to one to :mod:`rairtc.core.records`
(:mod:`rairtc.web.registry.convert` converts each way).

Identifiers (full name, IIN, MRN) live in their own table, so that pages for researchers never
load them. Sub-records keep their position (the order they were entered) and their record id
(unique within the patient; the web app assigns one when a record has none), which is what URLs
and the audit trail name. Activities are decimals, as entered, with their unit.

``Patient.revision`` grows with every write: the classification cache is keyed by it, so any
write invalidates every cached as-of date of that patient. ``ClassificationSummary`` is the
small table the list page filters and sorts on (the verdict as of the day it was computed);
it is derived, refreshed on write and by ``rairtc reclassify``, and never the truth.
"""

from __future__ import annotations

from django.db import models

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


def codes(enum: type) -> list[tuple[str, str]]:
    return [(str(member.value), str(member.value)) for member in enum]  # type: ignore[attr-defined]


def code(enum: type, *, required: bool = False) -> models.CharField[str | None, str | None]:
    return models.CharField(max_length=40, choices=codes(enum), null=not required)


MOLECULAR_FIELDS = MOLECULAR_KEYS  # the molecular markers of data-model.md, defined once
ACTIVITY = {"max_digits": 18, "decimal_places": 8, "null": True}


class Patient(models.Model):
    id = models.CharField(primary_key=True, max_length=64)
    sex = code(Sex, required=True)
    birth_date = models.DateField()
    diagnosis_date = models.DateField()
    histology = code(Histology, required=True)
    variant = code(Variant)
    t = code(TCategory)
    n = code(NCategory)
    m = code(MCategory)
    extrathyroidal_extension = code(Extension)
    vascular_invasion_foci = models.IntegerField(null=True)
    capsular_invasion = models.BooleanField(null=True)
    stage_recorded = models.CharField(max_length=40, null=True)
    region = models.CharField(max_length=100, null=True)
    lymph_nodes_positive = models.IntegerField(null=True)
    largest_node_mm = models.FloatField(null=True)
    margins = code(Margins)
    molecular_BRAF_V600E = models.BooleanField(null=True)
    molecular_NRAS = models.BooleanField(null=True)
    molecular_HRAS = models.BooleanField(null=True)
    molecular_KRAS = models.BooleanField(null=True)
    molecular_TERT = models.BooleanField(null=True)
    molecular_RET_fusion = models.BooleanField(null=True)
    molecular_NTRK_fusion = models.BooleanField(null=True)
    molecular_ALK_fusion = models.BooleanField(null=True)
    smoker = models.BooleanField(null=True)
    last_follow_up = models.DateField(null=True)
    deceased_date = models.DateField(null=True)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]


class Identifiers(models.Model):
    patient = models.OneToOneField(
        Patient, primary_key=True, on_delete=models.CASCADE, related_name="identifiers"
    )
    full_name = models.CharField(max_length=200, null=True)
    national_id = models.CharField(max_length=12, null=True, db_index=True)
    mrn = models.CharField(max_length=64, null=True, db_index=True)
    name_folded = models.CharField(max_length=200, default="", db_index=True)


class SubRecord(models.Model):
    position = models.PositiveIntegerField()
    record_id = models.CharField(max_length=64)

    class Meta:
        abstract = True
        ordering = ["position"]


class Surgery(SubRecord):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="surgeries")
    date = models.DateField()
    procedure = code(Procedure, required=True)


class RaiCourse(SubRecord):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="rai_courses")
    date = models.DateField()
    activity_mci = models.DecimalField(**ACTIVITY)
    activity_gbq = models.DecimalField(**ACTIVITY)
    stimulation = code(Stimulation)
    tsh_miu_l = models.FloatField(null=True)
    centre = models.CharField(max_length=200, null=True)


class Imaging(SubRecord):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="imaging")
    date = models.DateField()
    modality = code(Modality, required=True)
    progression = models.BooleanField(null=True)


class Finding(SubRecord):
    imaging = models.ForeignKey(Imaging, on_delete=models.CASCADE, related_name="findings")
    site = code(Site, required=True)
    nodal_level = code(NodalLevel)
    side = code(Side)
    kind = code(FindingKind, required=True)
    rai_uptake = models.BooleanField(null=True)
    fdg_uptake = models.BooleanField(null=True)
    size_mm = models.FloatField(null=True)
    new = models.BooleanField(null=True)


class Lab(SubRecord):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="labs")
    date = models.DateField()
    test = code(LabTest, required=True)
    value = models.FloatField()
    unit = models.CharField(max_length=16)
    stimulated = models.BooleanField(null=True)
    below_limit = models.BooleanField(null=True)
    assay_upper_normal = models.FloatField(null=True)


class Mdt(SubRecord):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="mdt")
    date = models.DateField()
    note = models.TextField(null=True)


class MdtRecommendation(models.Model):
    mdt = models.ForeignKey(Mdt, on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveIntegerField()
    code = code(Recommendation, required=True)

    class Meta:
        ordering = ["position"]


class ClassificationSummary(models.Model):
    """What the list page filters and sorts on; recomputed from the core, never edited."""

    patient = models.OneToOneField(
        Patient, primary_key=True, on_delete=models.CASCADE, related_name="summary"
    )
    pseudonym = models.CharField(max_length=24, unique=True)
    as_of = models.DateField()
    status = models.CharField(max_length=24, db_index=True)
    primary_criterion = models.CharField(max_length=32, null=True, db_index=True)
    onset_date = models.DateField(null=True)
    stage = models.CharField(max_length=8, null=True, db_index=True)
    ata_response = models.CharField(max_length=32, null=True, db_index=True)
    first_course_year = models.IntegerField(null=True, db_index=True)

    class Meta:
        # The list page sorts by these columns with the patient id as tie-breaker.
        indexes = [
            models.Index(fields=[column, "patient"], name=f"summary_{column}_id")
            for column in ("status", "stage", "onset_date", "first_course_year")
        ]


class RegistryKey(models.Model):
    """The key of the researchers' keyed pseudonyms; one row, created on first use."""

    key = models.BinaryField()


class RegistryRevision(models.Model):
    """One counter that grows with every write to any patient (and every ``reclassify``), in
    the write's own transaction: what registry-wide caches (the dashboard's counts, the list
    page's totals) are keyed by, so a write anywhere makes them unreachable in every worker
    process at once."""

    value = models.BigIntegerField(default=0)
