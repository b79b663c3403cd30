"""The OMOP CDM v5.4 tables of a registry, as CSV, and reading them back.

Which record goes where (``docs/exchange.md`` has the full table):

- ``person``: one row per patient; ``person_source_value`` is the registry id (pseudonymous in
  a research export); the identifier fields have no column and are never written.
- ``condition_occurrence``: the thyroid cancer, dated at diagnosis; source value the histology.
- ``procedure_occurrence``: surgeries (``surgery:<procedure>``), I-131 therapies
  (``i131_therapy``) and imaging studies (``imaging:<modality>``).
- ``drug_exposure``: the I-131 activity, in the unit entered.
- ``measurement``: Tg, TgAb and TSH (source value the LOINC code), and the TSH of a course day.
- ``observation``: TNM, pathology, molecular results, smoking, region, recorded stage, last
  follow-up, imaging findings, MDT recommendations and progression statements.
- ``episode`` and ``episode_event`` (oncology extension): the disease episode from diagnosis,
  and one treatment episode per I-131 course linked to its drug exposure.
- ``death``: the date of death.

Every row carries, in its source-value columns, what is needed to rebuild the record, so
that :func:`read_omop` gives the registry back (ids of sub-records and MDT notes excepted:
OMOP has no place for them).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path as FsPath
from typing import Any

from rairtc.core.codes import MOLECULAR_KEYS
from rairtc.core.records import FINDING_FIELDS, Patient
from rairtc.io.fhir.codes import LAB_LOINC
from rairtc.io.omop.concepts import EHR, GENDER

COLUMNS: dict[str, list[str]] = {
    "person": [
        "person_id", "gender_concept_id", "year_of_birth", "month_of_birth", "day_of_birth",
        "birth_datetime", "race_concept_id", "ethnicity_concept_id", "location_id",
        "provider_id", "care_site_id", "person_source_value", "gender_source_value",
        "gender_source_concept_id", "race_source_value", "race_source_concept_id",
        "ethnicity_source_value", "ethnicity_source_concept_id",
    ],
    "condition_occurrence": [
        "condition_occurrence_id", "person_id", "condition_concept_id", "condition_start_date",
        "condition_start_datetime", "condition_end_date", "condition_end_datetime",
        "condition_type_concept_id", "condition_status_concept_id", "stop_reason",
        "provider_id", "visit_occurrence_id", "visit_detail_id", "condition_source_value",
        "condition_source_concept_id", "condition_status_source_value",
    ],
    "procedure_occurrence": [
        "procedure_occurrence_id", "person_id", "procedure_concept_id", "procedure_date",
        "procedure_datetime", "procedure_end_date", "procedure_end_datetime",
        "procedure_type_concept_id", "modifier_concept_id", "quantity", "provider_id",
        "visit_occurrence_id", "visit_detail_id", "procedure_source_value",
        "procedure_source_concept_id", "modifier_source_value",
    ],
    "drug_exposure": [
        "drug_exposure_id", "person_id", "drug_concept_id", "drug_exposure_start_date",
        "drug_exposure_start_datetime", "drug_exposure_end_date", "drug_exposure_end_datetime",
        "verbatim_end_date", "drug_type_concept_id", "stop_reason", "refills", "quantity",
        "days_supply", "sig", "route_concept_id", "lot_number", "provider_id",
        "visit_occurrence_id", "visit_detail_id", "drug_source_value", "drug_source_concept_id",
        "route_source_value", "dose_unit_source_value",
    ],
    "measurement": [
        "measurement_id", "person_id", "measurement_concept_id", "measurement_date",
        "measurement_datetime", "measurement_time", "measurement_type_concept_id",
        "operator_concept_id", "value_as_number", "value_as_concept_id", "unit_concept_id",
        "range_low", "range_high", "provider_id", "visit_occurrence_id", "visit_detail_id",
        "measurement_source_value", "measurement_source_concept_id", "unit_source_value",
        "unit_source_concept_id", "value_source_value", "measurement_event_id",
        "meas_event_field_concept_id",
    ],
    "observation": [
        "observation_id", "person_id", "observation_concept_id", "observation_date",
        "observation_datetime", "observation_type_concept_id", "value_as_number",
        "value_as_string", "value_as_concept_id", "qualifier_concept_id", "unit_concept_id",
        "provider_id", "visit_occurrence_id", "visit_detail_id", "observation_source_value",
        "observation_source_concept_id", "unit_source_value", "qualifier_source_value",
        "value_source_value", "observation_event_id", "obs_event_field_concept_id",
    ],
    "episode": [
        "episode_id", "person_id", "episode_concept_id", "episode_start_date",
        "episode_start_datetime", "episode_end_date", "episode_end_datetime",
        "episode_parent_id", "episode_number", "episode_object_concept_id",
        "episode_type_concept_id", "episode_source_value", "episode_source_concept_id",
    ],
    "episode_event": ["episode_id", "event_id", "episode_event_field_concept_id"],
    "death": [
        "person_id", "death_date", "death_datetime", "death_type_concept_id",
        "cause_concept_id", "cause_source_value", "cause_source_concept_id",
    ],
}  # fmt: skip
TABLES = tuple(COLUMNS)

# Patient fields written as observations, dated at diagnosis (the pathology and staging).
PATIENT_OBSERVATIONS = (
    "t",
    "n",
    "m",
    "variant",
    "extrathyroidal_extension",
    "vascular_invasion_foci",
    "capsular_invasion",
    "lymph_nodes_positive",
    "largest_node_mm",
    "margins",
    "stage_recorded",
    "region",
    "smoker",
    *(f"molecular_{key}" for key in MOLECULAR_KEYS),
)


def text(value: Any) -> str:
    """A cell: booleans as true/false, numbers exact and in plain notation."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(getattr(value, "value", value))


class _Tables:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.ids: dict[str, int] = {}

    def add(self, table: str, **values: Any) -> int:
        key = COLUMNS[table][0]
        number = self.ids.get(table, 0) + 1
        self.ids[table] = number
        if table not in ("death", "episode_event"):
            values[key] = number
        self.rows[table].append(values)
        return number

    def observation(self, person: int, day: date, source: str, value: Any) -> None:
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        self.add(
            "observation",
            person_id=person,
            observation_concept_id=0,
            observation_date=day,
            observation_type_concept_id=EHR,
            value_as_number=number,
            value_as_string=None if number is not None else text(value),
            value_source_value=text(value),
            observation_source_value=source,
        )


def omop_rows(patients: Sequence[Patient]) -> dict[str, list[dict[str, Any]]]:
    out = _Tables()
    for person, p in enumerate(patients, start=1):
        born = p.birth_date
        out.add(
            "person",
            person_id=person,
            gender_concept_id=GENDER[p.sex.value],
            year_of_birth=born.year,
            month_of_birth=born.month,
            day_of_birth=born.day,
            birth_datetime=f"{born.isoformat()}T00:00:00",
            race_concept_id=0,
            ethnicity_concept_id=0,
            person_source_value=p.id,
            gender_source_value=p.sex.value,
        )
        dx = p.diagnosis_date
        out.add(
            "condition_occurrence",
            person_id=person,
            condition_concept_id=0,
            condition_start_date=dx,
            condition_type_concept_id=EHR,
            condition_source_value=p.histology.value,
        )
        disease = out.add(
            "episode",
            person_id=person,
            episode_concept_id=0,
            episode_start_date=dx,
            episode_end_date=p.last_follow_up,
            episode_number=1,
            episode_object_concept_id=0,
            episode_type_concept_id=EHR,
            episode_source_value="disease",
        )
        for name in PATIENT_OBSERVATIONS:
            if name.startswith("molecular_"):
                value = getattr(p.molecular, name[len("molecular_") :]) if p.molecular else None
            else:
                value = getattr(p, name)
            if value is not None:
                out.observation(person, dx, name, value)
        if p.last_follow_up is not None:
            out.observation(person, p.last_follow_up, "last_follow_up", p.last_follow_up)
        if p.deceased_date is not None:
            out.add(
                "death",
                person_id=person,
                death_date=p.deceased_date,
                death_type_concept_id=EHR,
                cause_concept_id=0,
            )
        for surgery in p.surgeries:
            out.add(
                "procedure_occurrence",
                person_id=person,
                procedure_concept_id=0,
                procedure_date=surgery.date,
                procedure_type_concept_id=EHR,
                procedure_source_value=f"surgery:{surgery.procedure.value}",
            )
        for number, course in enumerate(p.rai_courses, start=1):
            out.add(
                "procedure_occurrence",
                person_id=person,
                procedure_concept_id=0,
                procedure_date=course.date,
                procedure_type_concept_id=EHR,
                procedure_source_value="i131_therapy",
            )
            unit, amount = ("mCi", course.activity_mci)
            if amount is None:
                unit, amount = ("GBq", course.activity_gbq)
            drug = out.add(
                "drug_exposure",
                person_id=person,
                drug_concept_id=0,
                drug_exposure_start_date=course.date,
                drug_exposure_end_date=course.date,
                drug_type_concept_id=EHR,
                quantity=amount,
                sig=course.stimulation,
                drug_source_value="sodium_iodide_i131",
                route_source_value="oral",
                dose_unit_source_value=unit,
            )
            if course.activity_mci is not None and course.activity_gbq is not None:
                out.add(
                    "measurement",
                    person_id=person,
                    measurement_concept_id=0,
                    measurement_date=course.date,
                    measurement_type_concept_id=EHR,
                    value_as_number=course.activity_gbq,
                    measurement_source_value="activity_gbq",
                    unit_source_value="GBq",
                    measurement_event_id=drug,
                    meas_event_field_concept_id=0,
                )
            if course.tsh_miu_l is not None:
                out.add(
                    "measurement",
                    person_id=person,
                    measurement_concept_id=0,
                    measurement_date=course.date,
                    measurement_type_concept_id=EHR,
                    value_as_number=course.tsh_miu_l,
                    measurement_source_value="course_tsh",
                    unit_source_value="mIU/L",
                    measurement_event_id=drug,
                    meas_event_field_concept_id=0,
                )
            if course.centre is not None:
                out.add(
                    "observation",
                    person_id=person,
                    observation_concept_id=0,
                    observation_date=course.date,
                    observation_type_concept_id=EHR,
                    value_as_string=course.centre,
                    observation_source_value="course_centre",
                    observation_event_id=drug,
                    obs_event_field_concept_id=0,
                )
            episode = out.add(
                "episode",
                person_id=person,
                episode_concept_id=0,
                episode_start_date=course.date,
                episode_end_date=course.date,
                episode_parent_id=disease,
                episode_number=number,
                episode_object_concept_id=0,
                episode_type_concept_id=EHR,
                episode_source_value="i131_course",
            )
            out.add(
                "episode_event", episode_id=episode, event_id=drug, episode_event_field_concept_id=0
            )
        for study in p.imaging:
            proc = out.add(
                "procedure_occurrence",
                person_id=person,
                procedure_concept_id=0,
                procedure_date=study.date,
                procedure_type_concept_id=EHR,
                procedure_source_value=f"imaging:{study.modality.value}",
                modifier_source_value=text(study.progression),
            )
            for finding in study.findings:
                parts = [
                    f"{name}={text(getattr(finding, name))}"
                    for name in FINDING_FIELDS
                    if getattr(finding, name) is not None
                ]
                out.add(
                    "observation",
                    person_id=person,
                    observation_concept_id=0,
                    observation_date=study.date,
                    observation_type_concept_id=EHR,
                    value_as_string=" ".join(parts),
                    observation_source_value="finding",
                    observation_event_id=proc,
                    obs_event_field_concept_id=0,
                )
        for lab in p.labs:
            loinc = LAB_LOINC[lab.test.value][0]
            out.add(
                "measurement",
                person_id=person,
                measurement_concept_id=0,
                measurement_date=lab.date,
                measurement_type_concept_id=EHR,
                value_as_number=lab.value,
                range_high=lab.assay_upper_normal,
                measurement_source_value=loinc,
                unit_source_value=lab.unit,
                value_source_value=";".join(
                    f"{name}={text(getattr(lab, name))}"
                    for name in ("below_limit", "stimulated")
                    if getattr(lab, name) is not None
                ),
            )
        for entry in p.mdt:
            out.add(
                "observation",
                person_id=person,
                observation_concept_id=0,
                observation_date=entry.date,
                observation_type_concept_id=EHR,
                value_as_string=" ".join(code.value for code in entry.recommendations),
                observation_source_value="mdt_recommendations",
            )
    return out.rows


def write_omop(patients: Sequence[Patient], folder: FsPath) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in omop_rows(patients).items():
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(COLUMNS[table])
            for row in rows:
                writer.writerow([text(row.get(column)) for column in COLUMNS[table]])


def looks_like_omop(folder: FsPath) -> bool:
    return (folder / "person.csv").is_file()


def read_rows(folder: FsPath, table: str) -> Iterator[tuple[int, dict[str, str]]]:
    path = folder / f"{table}.csv"
    if not path.exists():
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from enumerate(csv.DictReader(handle), start=2)
