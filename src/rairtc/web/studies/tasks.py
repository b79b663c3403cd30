"""A task runner without extra servers: the ``StudyRun`` table is the queue.

A run is claimed by one conditional UPDATE (queued → running), so two workers never take the
same run; the worker is a daemon thread of the web process started when a run is queued (and
again by the study page while queued runs wait, e.g. after a restart). Progress is written to
the row; the page polls it. The study is the command line's: the registry's patients are read
from the database, :func:`rairtc.study.run.run_study` analyses them and
:func:`rairtc.report.build.write_report` writes the report into the run's folder.
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone

from rairtc.web.studies.models import StudyRun

_LOCK = threading.Lock()
_WORKER: list[threading.Thread] = []


def folder(run_id: int) -> Path:
    from rairtc.web.settings import data_dir

    path = data_dir() / "studies" / str(run_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def registry_sha256(patients: list[Any]) -> str:
    """The checksum of the registry analysed: canonical JSON of every patient, by id."""
    from rairtc.io.json_files import patient_to_json

    digest = hashlib.sha256()
    for patient in sorted(patients, key=lambda p: p.id):
        digest.update(json.dumps(patient_to_json(patient), sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def _options(parameters: dict[str, Any]) -> Any:
    from rairtc.core.parameters import preset
    from rairtc.study.eligibility import Period
    from rairtc.study.run import StudyOptions

    start, end = parameters.get("period_start"), parameters.get("period_end")
    size = parameters.get("sample_size")
    return StudyOptions(
        as_of=date.fromisoformat(parameters["as_of"]),
        params=preset(parameters.get("preset", "study")),
        period=Period(date.fromisoformat(start), date.fromisoformat(end))
        if start and end
        else None,
        sample_size=int(size) if isinstance(size, str) and size.isdigit() else size or None,
        seed=parameters.get("seed"),
    )


def run_one(run: StudyRun) -> None:
    """Run one claimed study; the row ends done (with checksums) or failed (with the reason)."""
    from rairtc.core.errors import RairtcError
    from rairtc.report.build import write_report
    from rairtc.study.run import run_study
    from rairtc.web.registry.convert import patients_with_records, to_record

    def step(percent: int) -> None:
        StudyRun.objects.filter(pk=run.pk).update(progress=percent)

    try:
        patients = [to_record(p) for p in patients_with_records()]
        step(10)
        checksum = registry_sha256(patients)

        def tracked(items: list[Any]) -> Any:
            total = max(len(items), 1)
            for i, item in enumerate(items):
                if i % 200 == 0:
                    step(10 + 60 * i // total)
                yield item

        results = run_study(
            patients, _options(run.parameters), input_sha256=checksum, progress=tracked
        )
        step(75)
        out = folder(run.pk)
        text = json.dumps(results, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
        (out / "results.json").write_text(text, encoding="utf-8")
        write_report(results, out, run.parameters.get("language", "en"))
        StudyRun.objects.filter(pk=run.pk).update(
            state=StudyRun.DONE,
            progress=100,
            input_sha256=checksum,
            results_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            finished=timezone.now(),
        )
    except (RairtcError, ValueError, OSError) as error:
        StudyRun.objects.filter(pk=run.pk).update(
            state=StudyRun.FAILED, message=str(error), finished=timezone.now()
        )


def claim_next() -> StudyRun | None:
    queued: list[StudyRun] = list(
        StudyRun.objects.filter(state=StudyRun.QUEUED).order_by("created")
    )
    for run in queued:
        if StudyRun.objects.filter(pk=run.pk, state=StudyRun.QUEUED).update(state=StudyRun.RUNNING):
            run.state = StudyRun.RUNNING
            return run
    return None


def work_pending() -> int:
    """Run queued studies one after another until none is left; returns how many ran."""
    done = 0
    while (run := claim_next()) is not None:
        run_one(run)
        done += 1
    return done


def _thread_main() -> None:
    """The worker thread's body: its own database connection is closed when it ends."""
    from django.db import connection

    try:
        work_pending()
    finally:
        connection.close()


def start_worker() -> None:
    """A daemon thread working the queue, unless one is already alive in this process."""
    with _LOCK:
        if _WORKER and _WORKER[0].is_alive():
            return
        thread = threading.Thread(target=_thread_main, name="rairtc-study", daemon=True)
        _WORKER[:] = [thread]
        thread.start()
