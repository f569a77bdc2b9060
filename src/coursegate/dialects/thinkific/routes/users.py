"""Users: list with filters, create, read, update, delete, SSO identity."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import mappers, mappers_catalog
from coursegate.dialects.thinkific.errors import unprocessable
from coursegate.dialects.thinkific.pagination import PagingDep, listing
from coursegate.dialects.thinkific.params import optional_int
from coursegate.dialects.thinkific.schemas import (
    AuthenticationResponse,
    CreateUserRequest,
    CustomProfileFieldRequest,
    ErrorNotFound,
    GetUsersResponse,
    UpdateUserRequest,
    UserResponse,
    ValidationErrors,
)
from coursegate.domain import people, profile_fields
from coursegate.domain.errors import NotFound
from coursegate.domain.models import User
from coursegate.platform.http import Responses, ctx_of, empty, json
from coursegate.platform.ids import is_int_id

router = APIRouter(tags=["Users"])
NOT_FOUND: Responses = {404: {"model": ErrorNotFound, "description": "Record not found"}}
INVALID: Responses = {422: {"model": ValidationErrors, "description": "Validation failed"}}
ProviderParam = Annotated[Literal["SSO", "OPENID_CONNECT"] | None, Query()]


async def _user(request: Request, id: str, provider: str | None) -> User:
    ctx = ctx_of(request)
    if provider is None and not is_int_id(id):
        raise NotFound("user", id)
    return await people.find_user(ctx, id, provider)


@router.get("/users", response_model=GetUsersResponse, operation_id="getUsers")
async def list_users(
    request: Request,
    paging: PagingDep,
    email: Annotated[str | None, Query(alias="query[email]")] = None,
    role: Annotated[str | None, Query(alias="query[role]")] = None,
    external_source: Annotated[str | None, Query(alias="query[external_source]")] = None,
    field_label: Annotated[str | None, Query(alias="query[custom_profile_field_label]")] = None,
    field_value: Annotated[str | None, Query(alias="query[custom_profile_field_value]")] = None,
    group_id: Annotated[str | None, Query(alias="query[group_id]")] = None,
) -> Response:
    profile_fields.require_pair(field_label, field_value)
    query = people.UserQuery(
        email=email,
        role=role,
        external_source=external_source,
        group_id=optional_int(group_id, "group_id"),
        profile_field_label=field_label,
        profile_field_value=field_value,
    )
    ctx = ctx_of(request)
    page = await people.list_users(ctx, query, paging.offset, paging.limit)
    return json(listing(await _users(request, page.items), paging, page.total))


async def _users(request: Request, users: list[User]) -> list[dict[str, Any]]:
    """Users on the wire, with their custom profile field values."""
    values = await profile_fields.values_of(ctx_of(request), [u.id for u in users])
    return [
        {
            **mappers.user(u),
            "custom_profile_fields": mappers_catalog.profile_values(values.get(u.id, [])),
        }
        for u in users
    ]


def _profile_entries(
    fields: list[CustomProfileFieldRequest] | None,
) -> list[tuple[int, str | None]]:
    """Thinkific always manages profile fields (required ones are checked even when none are
    sent), unless the request says `skip_custom_fields_validation`."""
    return [(f.custom_profile_field_definition_id, f.value) for f in fields or []]


@router.post(
    "/users",
    status_code=201,
    response_model=UserResponse,
    responses=INVALID,
    operation_id="createUser",
)
async def create_user(request: Request, body: CreateUserRequest) -> Response:
    if body.provider is not None and body.external_id is None:
        return unprocessable("external_id", "required")
    data = body.model_dump(
        exclude_unset=True,
        exclude={
            "custom_profile_fields",
            "skip_custom_fields_validation",
            "send_welcome_email",
            "external_id",
            "provider",
        },
    )
    identity = (body.provider or "SSO", body.external_id) if body.external_id else None
    user = await people.create_user(
        ctx_of(request),
        data,
        identity,
        profile_fields=_profile_entries(body.custom_profile_fields),
        skip_profile_validation=body.skip_custom_fields_validation,
    )
    return json((await _users(request, [user]))[0], 201)


@router.get(
    "/users/{id}", response_model=UserResponse, responses=NOT_FOUND, operation_id="getUserByID"
)
async def get_user(request: Request, id: str, provider: ProviderParam = None) -> Response:
    return json((await _users(request, [await _user(request, id, provider)]))[0])


@router.put(
    "/users/{id}",
    status_code=204,
    responses={**NOT_FOUND, **INVALID},
    operation_id="updateUserByID",
)
async def update_user(
    request: Request, id: str, body: UpdateUserRequest, provider: ProviderParam = None
) -> Response:
    user = await _user(request, id, provider)
    data = body.model_dump(
        exclude_unset=True, exclude={"custom_profile_fields", "skip_custom_fields_validation"}
    )
    await people.update_user(
        ctx_of(request),
        user.id,
        data,
        profile_fields=_profile_entries(body.custom_profile_fields),
        skip_profile_validation=body.skip_custom_fields_validation,
    )
    return empty(204)


@router.delete("/users/{id}", status_code=204, responses=NOT_FOUND, operation_id="deleteUserByID")
async def delete_user(request: Request, id: str, provider: ProviderParam = None) -> Response:
    user = await _user(request, id, provider)
    await people.delete_user(ctx_of(request), user.id)
    return empty(204)


@router.get(
    "/users/{id}/authentications/{provider}",
    response_model=AuthenticationResponse,
    responses=NOT_FOUND,
    operation_id="getUserAuthentication",
)
async def get_authentication(
    request: Request, id: str, provider: Literal["SSO", "OPENID_CONNECT"]
) -> Response:
    user = await _user(request, id, None)
    for name, external_id in user.identities:
        if name == provider:
            return json({"provider": name, "external_id": external_id})
    raise NotFound("authentication", provider)
