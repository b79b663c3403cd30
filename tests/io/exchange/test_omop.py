"""OMOP CDM: the tables a network loads, certain concept ids only, and the registry back."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from rairtc.core.records import Patient
from rairtc.io.omop.tables import COLUMNS, write_omop
from rairtc.io.registry import input_format, load_registry, load_valid_registry
from tests.cli.runner import invoke
from tests.io.exchange.conftest import TODAY
from tests.strategies import registries


def table(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def without_what_omop_cannot_hold(patient: Patient) -> Patient:
    """OMOP has no column for identifiers, sub-record ids or MDT notes."""

    def strip(items: tuple, **extra: object) -> tuple:  # type: ignore[type-arg]
        return tuple(item.model_copy(update={"id": None, **extra}) for item in items)

    return patient.model_copy(
        update={
            "full_name": None,
            "national_id": None,
            "mrn": None,
            "surgeries": strip(patient.surgeries),
            "rai_courses": strip(patient.rai_courses),
            "imaging": tuple(
                s.model_copy(update={"id": None, "findings": strip(s.findings)})
                for s in patient.imaging
            ),
            "labs": strip(patient.labs),
            "mdt": strip(patient.mdt, note=None),
        }
    )


def test_every_table_is_written_with_its_cdm_columns(
    tmp_path: Path, example: list[Patient]
) -> None:
    write_omop(example, tmp_path)
    for name in (
        "person",
        "condition_occurrence",
        "procedure_occurrence",
        "drug_exposure",
        "measurement",
        "observation",
        "episode",
        "episode_event",
    ):
        with (tmp_path / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == COLUMNS[name], name


def test_people_carry_the_standard_gender_concepts_and_no_identifier(
    tmp_path: Path, example: list[Patient]
) -> None:
    write_omop(example, tmp_path)
    people = table(tmp_path, "person")
    assert [p["gender_concept_id"] for p in people] == [
        {"F": "8532", "M": "8507"}[p.sex.value] for p in example
    ]
    text = "".join(path.read_text(encoding="utf-8") for path in tmp_path.glob("*.csv"))
    for patient in example:
        for identifier in (patient.mrn, patient.national_id, patient.full_name):
            assert identifier is None or identifier not in text


def test_uncertain_concepts_are_zero_with_the_source_value_kept(
    tmp_path: Path, example: list[Patient]
) -> None:
    write_omop(example, tmp_path)
    conditions = table(tmp_path, "condition_occurrence")
    assert {c["condition_concept_id"] for c in conditions} == {"0"}
    assert [c["condition_source_value"] for c in conditions] == [p.histology.value for p in example]
    labs = [m for m in table(tmp_path, "measurement") if m["measurement_source_value"] == "3013-0"]
    assert labs and {m["measurement_concept_id"] for m in labs} == {"0"}
    assert {m["measurement_type_concept_id"] for m in labs} == {"32817"}


def test_each_course_is_a_treatment_episode_linked_to_its_drug_exposure(
    tmp_path: Path, example: list[Patient]
) -> None:
    write_omop(example, tmp_path)
    courses = [e for e in table(tmp_path, "episode") if e["episode_source_value"] == "i131_course"]
    assert len(courses) == sum(len(p.rai_courses) for p in example)
    links = table(tmp_path, "episode_event")
    drugs = {d["drug_exposure_id"] for d in table(tmp_path, "drug_exposure")}
    assert {link["event_id"] for link in links} == drugs


@pytest.mark.parametrize("source", ["example", "synthetic"])
def test_the_registry_comes_back_except_what_omop_cannot_hold(
    tmp_path: Path, source: str, request: pytest.FixtureRequest
) -> None:
    patients: list[Patient] = request.getfixturevalue(source)
    write_omop(patients, tmp_path / "omop")
    assert input_format(tmp_path / "omop") == "omop"
    back = load_valid_registry(tmp_path / "omop", today=TODAY).patients
    assert back == [without_what_omop_cannot_hold(p) for p in patients]


def rewrite(folder: Path, name: str, change: dict[str, str], row: int = 0) -> None:
    rows = table(folder, name)
    rows[row].update(change)
    with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, COLUMNS[name])
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("name", "change", "field"),
    [
        # a measurement pointing at a person who is not there
        ("measurement", {"person_id": "999"}, "person_id"),
        # a procedure rairtc never writes
        (
            "procedure_occurrence",
            {"procedure_source_value": "appendectomy"},
            "procedure_source_value",
        ),
        # a drug that is not I-131
        ("drug_exposure", {"drug_source_value": "levothyroxine"}, "drug_source_value"),
        # an observation with no place in a record
        ("observation", {"observation_source_value": "hair_colour"}, "observation_source_value"),
    ],
)
def test_rows_that_cannot_be_placed_are_named(
    tmp_path: Path, example: list[Patient], name: str, change: dict[str, str], field: str
) -> None:
    write_omop(example, tmp_path)
    rewrite(tmp_path, name, change)
    errors = load_registry(tmp_path, today=TODAY).errors
    # the row itself first; rows that hang on it (a course's TSH) are named after it
    assert [(p.record, p.field) for p in errors][0] == (f"{name}.csv line 2", field)
    assert all(p.code == "validation.unreadable_value" and p.field for p in errors)


def test_a_value_of_the_wrong_type_is_named_by_table_line_and_field(
    tmp_path: Path, example: list[Patient]
) -> None:
    write_omop(example, tmp_path)
    rewrite(tmp_path, "drug_exposure", {"quantity": "a lot"})
    errors = load_registry(tmp_path, today=TODAY).errors
    assert [(p.patient_id, p.record, p.field) for p in errors] == [
        (example[0].id, "drug_exposure.csv line 2", "activity_mci")
    ]


def test_the_command_line_rejects_a_person_table_without_its_columns(tmp_path: Path) -> None:
    (tmp_path / "person.csv").write_text("id,sex\n1,F\n", encoding="utf-8")
    (tmp_path / "condition_occurrence.csv").write_text("person_id\n", encoding="utf-8")
    outcome = invoke("validate", str(tmp_path))
    assert outcome.code == 65
    assert "person.csv header" in outcome.stderr and "person_id" in outcome.stderr
    assert "Traceback" not in outcome.stderr


def test_short_rows_and_bytes_that_are_not_text_give_65_not_a_traceback(
    tmp_path: Path, example: list[Patient]
) -> None:
    write_omop(example, tmp_path)
    path = tmp_path / "procedure_occurrence.csv"
    header, first, *rest = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([header, "1,1", *rest]) + "\n", encoding="utf-8")
    outcome = invoke("validate", str(tmp_path))
    assert outcome.code == 65 and "procedure_occurrence.csv line 2" in outcome.stderr
    (tmp_path / "measurement.csv").write_bytes(b"\xff\xfe\x00garbage")
    outcome = invoke("validate", str(tmp_path))
    assert outcome.code == 65 and "measurement.csv" in outcome.stderr
    assert "Traceback" not in outcome.stderr and "internal error" not in outcome.stderr


def test_generated_registries_come_back_except_what_omop_cannot_hold() -> None:
    @given(registries(max_size=3))
    def check(patients: list[Patient]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            write_omop(patients, Path(folder))
            back = load_valid_registry(Path(folder), today=TODAY).patients
        assert back == [without_what_omop_cannot_hold(p) for p in patients]

    check()
