from __future__ import annotations

from django.apps import AppConfig


class CycleConfig(AppConfig):
    name = "rairtc.web.cycle"
    label = "cycle"
    default_auto_field = "django.db.models.BigAutoField"
