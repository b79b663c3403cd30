"""Audit events: who changed which object when, with its values before and after.

Rows are only ever inserted: saving an existing row or deleting one raises, and no view offers
either. :func:`rairtc.web.audit.trail.record` writes the row inside the caller's transaction, so
a change and its audit row commit or roll back together.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class AppendOnly(Exception):
    """An attempt to change or delete an audit row."""


class Action(models.TextChoices):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk updates and deletes are refused as well."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("audit rows are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit rows are never deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=8, choices=Action.choices)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=128)
    patient_id = models.CharField(max_length=64, db_index=True, blank=True, default="")
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("audit rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit rows are never deleted")
