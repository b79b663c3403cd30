"""Writing the trail: one call per change, inside the change's own transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from rairtc.web.audit.models import AuditEvent


def record(
    username: str,
    action: str,
    object_type: str,
    object_id: str,
    *,
    patient_id: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one event; refuses to run outside a transaction (the change would be unaudited
    if the caller's transaction rolled back after an autocommitted audit row)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit rows are written inside the change's transaction")
    event: AuditEvent = AuditEvent.objects.create(
        username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        patient_id=patient_id,
        before=before,
        after=after,
    )
    return event
