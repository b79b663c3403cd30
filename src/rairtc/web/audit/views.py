"""The audit trail for managers: a paged list and a CSV export. Nothing here writes."""

from __future__ import annotations

import csv
import json

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from rairtc.web.accounts.roles import Can, requires
from rairtc.web.audit.models import AuditEvent
from rairtc.web.labels import label

COLUMNS = ("at", "username", "action", "object_type", "object_id", "patient_id", "before", "after")


@requires(Can.AUDIT)
def audit_list(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.all()
    patient = request.GET.get("patient", "").strip()
    if patient:
        events = events.filter(patient_id=patient)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    rows = [{"event": e, "action": label("action", e.action)} for e in page.object_list]
    return render(
        request, "audit/audit_list.html", {"page": page, "rows": rows, "patient": patient}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@requires(Can.AUDIT)
def audit_csv(request: HttpRequest) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows() -> object:
        yield writer.writerow(COLUMNS)
        for e in AuditEvent.objects.order_by("id").iterator():
            yield writer.writerow(
                [
                    e.at.isoformat(),
                    e.username,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.patient_id,
                    json.dumps(e.before, ensure_ascii=False, sort_keys=True),
                    json.dumps(e.after, ensure_ascii=False, sort_keys=True),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    return response
