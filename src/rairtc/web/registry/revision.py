"""The registry's revision: the key of caches that summarise the whole registry.

A patient's own caches are keyed by ``Patient.revision``; what counts or lists many patients
(the dashboard, the list page's totals) is keyed by this one counter instead. Every writer of
patient rows (:mod:`rairtc.web.registry.store`, :func:`rairtc.web.registry.verdicts.reclassify`)
calls :func:`bump` inside its transaction, so the new value is seen exactly when the write is.
Reading it is one primary-key lookup, which every worker process does on every request: the
cache may be per process, the key is the database's.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F

from rairtc.web.registry import models as m

ROW = 1


def current() -> int:
    """The revision now (a plain SELECT: it runs on every dashboard and list request)."""
    table = connection.ops.quote_name(m.RegistryRevision._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = %s", [ROW])  # noqa: S608 - a model's table
        found = cursor.fetchone()
    return 0 if found is None else int(found[0])


def bump() -> None:
    """Advance the revision (inside the caller's transaction)."""
    if not m.RegistryRevision.objects.filter(pk=ROW).update(value=F("value") + 1):
        m.RegistryRevision.objects.get_or_create(pk=ROW, defaults={"value": 1})
