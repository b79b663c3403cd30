"""An admission is a planned course: it lives beside the core records, never in them.

The rules see an I-131 course only once it is given: giving the admission writes an ordinary
core course (``rai_courses``, validated and audited like any form) and links it here by its
record id. Until then nothing in the classification changes.
"""

from __future__ import annotations

from django.db import models

from rairtc.core.codes import Stimulation
from rairtc.web.registry.models import Patient


class Admission(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="admissions")
    admission_date = models.DateField(db_index=True)
    planned_activity_mci = models.DecimalField(max_digits=12, decimal_places=4)
    stimulation = models.CharField(max_length=16, choices=[(s.value, s.value) for s in Stimulation])
    tsh_miu_l = models.FloatField(null=True)
    course_id = models.CharField(max_length=64, null=True)  # the given core course's record id
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["admission_date", "patient_id"]


class AgendaItem(models.Model):
    """A case added to a meeting's agenda by hand (the cycle's cases are on it automatically)."""

    meeting = models.DateField(db_index=True)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="agenda_items")
    added_by = models.CharField(max_length=150)
    reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["meeting", "patient_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "patient"], name="one_item_per_meeting")
        ]
