"""Panorama clients and licenses: list/create clients, enable/disable, licenses of a client,
create/update/delete licenses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers_ops
from coursegate.dialects.thoughtindustries.errors import WIRE_FIELDS
from coursegate.dialects.thoughtindustries.ops_params import date_param, uuid_param
from coursegate.dialects.thoughtindustries.paging import envelope, page_info, page_number, per_page
from coursegate.dialects.thoughtindustries.schemas import Errors
from coursegate.dialects.thoughtindustries.schemas_ops import (
    ClientsResponse,
    ClientStatus,
    ClientStatusWrite,
    ClientWrite,
    LicenseByIdResponse,
    LicensesByClientResponse,
    LicenseWrite,
)
from coursegate.domain import panorama
from coursegate.domain.errors import Collector, Invalid
from coursegate.platform.http import ctx_of, json

router = APIRouter(tags=["Panorama"])
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Errors},
    404: {"model": Errors},
    409: {"model": Errors},
}

WIRE_FIELDS.update(
    {
        "client_id": "clientId",
        "seats_limit": "seatsLimit",
        "access_days": "accessDays",
        "parent_license_id": "parentLicenseId",
        "expiration_date": "expirationDate",
        "course_ids": "courseIds",
        "learning_path_ids": "learningPathIds",
        "course_tag_ids": "courseTagIds",
        "default_language": "defaultLanguage",
        "student_license_ids": "studentLicenseIds",
        "manager_license_ids": "managerLicenseIds",
        "student_license_skus": "studentLicenseSkus",
        "manager_license_skus": "managerLicenseSkus",
        "client_status": "status",
    }
)

# Printed "Required: Yes" on the POST /clients reference page (reference §10.3).
REQUIRED_CLIENT_SWITCHES = (
    "enableSegmentation",
    "enableEcommerce",
    "enableBranding",
    "enableOnboardingSurvey",
    "enableGlobalLinks",
    "enableNavLinks",
)
SORT_NAMES = {"name": "name", "createdAt": "createdAt", "updatedAt": "updatedAt"}


@router.get("/clients", response_model=ClientsResponse, responses=ERRORS, operation_id="Clients")
async def list_clients(
    request: Request,
    query: Annotated[str | None, Query(description="Matches name or slug")] = None,
    sort: Annotated[
        str | None, Query(description="name, createdAt or updatedAt; optional :asc/:desc")
    ] = None,
    page: Annotated[str | None, Query()] = None,
    count: Annotated[str | None, Query(description="Page size")] = None,
) -> Response:
    limit = per_page(request, count, "count")
    number = page_number(page) or 1
    name, _, direction = (sort or "name").partition(":")
    if name not in SORT_NAMES or direction not in ("", "asc", "desc"):
        raise Invalid.one(
            "sort", "invalid_choice", value=sort, choices=[f"{k}[:asc|:desc]" for k in SORT_NAMES]
        )
    descending = direction == "desc" or (direction == "" and name != "name")
    found, total, more = await panorama.list_clients(
        ctx_of(request),
        (query or "").strip() or None,
        name,
        descending,
        (number - 1) * limit,
        limit,
    )
    payload = {
        "pageInfo": page_info(limit, total, more, None, number),
        "aggregations": [],
        "clients": [mappers_ops.client(c) for c in found],
    }
    return json(envelope(request, "Clients", payload))


@router.post("/clients", status_code=201, responses=ERRORS, operation_id="createClient")
async def create_client(request: Request, body: ClientWrite) -> Response:
    problems = Collector()
    for switch in REQUIRED_CLIENT_SWITCHES:
        if getattr(body, switch) is None:
            problems.add(switch, "required")
    problems.raise_if_any()
    features = {
        word: getattr(body, wire)
        for wire, word in mappers_ops.CLIENT_FEATURES.items()
        if getattr(body, wire) is not None
    }
    data = {
        "name": body.name,
        "slug": body.slug,
        "sku": body.sku,
        "default_language": body.defaultLanguage,
        "features": features,
    }
    client = await panorama.create_client(ctx_of(request), data)
    return json(mappers_ops.client(client), 201)


@router.put(
    "/clients/{id}/updateStatus",
    response_model=ClientStatus,
    responses=ERRORS,
    operation_id="updateClientStatus",
)
async def update_client_status(request: Request, id: str, body: ClientStatusWrite) -> Response:
    if body.status is None:
        raise Invalid.one("client_status", "required")
    ctx = ctx_of(request)
    client = await panorama.get_client(ctx, id)
    # The reference: "disabled" disables, any other value enables.
    client = await panorama.set_client_status(
        ctx, client.id, "disabled" if body.status == "disabled" else "active"
    )
    return json({"id": client.uuid, "status": client.status})


@router.get(
    "/clients/{id}/licenses",
    response_model=LicensesByClientResponse,
    responses=ERRORS,
    operation_id="APILicensesByClientId",
)
async def list_client_licenses(
    request: Request,
    id: str,
    clientId: Annotated[str | None, Query(description="Optional; must equal the path id")] = None,
    page: Annotated[str | None, Query()] = None,
    perPage: Annotated[str | None, Query()] = None,
) -> Response:
    ctx = ctx_of(request)
    other = uuid_param("clientId", clientId)
    if other is not None and other.lower() != id.lower():
        raise Invalid.one(
            "clientId", "not_allowed", reason="Query clientId must match the client id in the path."
        )
    client = await panorama.get_client(ctx, id)
    limit = per_page(request, perPage)
    number = page_number(page) or 1
    found, total, more = await panorama.list_client_licenses(
        ctx, client.id, (number - 1) * limit, limit
    )
    payload = {
        "id": client.uuid,
        "name": client.name,
        "sku": client.sku,
        "pageInfo": page_info(limit, total, more, None, number),
        "licenses": [mappers_ops.license_object(lic) for lic in found],
    }
    return json(envelope(request, "APILicensesByClientId", payload))


def _license_data(body: LicenseWrite) -> panorama.LicenseData:
    sent = body.model_fields_set
    names = {
        "clientId": "client_uuid",
        "name": "name",
        "label": "label",
        "sku": "sku",
        "parentLicenseId": "parent_uuid",
        "accessDays": "access_days",
        "expirationDate": "expiration_date",
    }
    return panorama.LicenseData(
        client_uuid=body.clientId,
        name=body.name,
        label=body.label,
        sku=body.sku,
        seats_limit=body.seatsLimit,
        seats_limit_sent="seatsLimit" in sent,
        parent_uuid=body.parentLicenseId,
        access_days=body.accessDays,
        expiration_date=date_param("expirationDate", body.expirationDate),
        course_uuids=body.courseIds,
        learning_path_uuids=body.learningPathIds,
        course_tag_uuids=body.courseTagIds,
        replace_courses=body.replaceCourseIds,
        replace_learning_paths=body.replaceLearningPathIds,
        replace_course_tags=body.replaceCourseTagIds,
        sent=frozenset(names[k] for k in sent if k in names),
    )


@router.post("/licenses", status_code=201, responses=ERRORS, operation_id="createLicense")
async def create_license(request: Request, body: LicenseWrite) -> Response:
    lic = await panorama.create_license(ctx_of(request), _license_data(body))
    return json(mappers_ops.license_object(lic), 201)


@router.put("/licenses/{id}", responses=ERRORS, operation_id="updateLicense")
async def update_license(request: Request, id: str, body: LicenseWrite) -> Response:
    ctx = ctx_of(request)
    current = await panorama.find_license(ctx, id)
    assert current.client is not None
    if body.clientId is not None and body.clientId.lower() != current.client.uuid:
        raise Invalid.one(
            "clientId", "not_allowed", reason="A license cannot move to another client."
        )
    lic = await panorama.update_license(ctx, current.id, _license_data(body))
    return json(mappers_ops.license_object(lic))


@router.delete(
    "/licenses/{id}",
    response_model=LicenseByIdResponse,
    responses=ERRORS,
    operation_id="LicenseById",
)
async def delete_license(request: Request, id: str) -> Response:
    ctx = ctx_of(request)
    lic = await panorama.delete_license(ctx, (await panorama.find_license(ctx, id)).id)
    return json(envelope(request, "LicenseById", mappers_ops.license_object(lic)))
