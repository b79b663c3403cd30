"""Import: preview every problem, then all or nothing; re-importing changes nothing."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from rairtc.io.json_files import patient_to_json
from rairtc.io.registry import write_registry
from rairtc.web.audit.models import AuditEvent
from rairtc.web.registry import models as m
from tests.web.cases import first_course_patient


def upload(client: object, name: str, content: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/import/", {"file": SimpleUploadedFile(name, content)})  # type: ignore[attr-defined]


def json_file(*patients: object) -> bytes:
    return json.dumps([patient_to_json(p) for p in patients]).encode()  # type: ignore[arg-type]


def confirm(client: object, preview: object) -> object:
    token = preview.context["token"]  # type: ignore[attr-defined]
    return client.post("/import/", {"token": token}, follow=True)  # type: ignore[attr-defined]


@pytest.fixture
def manager(client_as: Callable[..., object]) -> object:
    return client_as("manager")


def test_a_json_file_is_previewed_then_imported_and_counted(manager: object) -> None:
    content = json_file(first_course_patient("A-1"), first_course_patient("A-2"))
    preview = upload(manager, "registry.json", content)
    assert preview.context["result"].new == 2  # type: ignore[attr-defined]
    assert not m.Patient.objects.exists()  # the preview writes nothing
    done = confirm(manager, preview)
    assert m.Patient.objects.count() == 2
    assert any("2 new" in str(x) for x in done.context["messages"])  # type: ignore[attr-defined]


def test_reimporting_the_same_file_changes_nothing(manager: object) -> None:
    content = json_file(first_course_patient("A-1"))
    confirm(manager, upload(manager, "registry.json", content))
    events = AuditEvent.objects.count()
    again = upload(manager, "registry.json", content)
    result = again.context["result"]  # type: ignore[attr-defined]
    assert (result.new, result.changed, result.unchanged) == (0, 0, 1)
    confirm(manager, again)
    assert AuditEvent.objects.count() == events
    assert m.Patient.objects.get(id="A-1").revision == 0


def test_a_changed_patient_is_counted_as_changed(manager: object) -> None:
    confirm(manager, upload(manager, "registry.json", json_file(first_course_patient("A-1"))))
    changed = first_course_patient("A-1").model_copy(update={"region": "Abay"})
    preview = upload(manager, "registry.json", json_file(changed, first_course_patient("A-3")))
    result = preview.context["result"]  # type: ignore[attr-defined]
    assert (result.new, result.changed, result.unchanged) == (1, 1, 0)


def test_one_invalid_record_blocks_the_whole_file_and_every_problem_is_listed(
    manager: object,
) -> None:
    good = patient_to_json(first_course_patient("A-1"))
    bad = patient_to_json(first_course_patient("A-2"))
    bad["rai_courses"][0]["activity_mci"] = 5000
    bad["national_id"] = "123"
    preview = upload(manager, "registry.json", json.dumps([good, bad]).encode())
    assert preview.context["token"] == ""  # type: ignore[attr-defined]
    problems = preview.context["problems"]  # type: ignore[attr-defined]
    assert {(p["patient"], p["field"]) for p in problems if p["severity"] == "error"} >= {
        ("A-2", "activity_mci"),
        ("A-2", "national_id"),
    }
    assert "Import all" not in preview.content.decode()  # type: ignore[attr-defined]
    assert not m.Patient.objects.exists()


def test_a_failure_during_the_import_leaves_nothing_behind(
    manager: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rairtc.web.registry import store

    preview = upload(
        manager,
        "registry.json",
        json_file(first_course_patient("A-1"), first_course_patient("A-2")),
    )
    real = store.save
    calls = []

    def fail_on_second(username: str, record: object, **kwargs: object) -> object:
        calls.append(record)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(username, record, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "save", fail_on_second)
    manager.raise_request_exception = True  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError):
        confirm(manager, preview)
    assert not m.Patient.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("kind", ["xlsx", "csv.zip"])
def test_excel_and_zipped_csv_tables_import_the_same_records(
    kind: str, manager: object, tmp_path: Path
) -> None:
    patients = [first_course_patient("A-1"), first_course_patient("A-2")]
    if kind == "xlsx":
        write_registry(patients, tmp_path / "registry.xlsx")
        name, content = "registry.xlsx", (tmp_path / "registry.xlsx").read_bytes()
    else:
        write_registry(patients, tmp_path / "tables")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for table in (tmp_path / "tables").iterdir():
                archive.write(table, f"export/{table.name}")
        name, content = "registry.zip", buffer.getvalue()
    confirm(manager, upload(manager, name, content))
    from rairtc.web.registry.store import load

    record = load("A-1")
    assert record is not None and record.full_name == "Omarova Saule Maratkyzy"
    assert record.rai_courses[0].activity_mci == 100


def test_an_unknown_file_type_is_refused(manager: object) -> None:
    response = upload(manager, "registry.txt", b"hello")
    assert "Choose a file" in response.content.decode()  # type: ignore[attr-defined]


def _exchange_file(tmp_path: Path, to: str, name: str) -> bytes:
    """The patient A-1 written by ``rairtc convert --to <to>``: one file, or a folder zipped."""
    from rairtc.io.exchange import Exchange, write_to

    out = tmp_path / name
    write_to([first_course_patient("A-1")], out, Exchange(to))
    if out.is_file():
        return out.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(out.iterdir()):
            archive.write(file, file.name)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("to", "written", "uploaded"),
    [
        ("redcap", "records.csv", "records.csv"),  # a REDCap flat export
        ("fhir", "bundles.ndjson", "bundles.ndjson"),  # FHIR R4 Bundles, one a line
        ("fhir", "bundles", "bundles.zip"),  # a folder of Bundle JSON files, zipped
        ("omop", "omop", "omop.zip"),  # OMOP CDM tables, zipped
    ],
)
def test_a_redcap_fhir_or_omop_export_is_imported_like_any_registry(
    manager: object, tmp_path: Path, to: str, written: str, uploaded: str
) -> None:
    preview = upload(manager, uploaded, _exchange_file(tmp_path, to, written))
    result = preview.context["result"]  # type: ignore[attr-defined]
    assert not result.errors, [p.line() for p in result.errors]
    assert result.new == 1
    confirm(manager, preview)
    assert m.Patient.objects.filter(id="A-1").exists()
