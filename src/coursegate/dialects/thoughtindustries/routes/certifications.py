"""Certifications: certify, recertify, bulk certify, and bulk certificate templates (§5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries.errors import sentence
from coursegate.dialects.thoughtindustries.paging import envelope
from coursegate.dialects.thoughtindustries.schemas import Errors
from coursegate.dialects.thoughtindustries.schemas_certifications import (
    BulkCertifyResponse,
    BulkCertifyUserInput,
    BulkCertifyUsersInput,
    BulkTemplatesResponse,
    CertificateTemplatesInput,
    CertifyResponse,
    CertifyUserInput,
    RecertifyResponse,
    RecertifyUserInput,
    record_text,
)
from coursegate.domain import certificates, people
from coursegate.domain.certificates import BulkOutcome, CertifyRequest
from coursegate.domain.errors import DomainError, Invalid, NotFound
from coursegate.domain.lifecycle_models import Certificate, CertificateTemplate
from coursegate.platform.http import ctx_of, json, profile_of
from coursegate.platform.ids import new_uuid
from coursegate.platform.wiretime import iso_ms, parse_instant

router = APIRouter(tags=["Certifications"])
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": Errors} for code in (400, 404, 409)}


def _instant(raw: str | None, field_name: str) -> datetime | None:
    if raw is None or raw == "":
        return None
    value = parse_instant(raw)
    if value is None:
        raise Invalid.one(field_name, "invalid", value=raw[:64])
    return value


def template_out(t: CertificateTemplate) -> dict[str, Any]:
    return {
        "id": t.uuid,
        "resource": t.course_uuid,
        "resourceType": t.resource_type,
        "title": t.title,
        "asset": t.asset,
        "supplementalAssets": list(t.supplemental_assets),
        "expirationDate": iso_ms(t.expiration_date),
    }


def certification_out(c: Certificate) -> dict[str, Any]:
    return {
        "id": c.uuid,
        "userId": c.user_uuid,
        "resource": c.course_uuid,
        "resourceType": c.resource_type,
        "issuedAt": iso_ms(c.issued_at),
        "expirationDate": iso_ms(c.expires_at),
        "recertificationDate": iso_ms(c.recertify_by),
        "certificateTemplate": template_out(c.template) if c.template else None,
    }


async def _path_user(request: Request, id: str, body_user: str | None) -> str:
    """The user named in the path; a `userId` in the body must name the same user."""
    user = await people.find_user(ctx_of(request), id)
    if body_user and body_user not in (user.uuid, id):
        raise Invalid.one("user_id", "invalid", value=body_user[:64])
    return user.uuid


def _message(exc: DomainError) -> str:
    if isinstance(exc, Invalid):
        return " ".join(sentence(p) for p in exc.problems)
    if isinstance(exc, NotFound):
        return f"{exc.resource.capitalize()} not found."
    return str(exc)


def _too_many(request: Request, count: int, field_name: str) -> None:
    limit = profile_of(request).bulk_max_records
    if count > limit:
        raise Invalid.one(field_name, "out_of_range", minimum=1, maximum=limit)


@router.post(
    "/users/{id}/certify",
    response_model=CertifyResponse,
    responses=ERRORS,
    operation_id="APICertifyUser",
)
async def certify_user(request: Request, id: str, body: CertifyUserInput) -> Response:
    user_key = await _path_user(request, id, body.userId)
    cert = await certificates.certify(
        ctx_of(request),
        CertifyRequest(
            user_key=user_key,
            resource_type=body.resourceType,
            resource_id=body.resourceId,
            expires_at=_instant(body.expirationDate, "expires_at"),
            issued_at=_instant(body.issuedAt, "issued_at"),
            recertify_by=_instant(body.recertificationDate, "recertify_by"),
        ),
    )
    return json(envelope(request, "APICertifyUser", certification_out(cert)))


@router.post(
    "/users/{id}/recertify",
    response_model=RecertifyResponse,
    responses=ERRORS,
    operation_id="APIRecertifyUser",
)
async def recertify_user(request: Request, id: str, body: RecertifyUserInput) -> Response:
    user_key = await _path_user(request, id, body.userId)
    await certificates.recertify(ctx_of(request), user_key, body.resourceType, body.resourceId)
    return json(envelope(request, "APIRecertifyUser", True))


def _bulk_request(item: BulkCertifyUserInput) -> CertifyRequest:
    return CertifyRequest(
        user_key=item.userId or item.email or item.externalCustomerId,
        resource_type=item.resourceType,
        resource_id=item.resourceId,
        expires_at=_instant(item.expirationDate, "expires_at"),
        issued_at=_instant(item.issuedAt, "issued_at"),
        recertify_by=_instant(item.recertificationDate, "recertify_by"),
    )


@router.post(
    "/users/certify/bulk",
    response_model=BulkCertifyResponse,
    responses=ERRORS,
    operation_id="APIBulkCertifyUsers",
)
async def bulk_certify(request: Request, body: BulkCertifyUsersInput) -> Response:
    _too_many(request, len(body.users), "users")
    failures: dict[int, DomainError] = {}
    positions: list[int] = []
    requests: list[CertifyRequest] = []
    for index, item in enumerate(body.users):
        try:
            requests.append(_bulk_request(item))
            positions.append(index)
        except Invalid as exc:
            failures[index] = exc
    outcome = await certificates.certify_many(ctx_of(request), requests)
    for at, failure in outcome.failed:
        failures[positions[at]] = failure
    errors = [
        {
            "userId": item.userId,
            "email": item.email,
            "externalCustomerId": item.externalCustomerId,
            "resourceId": item.resourceId,
            "error": _message(failures[i]),
            "record": record_text(item),
        }
        for i, item in enumerate(body.users)
        if i in failures
    ]
    return json(
        envelope(
            request, "APIBulkCertifyUsers", {"grantedCount": len(outcome.done), "errors": errors}
        )
    )


def _template_data(item: Any) -> dict[str, Any]:
    names = {
        "title": "title",
        "resourceType": "resource_type",
        "resourceId": "resource_id",
        "asset": "asset",
        "supplementalAssets": "supplemental_assets",
        "id": "id",
    }
    data = {names[k]: getattr(item, k) for k in item.model_fields_set if k in names}
    if "expirationDate" in item.model_fields_set:
        data["expiration_date"] = _instant(item.expirationDate, "expiration_date")
    return data


async def _templates(request: Request, body: CertificateTemplatesInput, updating: bool) -> Response:
    _too_many(request, len(body.templates), "templates")
    ctx = ctx_of(request)
    failures: dict[int, DomainError] = {}
    positions: list[int] = []
    items: list[dict[str, Any]] = []
    for index, item in enumerate(body.templates):
        try:
            items.append(_template_data(item))
            positions.append(index)
        except Invalid as exc:
            failures[index] = exc
    run = certificates.update_templates if updating else certificates.create_templates
    outcome: BulkOutcome = await run(ctx, items)
    for at, failure in outcome.failed:
        failures[positions[at]] = failure
    errors = [
        {
            "resourceId": item.resourceId or item.id,
            "title": item.title,
            "error": _message(failures[i]),
            "record": record_text(item),
        }
        for i, item in enumerate(body.templates)
        if i in failures
    ]
    operation = (
        "APIBulkUpdateCertificateTemplates" if updating else "APIBulkCreateCertificateTemplates"
    )
    done = len(outcome.done)
    # The work is done inline, so the job is reported already complete (docs/compat).
    job = {
        "id": new_uuid(),
        "type": "certificateTemplatesBulkUpdate" if updating else "certificateTemplatesBulkCreate",
        "description": f"{'Updated' if updating else 'Created'} {done} of "
        f"{len(body.templates)} certificate templates",
        "errorMessage": f"{len(errors)} templates failed" if errors else None,
        "createdAt": iso_ms(ctx.clock.now()),
        "repeatable": False,
        "status": "complete",
    }
    payload = {
        "createdCount": 0 if updating else done,
        "updatedCount": done if updating else 0,
        "createdIds": [] if updating else [t.uuid for t in outcome.done],
        "errors": errors,
        "warnings": [],
        "backgroundJob": job,
    }
    return json(envelope(request, operation, payload))


@router.post(
    "/content/certificate-templates/bulk",
    response_model=BulkTemplatesResponse,
    responses=ERRORS,
    operation_id="APIBulkCreateCertificateTemplates",
)
async def bulk_create_templates(request: Request, body: CertificateTemplatesInput) -> Response:
    return await _templates(request, body, updating=False)


@router.post(
    "/content/certificate-templates/bulk/update",
    response_model=BulkTemplatesResponse,
    responses=ERRORS,
    operation_id="APIBulkUpdateCertificateTemplates",
)
async def bulk_update_templates(request: Request, body: CertificateTemplatesInput) -> Response:
    return await _templates(request, body, updating=True)
