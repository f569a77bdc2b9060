"""Groups, group users (by group name) and group analysts (from both sides)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import mappers_catalog as mappers
from coursegate.dialects.thinkific.pagination import PagingDep, listing
from coursegate.dialects.thinkific.params import record_id
from coursegate.dialects.thinkific.schemas import ErrorNotFound, ValidationErrors
from coursegate.dialects.thinkific.schemas_catalog import (
    CreateGroupUsersRequest,
    GetGroupAnalystsResponse,
    GetGroupsResponse,
    GroupAddAnalystRequest,
    GroupAnalystsAddGroupRequest,
    GroupRequest,
    GroupResponse,
)
from coursegate.domain import groups
from coursegate.platform.http import Responses, ctx_of, empty, json
from coursegate.platform.ids import is_int_id

router = APIRouter()
NOT_FOUND: Responses = {404: {"model": ErrorNotFound, "description": "Record not found"}}
INVALID: Responses = {422: {"model": ValidationErrors, "description": "Validation failed"}}


@router.get("/groups", response_model=GetGroupsResponse, tags=["Groups"], operation_id="getGroups")
async def list_groups(request: Request, paging: PagingDep) -> Response:
    page = await groups.list_groups(ctx_of(request), paging.offset, paging.limit)
    return json(listing([mappers.group(g) for g in page.items], paging, page.total))


@router.post(
    "/groups",
    status_code=200,
    response_model=GroupResponse,
    responses=INVALID,
    tags=["Groups"],
    operation_id="createGroup",
)
async def create_group(request: Request, body: GroupRequest) -> Response:
    # Thinkific answers 200 (not 201) to a group create.
    return json(mappers.group(await groups.create_group(ctx_of(request), body.name)))


@router.get(
    "/groups/{id}",
    response_model=GroupResponse,
    responses=NOT_FOUND,
    tags=["Groups"],
    operation_id="getGroupByID",
)
async def get_group(request: Request, id: str) -> Response:
    return json(mappers.group(await groups.get_group(ctx_of(request), record_id(id, "group"))))


@router.delete(
    "/groups/{id}",
    status_code=204,
    responses=NOT_FOUND,
    tags=["Groups"],
    operation_id="deleteGroupByID",
)
async def delete_group(request: Request, id: str) -> Response:
    await groups.delete_group(ctx_of(request), record_id(id, "group"))
    return empty(204)


@router.get(
    "/groups/{group_id}/analysts",
    response_model=GetGroupAnalystsResponse,
    responses=NOT_FOUND,
    tags=["Groups"],
    operation_id="getGroupAnalysts",
)
async def list_analysts(request: Request, group_id: str) -> Response:
    ids = await groups.group_analyst_ids(ctx_of(request), record_id(group_id, "group"))
    return json({"group_analysts": ids})


@router.post(
    "/groups/{group_id}/analysts",
    status_code=201,
    responses=INVALID,
    tags=["Groups"],
    operation_id="addAnalystsToGroup",
)
async def add_analysts(request: Request, group_id: str, body: GroupAddAnalystRequest) -> Response:
    # This operation documents no 404: an unknown group is a 422 on `group_id`.
    owner = int(group_id) if is_int_id(group_id) and len(group_id) <= 18 else 0
    await groups.assign_analysts(ctx_of(request), "group", owner, body.user_ids)
    return empty(201)


@router.delete(
    "/groups/{group_id}/analysts/{user_id}",
    status_code=204,
    responses=NOT_FOUND,
    tags=["Groups"],
    operation_id="removeAnalystFromGroup",
)
async def remove_analyst(request: Request, group_id: str, user_id: str) -> Response:
    await groups.unassign_analyst(
        ctx_of(request), record_id(group_id, "group"), record_id(user_id, "user")
    )
    return empty(204)


@router.post(
    "/group_analysts/{user_id}/groups",
    status_code=201,
    responses={**NOT_FOUND, **INVALID},
    tags=["Group Analysts"],
    operation_id="addGroupToAnalyst",
)
async def add_groups_to_analyst(
    request: Request, user_id: str, body: GroupAnalystsAddGroupRequest
) -> Response:
    await groups.assign_analysts(
        ctx_of(request), "user", record_id(user_id, "user"), body.group_ids
    )
    return empty(201)


@router.delete(
    "/group_analysts/{user_id}/groups/{group_id}",
    status_code=204,
    responses=NOT_FOUND,
    tags=["Group Analysts"],
    operation_id="removeGroupFromAnalyst",
)
async def remove_group_from_analyst(request: Request, user_id: str, group_id: str) -> Response:
    await groups.unassign_analyst(
        ctx_of(request), record_id(group_id, "group"), record_id(user_id, "user")
    )
    return empty(204)


@router.post(
    "/group_users",
    status_code=201,
    responses=INVALID,
    tags=["Group Users"],
    operation_id="createGroupUsers",
)
async def add_group_users(request: Request, body: CreateGroupUsersRequest) -> Response:
    await groups.add_user_to_groups(ctx_of(request), body.user_id, body.group_names)
    return empty(201)
