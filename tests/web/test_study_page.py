"""The study page: a run is queued in the database, worked in the background, its progress
and report files shown, past runs listed with parameters and checksums."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from rairtc.core.records import Imaging
from rairtc.web.registry import store
from rairtc.web.studies import tasks
from rairtc.web.studies.models import StudyRun
from tests.web.cases import NONAVID_SCAN, first_course_patient

FORM = {"preset": "study", "language": "ru", "as_of": "2025-06-01", "sample_size": ""}


@pytest.fixture
def registry(db: None) -> None:
    scan = Imaging.model_validate(NONAVID_SCAN).model_dump()
    for i in range(4):
        extra = {"imaging": [scan]} if i % 2 else {}
        store.save("clinician", first_course_patient(f"S-{i}", **extra), today=date(2025, 6, 1))


@pytest.fixture
def inline_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker runs in the request's thread (the test's transaction is invisible to
    another thread's connection)."""
    monkeypatch.setattr(tasks, "start_worker", tasks.work_pending)


def test_a_researcher_runs_the_study_and_downloads_the_report(
    registry: None,
    inline_worker: None,
    client_as: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_as("researcher")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/study/", FORM)
    assert response.status_code == 302
    run = StudyRun.objects.get()
    assert run.state == "done" and run.progress == 100, run.message
    assert run.parameters["language"] == "ru" and run.parameters["preset"] == "study"
    page = client.get("/study/").content.decode()
    for name in ("results.json", "report.pdf", "report.html", "tables.xlsx"):
        assert f"/study/{run.pk}/{name}" in page
    assert run.input_sha256[:12] in page
    body = b"".join(client.get(f"/study/{run.pk}/results.json").streaming_content)
    assert hashlib.sha256(body).hexdigest() == run.results_sha256
    results = json.loads(body)
    assert results["input_sha256"] == run.input_sha256 and results["as_of"] == "2025-06-01"
    assert client.get(f"/study/{run.pk}/../secret_key").status_code == 404


def test_the_checksum_names_the_registry_analysed(registry: None) -> None:
    from rairtc.web.registry.convert import patients_with_records, to_record

    patients = [to_record(p) for p in patients_with_records()]
    first = tasks.registry_sha256(patients)
    assert first == tasks.registry_sha256(list(reversed(patients)))
    store.save("clinician", first_course_patient("S-9"), today=date(2025, 6, 1))
    assert tasks.registry_sha256([to_record(p) for p in patients_with_records()]) != first


def test_a_run_is_claimed_once(db: None) -> None:
    StudyRun.objects.create(created_by="r", parameters={"as_of": "2025-06-01"})
    claimed = tasks.claim_next()
    assert claimed is not None and claimed.state == "running"
    assert tasks.claim_next() is None


def test_a_sample_size_that_is_no_number_is_refused(
    registry: None, client_as: Callable[..., Any]
) -> None:
    response = client_as("manager").post("/study/", {**FORM, "sample_size": "many"})
    assert response.status_code == 200 and StudyRun.objects.count() == 0


def test_a_half_period_is_refused(registry: None, client_as: Callable[..., Any]) -> None:
    response = client_as("manager").post("/study/", {**FORM, "period_start": "2020-01-01"})
    assert response.status_code == 200 and StudyRun.objects.count() == 0


def test_a_failing_run_keeps_its_reason(registry: None) -> None:
    run = StudyRun.objects.create(created_by="r", parameters={**FORM, "preset": "no-such"})
    assert tasks.work_pending() == 1
    run.refresh_from_db()
    assert run.state == "failed" and "no-such" in run.message


def test_clinicians_do_not_run_studies(registry: None, client_as: Callable[..., Any]) -> None:
    assert client_as("clinician").get("/study/").status_code == 403


@pytest.mark.parametrize(
    ("lang", "words"), [("ru", "Запустить исследование"), ("kk", "Зерттеуді іске қосу")]
)
def test_the_study_page_is_translated(
    registry: None, client_as: Callable[..., Any], lang: str, words: str
) -> None:
    client = client_as("manager")
    client.post("/language/", {"language": lang})
    assert words in client.get("/study/").content.decode()


def test_the_background_thread_works_the_queue(transactional_db: None) -> None:
    """The real worker: a daemon thread with its own connection, started for a queued run."""
    store.save("clinician", first_course_patient("T-1"), today=date(2025, 6, 1))
    run = StudyRun.objects.create(created_by="r", parameters={**FORM, "language": "kk"})
    tasks.start_worker()
    tasks._WORKER[0].join(timeout=300)
    run.refresh_from_db()
    assert run.state == "done", run.message
    assert (tasks.folder(run.pk) / "report.pdf").exists()
