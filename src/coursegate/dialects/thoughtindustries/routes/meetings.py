"""ILT/VILT: GET /meetings, GET /meetings/:id, POST /users/:id/updateMeetingAttendance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers, mappers_ops
from coursegate.dialects.thoughtindustries.errors import WIRE_FIELDS
from coursegate.dialects.thoughtindustries.ops_params import course_filter, uuid_param
from coursegate.dialects.thoughtindustries.paging import envelope, page_info, page_number, per_page
from coursegate.dialects.thoughtindustries.schemas import Errors, User
from coursegate.dialects.thoughtindustries.schemas_ops import (
    MeetingAttendanceWrite,
    MeetingByIdResponse,
    MeetingsResponse,
)
from coursegate.domain import catalog, meetings, people
from coursegate.domain.errors import Collector, Invalid, NotFound
from coursegate.platform.http import ctx_of, json

router = APIRouter(tags=["ILT/VILT"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Errors}, 404: {"model": Errors}}
WIRE_FIELDS.update({"meeting_id": "meetingId"})


@router.get("/meetings", response_model=MeetingsResponse, responses=ERRORS, operation_id="Meetings")
async def list_meetings(
    request: Request,
    page: Annotated[str | None, Query()] = None,
    perPage: Annotated[str | None, Query()] = None,
    courseId: Annotated[str | None, Query()] = None,
) -> Response:
    ctx = ctx_of(request)
    limit = per_page(request, perPage)
    number = page_number(page) or 1
    course_id = await course_filter(ctx, "courseId", courseId)
    found, total, more = await meetings.list_meetings(ctx, course_id, (number - 1) * limit, limit)
    payload = {
        "pageInfo": page_info(limit, total, more, None, number),
        "aggregations": [],
        "meetings": [mappers_ops.meeting(m) for m in found],
    }
    return json(envelope(request, "Meetings", payload))


@router.get(
    "/meetings/{id}",
    response_model=MeetingByIdResponse,
    responses=ERRORS,
    operation_id="MeetingById",
)
async def get_meeting(request: Request, id: str) -> Response:
    meeting = await meetings.get_meeting(ctx_of(request), id)
    return json(envelope(request, "MeetingById", mappers_ops.meeting(meeting, attendees=True)))


@router.post(
    "/users/{id}/updateMeetingAttendance",
    response_model=User,
    responses=ERRORS,
    operation_id="updateMeetingAttendance",
)
async def update_meeting_attendance(
    request: Request, id: str, body: MeetingAttendanceWrite
) -> Response:
    ctx = ctx_of(request)
    problems = Collector()
    for name in ("userId", "meetingId", "attended"):
        if getattr(body, name) is None:
            problems.add(name, "required")
    problems.raise_if_any()
    assert body.userId is not None and body.meetingId is not None and body.attended is not None
    user = await people.find_user(ctx, id)
    uuid_param("userId", body.userId)
    if body.userId.lower() != user.uuid:
        raise Invalid.one(
            "userId", "not_allowed", reason="Field 'userId' must be the user in the path."
        )
    course_id = None
    if body.courseId is not None:
        key = uuid_param("courseId", body.courseId)
        assert key is not None
        try:
            course_id = (await catalog.get_course(ctx, key)).id
        except NotFound:
            raise Invalid.one("courseId", "not_found", resource="course") from None
    user = await meetings.mark_attendance(
        ctx, user.id, body.meetingId, body.attended, course_id=course_id
    )
    return json(mappers.user(user))
