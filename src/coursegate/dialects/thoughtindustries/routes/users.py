"""Users: list (cursor or page), get, create/upsert with course access, update."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers
from coursegate.dialects.thoughtindustries.paging import (
    cursor_id,
    decode_cursor,
    encode_cursor,
    envelope,
    page_info,
    page_number,
    per_page,
)
from coursegate.dialects.thoughtindustries.routes import user_licenses
from coursegate.dialects.thoughtindustries.schemas import (
    Errors,
    User,
    UserByIdResponse,
    UsersResponse,
    UserWrite,
)
from coursegate.domain import certificates, learning, panorama, people
from coursegate.domain.models import EnrollmentQuery
from coursegate.platform.http import Responses, ctx_of, json

router = APIRouter(tags=["User Management"])
ERRORS: Responses = {400: {"model": Errors}, 404: {"model": Errors}, 409: {"model": Errors}}


@router.get("/users", response_model=UsersResponse, responses=ERRORS, operation_id="APIUsers")
async def list_users(
    request: Request,
    role: Annotated[str | None, Query()] = None,
    page: Annotated[str | None, Query()] = None,
    perPage: Annotated[str | None, Query()] = None,
    cursor: Annotated[str | None, Query()] = None,
    email: Annotated[str | None, Query()] = None,
) -> Response:
    ctx = ctx_of(request)
    limit = per_page(request, perPage)
    number = page_number(page)
    key = decode_cursor(cursor, {"i"})
    query = people.UserQuery(email=email, platform_role=role or None)
    if number is not None and key is None:
        listed = await people.list_users(ctx, query, (number - 1) * limit, limit + 1)
        found, total = listed.items, listed.total
        has_more = len(found) > limit
        found = found[:limit]
    else:
        after = cursor_id(key["i"]) if key is not None else None
        found, total, has_more = await people.scan_users(ctx, query, after, limit)
    next_cursor = encode_cursor({"i": found[-1].id}) if found else None
    info = page_info(limit, total, has_more, next_cursor, number or None)
    payload = {"pageInfo": info, "aggregations": [], "users": [mappers.user(u) for u in found]}
    return json(envelope(request, "APIUsers", payload))


@router.get(
    "/users/{id}", response_model=UserByIdResponse, responses=ERRORS, operation_id="UserById"
)
async def get_user(request: Request, id: str) -> Response:
    ctx = ctx_of(request)
    user = await people.find_user(ctx, id)
    courses = await learning.list_enrollments(ctx, EnrollmentQuery(user_id=user.id), 0, 1000)
    earned = await certificates.certificates_of(ctx, user.id)
    return json(envelope(request, "UserById", mappers.user(user, courses.items, earned)))


@router.post(
    "/users", status_code=201, response_model=User, responses=ERRORS, operation_id="createUser"
)
async def create_user(request: Request, body: UserWrite) -> Response:
    ctx = ctx_of(request)
    also = panorama.license_assigner(await user_licenses.grants_of(request))  # Panorama licenses
    user, created = await people.provision_user(
        ctx, body.domain(), upsert=body.upsert, course_keys=body.course_keys(), also=also
    )
    return json(mappers.user(user), 201 if created else 200)


@router.put("/users/{id}", response_model=User, responses=ERRORS, operation_id="updateUser")
async def update_user(request: Request, id: str, body: UserWrite) -> Response:
    ctx = ctx_of(request)
    user = await people.find_user(ctx, id)
    also = panorama.license_assigner(await user_licenses.grants_of(request))  # Panorama licenses
    data = body.domain()
    if data:
        user = await people.update_user(ctx, user.id, data)
    if body.course_keys() or also is not None:
        user, _ = await people.provision_user(
            ctx, {"email": user.email}, upsert=True, course_keys=body.course_keys(), also=also
        )
    return json(mappers.user(user))
