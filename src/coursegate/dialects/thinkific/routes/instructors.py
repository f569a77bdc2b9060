"""Instructors: full CRUD."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import mappers_catalog as mappers
from coursegate.dialects.thinkific.pagination import PagingDep, listing
from coursegate.dialects.thinkific.params import record_id
from coursegate.dialects.thinkific.schemas import ErrorNotFound, ValidationErrors
from coursegate.dialects.thinkific.schemas_catalog import (
    GetInstructorsResponse,
    InstructorRequest,
    InstructorResponse,
)
from coursegate.domain import instructors
from coursegate.platform.http import Responses, ctx_of, empty, json

router = APIRouter(tags=["Instructors"])
NOT_FOUND: Responses = {404: {"model": ErrorNotFound, "description": "Record not found"}}
INVALID: Responses = {422: {"model": ValidationErrors, "description": "Validation failed"}}


@router.get("/instructors", response_model=GetInstructorsResponse, operation_id="getInstructors")
async def list_instructors(request: Request, paging: PagingDep) -> Response:
    page = await instructors.list_instructors(ctx_of(request), paging.offset, paging.limit)
    return json(listing([mappers.instructor(i) for i in page.items], paging, page.total))


@router.post(
    "/instructors",
    status_code=201,
    response_model=InstructorResponse,
    responses=INVALID,
    operation_id="createInstructor",
)
async def create_instructor(request: Request, body: InstructorRequest) -> Response:
    created = await instructors.create_instructor(ctx_of(request), body.model_dump())
    return json(mappers.instructor(created), 201)


@router.get(
    "/instructors/{id}",
    response_model=InstructorResponse,
    responses=NOT_FOUND,
    operation_id="getInstructorByID",
)
async def get_instructor(request: Request, id: str) -> Response:
    found = await instructors.get_instructor(ctx_of(request), record_id(id, "instructor"))
    return json(mappers.instructor(found))


@router.put(
    "/instructors/{id}",
    status_code=204,
    responses={**NOT_FOUND, **INVALID},
    operation_id="updateInstructor",
)
async def update_instructor(request: Request, id: str, body: InstructorRequest) -> Response:
    await instructors.update_instructor(
        ctx_of(request), record_id(id, "instructor"), body.model_dump()
    )
    return empty(204)


@router.delete(
    "/instructors/{id}", status_code=204, responses=NOT_FOUND, operation_id="deleteInstructorByID"
)
async def delete_instructor(request: Request, id: str) -> Response:
    await instructors.delete_instructor(ctx_of(request), record_id(id, "instructor"))
    return empty(204)
