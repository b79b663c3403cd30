"""One row per study run: its parameters, state, progress and checksums (the queue itself)."""

from __future__ import annotations

from django.db import models


class StudyRun(models.Model):
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"

    created = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)
    parameters = models.JSONField()
    state = models.CharField(max_length=8, default=QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True, default="")
    input_sha256 = models.CharField(max_length=64, blank=True, default="")
    results_sha256 = models.CharField(max_length=64, blank=True, default="")
    finished = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created"]
