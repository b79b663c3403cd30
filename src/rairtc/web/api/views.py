"""The endpoints of ``/api/``: patients, every record type, classification, MDT, import;
admissions and meeting agendas (:mod:`rairtc.web.api.cycle`) and tokens
(:mod:`rairtc.web.api.tokens`).

Every endpoint names the permission it needs (the pages' :mod:`rairtc.web.accounts.roles`);
the token's user decides. Researchers name patients by keyed pseudonym and read them
pseudonymised, as on the pages; registry ids are not found for them. Writes go through the
same path as the forms: the core validates the whole patient, :mod:`rairtc.web.registry.store`
saves it with its audit trail.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Body, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.responses import Status
from ninja.security import HttpBearer

from rairtc.core.records import Patient as Record
from rairtc.io.json_files import patient_to_json
from rairtc.web.accounts.roles import Can, allowed
from rairtc.web.accounts.tokens import user_of
from rairtc.web.api import cycle, tokens
from rairtc.web.api.access import identified as _identified
from rairtc.web.api.access import in_range
from rairtc.web.api.access import need as _need
from rairtc.web.api.access import username as _username
from rairtc.web.api.errors import ApiError, Invalid
from rairtc.web.api.shapes import classification_json, patient_json
from rairtc.web.registry import models as m
from rairtc.web.registry import store
from rairtc.web.registry.convert import patients_with_records, to_record
from rairtc.web.registry.editing import check, find
from rairtc.web.registry.importing import run_import
from rairtc.web.registry.verdicts import pseudonym, verdict

PAGE_LIMIT = 500


class BearerToken(HttpBearer):
    """The token's user answers the call; the language the user chose wins, as on the pages."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_of(token)
        if user is not None and user.profile.language:
            translation.activate(user.profile.language)
        return user


api = NinjaAPI(
    title="rairtc registry API",
    version="1",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", cycle.router)
api.add_router("", tokens.router)


class RecordKind(StrEnum):
    surgeries = "surgeries"
    rai_courses = "rai_courses"
    imaging = "imaging"
    labs = "labs"
    mdt = "mdt"


class Page(Schema):
    limit: int = 100
    offset: int = 0
    status: str | None = None


class AsOf(Schema):
    as_of: date | None = None


def _json(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _json(request, exc.status, exc.body())


@api.exception_handler(Invalid)
def _invalid(request: HttpRequest, exc: Invalid) -> HttpResponse:
    return _json(request, 422, exc.body())


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = _("Send a valid token in the header Authorization: Bearer <token>.")
    body = {"errors": [{"code": "unauthorized", "message": message}]}
    return _json(request, 401, body)


@api.exception_handler(RequestInvalid)
def _request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
    errors = [
        {
            "code": "invalid_request",
            "message": str(e.get("msg", "")),
            "field": ".".join(str(x) for x in e.get("loc", ())),
        }
        for e in exc.errors
    ]
    return _json(request, 422, {"errors": errors})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _json(
        request, exc.status_code, {"errors": [{"code": "bad_request", "message": str(exc)}]}
    )


def _row(request: HttpRequest, pid: str) -> m.Patient:
    rows = patients_with_records()
    found = (
        rows.filter(id=pid).first()
        if _identified(request)
        else rows.filter(summary__pseudonym=pid).first()
    )
    if found is None:
        raise ApiError(404, "not_found", _("No patient %(id)s.") % {"id": pid}, patient_id=pid)
    row: m.Patient = found
    return row


def _shown(request: HttpRequest, row: m.Patient) -> dict[str, Any]:
    record = to_record(row)
    identified = _identified(request)
    return patient_json(
        record, identified=identified, pseudonym="" if identified else pseudonym(record.id)
    )


def _record_ids(record: Record) -> set[str]:
    """Every sub-record of a patient by kind and id (findings inside their study)."""
    data = patient_to_json(record)
    ids = {f"{kind.value}/{item.get('id')}" for kind in RecordKind for item in data[kind.value]}
    ids |= {
        f"imaging/{study.get('id')}/findings/{finding.get('id')}"
        for study in data["imaging"]
        for finding in study.get("findings", [])
    }
    return ids


def _save(
    request: HttpRequest, data: dict[str, Any], before: Record | None = None
) -> dict[str, Any]:
    """Validate and store a whole patient. Leaving out a record the patient had deletes it, and
    deletions are the managers' (as on the pages): others are refused and nothing is saved."""
    checked = check(data, date.today())
    if checked.record is None:
        raise Invalid(checked.problems)
    if before is not None and not allowed(request.auth, Can.DELETE):
        removed = sorted(_record_ids(before) - _record_ids(checked.record))
        if removed:
            raise ApiError(
                403,
                "forbidden",
                _(
                    "Your role may not delete records: keep these in the body with their ids, or ask a manager: %(records)s"
                )
                % {"records": ", ".join(removed)},
                removed=removed,
            )
    store.save(_username(request), checked.record)
    return {
        "patient": patient_json(checked.record, identified=True, pseudonym=""),
        "warnings": [w.as_dict() for w in checked.warnings],
    }


@api.get("/patients/", summary="List patients with their verdict as of the summary's day")
def list_patients(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    _need(request, Can.VIEW)
    identified = _identified(request)
    rows = m.ClassificationSummary.objects.all()
    if page.status:
        rows = rows.filter(status=page.status)
    rows = rows.order_by("patient_id" if identified else "pseudonym")
    limit, offset = max(0, min(page.limit, PAGE_LIMIT)), max(0, page.offset)
    items = [
        {
            "id": r.patient_id if identified else r.pseudonym,
            "status": r.status,
            "primary_criterion": r.primary_criterion,
            "onset_date": None if r.onset_date is None else r.onset_date.isoformat(),
            "stage": r.stage,
            "ata_response": r.ata_response,
            "as_of": r.as_of.isoformat(),
        }
        for r in rows[offset : offset + limit]
    ]
    return {"count": rows.count(), "limit": limit, "offset": offset, "items": items}


@api.post("/patients/", response={201: dict[str, Any]}, summary="Create a patient")
def create_patient(request: HttpRequest, patient: Body[dict[str, Any]]) -> Status[dict[str, Any]]:
    _need(request, Can.EDIT)
    pid = str(patient.get("id", ""))
    if pid and m.Patient.objects.filter(id=pid).exists():
        message = _("Patient %(id)s exists: replace it with PUT /api/patients/%(id)s/.")
        raise ApiError(409, "conflict", message % {"id": pid})
    try:
        return Status(201, _save(request, patient))
    except IntegrityError as exc:
        message = _("Patient %(id)s exists: replace it with PUT /api/patients/%(id)s/.")
        raise ApiError(409, "conflict", message % {"id": pid}) from exc


@api.get("/patients/{pid}/", summary="One patient with every record")
def get_patient(request: HttpRequest, pid: str) -> dict[str, Any]:
    _need(request, Can.VIEW)
    return _shown(request, _row(request, pid))


@api.put(
    "/patients/{pid}/",
    summary="Replace a patient (the whole record, validated; leaving records out is for managers)",
)
def put_patient(request: HttpRequest, pid: str, patient: Body[dict[str, Any]]) -> Any:
    _need(request, Can.EDIT)
    before = to_record(_row(request, pid))
    if str(patient.setdefault("id", pid)) != pid:
        message = _("The id in the body differs from the one in the URL.")
        raise ApiError(400, "bad_request", message, field="id")
    return _save(request, patient, before)


@api.delete("/patients/{pid}/", response={204: None}, summary="Delete a patient (managers)")
def delete_patient(request: HttpRequest, pid: str) -> Status[None]:
    _need(request, Can.DELETE)
    _row(request, pid)
    store.delete(_username(request), pid)
    return Status(204, None)


@api.get("/patients/{pid}/classification", summary="The verdict as of a date, with evidence")
def classification(request: HttpRequest, pid: str, day: Query[AsOf]) -> dict[str, Any]:
    _need(request, Can.VIEW)
    row = _row(request, pid)
    record = to_record(row)
    as_of = in_range(day.as_of or date.today(), "as_of")
    result = verdict(record, row.revision, as_of).as_dict()
    identified = _identified(request)
    return classification_json(
        result, identified=identified, pseudonym="" if identified else pseudonym(record.id)
    )


@api.get("/patients/{pid}/{kind}/", summary="The records of one type (mdt: the decisions)")
def list_records(request: HttpRequest, pid: str, kind: RecordKind) -> list[dict[str, Any]]:
    _need(request, Can.VIEW)
    items: list[dict[str, Any]] = _shown(request, _row(request, pid))[kind.value]
    return items


@api.post("/patients/{pid}/{kind}/", response={201: dict[str, Any]}, summary="Add a record")
def add_record(
    request: HttpRequest, pid: str, kind: RecordKind, item: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    _need(request, Can.EDIT)
    row = _row(request, pid)
    data = patient_json(to_record(row), identified=True, pseudonym="")
    data[kind.value] = [*data[kind.value], item]
    return Status(201, _save(request, data))


def _record_at(request: HttpRequest, pid: str, kind: RecordKind, rid: str) -> tuple[Any, ...]:
    before = to_record(_row(request, pid))
    data = patient_json(before, identified=True, pseudonym="")
    index = find(data, kind.value, rid)
    if index is None:
        message = _("Patient %(id)s has no %(kind)s record %(record)s.")
        raise ApiError(404, "not_found", message % {"id": pid, "kind": kind.value, "record": rid})
    return before, data, index


@api.put("/patients/{pid}/{kind}/{rid}/", summary="Replace one record (its id kept)")
def put_record(
    request: HttpRequest, pid: str, kind: RecordKind, rid: str, item: Body[dict[str, Any]]
) -> Any:
    _need(request, Can.EDIT)
    before, data, index = _record_at(request, pid, kind, rid)
    kept = {"id": data[kind.value][index]["id"]}
    if kind is RecordKind.imaging and "findings" not in item:
        kept["findings"] = data[kind.value][index].get("findings", [])  # a study edited alone
    data[kind.value][index] = {**item, **kept}
    return _save(request, data, before)


@api.delete(
    "/patients/{pid}/{kind}/{rid}/", response={204: None}, summary="Delete one record (managers)"
)
def delete_record(request: HttpRequest, pid: str, kind: RecordKind, rid: str) -> Status[None]:
    _need(request, Can.DELETE)
    before, data, index = _record_at(request, pid, kind, rid)
    del data[kind.value][index]
    _save(request, data, before)
    return Status(204, None)


@api.post("/import", summary="Import patients (all or none; managers)")
def import_patients(request: HttpRequest, patients: Body[list[dict[str, Any]]]) -> Any:
    _need(request, Can.IMPORT)
    records, problems = [], []
    for data in patients:
        checked = check(data, date.today())
        problems += checked.errors
        if checked.record is not None:
            records.append(checked.record)
    if problems:
        raise Invalid(problems)
    return {"received": len(records), "written": run_import(_username(request), records)}
