"""FHIR R4: a Bundle per patient, valid FHIR, read back unchanged; what has no place is named."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given

from rairtc.core.records import Patient
from rairtc.io.fhir.files import write_fhir
from rairtc.io.fhir.write import patient_bundle
from rairtc.io.registry import input_format, load_registry, load_valid_registry
from tests.cli.runner import invoke
from tests.io.exchange.conftest import TODAY
from tests.strategies import registries


def there_and_back(patients: list[Patient], name: str) -> list[Patient]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write_fhir(patients, path, validate=True)
        return load_valid_registry(path, today=TODAY).patients


@pytest.mark.parametrize("name", ["bundles", "bundles.ndjson"])
def test_the_example_registry_round_trips(example: list[Patient], name: str) -> None:
    assert there_and_back(example, name) == example


def test_a_synthetic_registry_round_trips(synthetic: list[Patient]) -> None:
    assert there_and_back(synthetic, "bundles.ndjson") == synthetic


def test_generated_registries_round_trip_with_and_without_ids() -> None:
    @given(registries(ids=True, max_size=2) | registries(ids=False, max_size=2))
    def check(patients: list[Patient]) -> None:
        assert there_and_back(patients, "b.ndjson") == patients

    check()


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_every_bundle_is_valid_fhir_with_the_expected_resources(example: list[Patient]) -> None:
    patient = example[1]
    bundle = patient_bundle(patient)
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    assert len(resources(bundle, "Patient")) == 1
    (condition,) = resources(bundle, "Condition")
    assert {"system": "http://hl7.org/fhir/sid/icd-10", "code": "C73"}.items() <= condition["code"][
        "coding"
    ][0].items()
    procedures = resources(bundle, "Procedure")
    assert len(procedures) == len(patient.surgeries) + len(patient.rai_courses)
    doses = [m["dosage"]["dose"] for m in resources(bundle, "MedicationAdministration")]
    assert doses == [
        {
            "value": c.activity_mci,
            "unit": "mCi",
            "system": "http://unitsofmeasure.org",
            "code": "mCi",
        }
        for c in patient.rai_courses
    ]
    assert len(resources(bundle, "DiagnosticReport")) == len(patient.imaging)


@pytest.mark.parametrize(
    ("test", "loinc"), [("tg", "3013-0"), ("tgab", "8098-6"), ("tsh", "3016-3")]
)
def test_labs_carry_their_loinc_code(example: list[Patient], test: str, loinc: str) -> None:
    for patient in example:
        bundle = patient_bundle(patient)
        labs = [o for o in resources(bundle, "Observation") if "valueQuantity" in o]
        for lab, record in zip(labs, patient.labs, strict=True):
            if record.test == test:
                assert lab["code"]["coding"][0] == {
                    "system": "http://loinc.org",
                    "code": loinc,
                    "display": lab["code"]["coding"][0]["display"],
                }


def test_a_finding_observation_carries_site_side_and_uptake(example: list[Patient]) -> None:
    patient = next(p for p in example if any(f.side for s in p.imaging for f in s.findings))
    bundle = patient_bundle(patient)
    finding = next(f for s in patient.imaging for f in s.findings if f.side)
    observation = next(
        o
        for o in resources(bundle, "Observation")
        if "bodySite" in o
        and any(c["code"]["coding"][0]["code"] == "side" for c in o.get("component", []))
    )
    assert observation["bodySite"]["coding"][0]["code"] in {s.value for s in type(finding.site)}
    names = [c["code"]["coding"][0]["code"] for c in observation["component"]]
    assert "side" in names


def test_a_bundle_folder_is_detected(tmp_path: Path, example: list[Patient]) -> None:
    write_fhir(example, tmp_path / "fhir")
    write_fhir(example, tmp_path / "fhir.ndjson")
    assert input_format(tmp_path / "fhir") == input_format(tmp_path / "fhir.ndjson") == "fhir"


def first_bundle(example: list[Patient]) -> dict[str, Any]:
    return copy.deepcopy(patient_bundle(example[0]))


def write_one(tmp_path: Path, bundle: dict[str, Any]) -> Path:
    folder = tmp_path / "fhir"
    folder.mkdir(exist_ok=True)
    (folder / "bundle-000001.json").write_text(json.dumps(bundle), encoding="utf-8")
    return folder


def test_a_resource_with_no_place_in_a_record_is_reported(
    tmp_path: Path, example: list[Patient]
) -> None:
    bundle = first_bundle(example)
    bundle["entry"].append(
        {"resource": {"resourceType": "AllergyIntolerance", "patient": {"reference": "x"}}}
    )
    loaded = load_registry(write_one(tmp_path, bundle), today=TODAY)
    (problem,) = loaded.errors
    assert problem.patient_id == example[0].id
    assert (
        problem.record
        == f"bundle-000001.json entry[{len(bundle['entry']) - 1}] (AllergyIntolerance)"
    )
    assert problem.field == "resourceType"


def test_an_unknown_element_is_an_error_and_a_warning_when_lenient(
    tmp_path: Path, example: list[Patient]
) -> None:
    bundle = first_bundle(example)
    bundle["entry"][0]["resource"]["address"] = [{"city": "Semey"}]
    folder = write_one(tmp_path, bundle)
    (problem,) = load_registry(folder, today=TODAY).errors
    assert (problem.code, problem.record, problem.field) == (
        "validation.field_unknown",
        "bundle-000001.json entry[0] (Patient)",
        "address",
    )
    lenient = load_registry(folder, today=TODAY, lenient=True)
    assert not lenient.errors and [w.field for w in lenient.warnings][:1] == ["address"]


def test_an_unknown_extension_is_reported(tmp_path: Path, example: list[Patient]) -> None:
    bundle = first_bundle(example)
    condition = bundle["entry"][1]["resource"]
    condition["extension"].append({"url": "https://example.org/ext/grade", "valueString": "2"})
    errors = load_registry(write_one(tmp_path, bundle), today=TODAY).errors
    assert [(p.record, p.field) for p in errors] == [
        (
            "bundle-000001.json entry[1] (Condition)",
            f"extension[{len(condition['extension']) - 1}].url",
        )
    ]


def test_invalid_fhir_is_named_by_entry_and_element(tmp_path: Path, example: list[Patient]) -> None:
    bundle = first_bundle(example)
    bundle["entry"][0]["resource"]["birthDate"] = "12.04.1978"
    errors = load_registry(write_one(tmp_path, bundle), today=TODAY).errors
    assert [(p.patient_id, p.record, p.field) for p in errors] == [
        (example[0].id, "bundle-000001.json entry[0]", "birthDate")
    ]
    assert "not valid FHIR R4" in errors[0].text


def test_a_gender_rairtc_cannot_record_is_reported(tmp_path: Path, example: list[Patient]) -> None:
    bundle = first_bundle(example)
    bundle["entry"][0]["resource"]["gender"] = "unknown"
    errors = load_registry(write_one(tmp_path, bundle), today=TODAY).errors
    assert ("bundle-000001.json entry[0] (Patient)", "gender") in [
        (p.record, p.field) for p in errors
    ]


def test_a_lab_from_another_system_is_read_by_its_loinc_code(
    tmp_path: Path, example: list[Patient]
) -> None:
    bundle = first_bundle(example)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if "valueQuantity" in resource:
            resource["code"]["coding"] = resource["code"]["coding"][:1]  # LOINC only
            resource["effectiveDateTime"] += "T08:30:00+05:00"
    assert load_valid_registry(write_one(tmp_path, bundle), today=TODAY).patients == example[:1]


def test_the_command_line_rejects_malformed_fhir_with_65(tmp_path: Path) -> None:
    path = tmp_path / "bundles.ndjson"
    path.write_text(
        '{"resourceType": "Bundle", "type": "collection", "entry": [\n', encoding="utf-8"
    )
    outcome = invoke("validate", str(path))
    assert outcome.code == 65
    assert "bundles.ndjson line 1" in outcome.stderr and "Traceback" not in outcome.stderr


def test_a_procedure_that_was_not_done_is_not_read_as_a_surgery(
    tmp_path: Path, example: list[Patient]
) -> None:
    bundle = first_bundle(example)
    surgery = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure")
    surgery["resource"]["status"] = "not-done"
    errors = load_registry(write_one(tmp_path, bundle), today=TODAY).errors
    assert [(p.field, p.record.endswith("(Procedure)")) for p in errors] == [("status", True)]


def test_a_finding_dated_apart_from_its_study_is_reported(
    tmp_path: Path, example: list[Patient]
) -> None:
    bundle = first_bundle(example)
    finding = next(e for e in bundle["entry"] if "bodySite" in e["resource"])
    finding["resource"]["effectiveDateTime"] = "2001-01-01"
    errors = load_registry(write_one(tmp_path, bundle), today=TODAY).errors
    assert [p.field for p in errors] == ["effectiveDateTime"]


def test_a_resource_type_of_the_wrong_shape_is_invalid_fhir_not_a_crash(
    tmp_path: Path, example: list[Patient]
) -> None:
    bundle = first_bundle(example)
    bundle["entry"][2]["resource"]["resourceType"] = {"a": 1}
    errors = load_registry(write_one(tmp_path, bundle), today=TODAY).errors
    assert [(p.record, p.field) for p in errors] == [("bundle-000001.json", "entry")]


def test_a_resource_about_another_patient_is_reported(
    tmp_path: Path, example: list[Patient]
) -> None:
    bundle = first_bundle(example)
    bundle["entry"][1]["resource"]["subject"] = {"reference": "Patient/someone-else"}
    errors = load_registry(write_one(tmp_path, bundle), today=TODAY).errors
    assert [(p.record, p.field) for p in errors] == [
        ("bundle-000001.json entry[1] (Condition)", "subject")
    ]
