"""GET /assessmentAttempts (cursor or page) and GET /assignmentSubmissions (page)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers_ops
from coursegate.dialects.thoughtindustries.ops_params import (
    NO_MATCH,
    bool_param,
    course_filter,
    date_param,
    user_filter,
    uuid_param,
)
from coursegate.dialects.thoughtindustries.paging import (
    decode_cursor,
    encode_cursor,
    envelope,
    page_info,
    page_number,
    per_page,
)
from coursegate.dialects.thoughtindustries.schemas import Errors
from coursegate.dialects.thoughtindustries.schemas_ops import (
    AssessmentAttemptsResponse,
    AssignmentSubmissionsResponse,
)
from coursegate.domain import assessments, panorama
from coursegate.domain.errors import Invalid, NotFound
from coursegate.domain.models_ops import AttemptFilter, SubmissionFilter
from coursegate.platform.http import ctx_of, json

router = APIRouter(tags=["Assessments"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Errors}}
STATUS_LABELS = {"submitted": "Submitted", "completed": "Completed", "incomplete": "Incomplete"}


@router.get(
    "/assessmentAttempts",
    response_model=AssessmentAttemptsResponse,
    responses=ERRORS,
    operation_id="AssessmentAttempts",
)
async def list_assessment_attempts(
    request: Request,
    cursor: Annotated[str | None, Query()] = None,
    startDate: Annotated[str | None, Query(description="Unix ms or ISO 8601, inclusive")] = None,
    endDate: Annotated[str | None, Query(description="Unix ms or ISO 8601, inclusive")] = None,
    courseId: Annotated[str | None, Query()] = None,
    userId: Annotated[str | None, Query()] = None,
    page: Annotated[str | None, Query()] = None,
    perPage: Annotated[str | None, Query()] = None,
) -> Response:
    ctx = ctx_of(request)
    limit = per_page(request, perPage)
    number = page_number(page)
    key = decode_cursor(cursor, {"i"})
    if key is not None and not isinstance(key["i"], int):
        raise Invalid.one("cursor", "invalid", value=cursor)
    since, until = date_param("startDate", startDate), date_param("endDate", endDate)
    if since is not None and until is not None and since > until:
        raise Invalid.one("startDate", "not_allowed", reason="startDate must not be after endDate.")
    f = AttemptFilter(
        user_id=await user_filter(ctx, "userId", userId),
        course_id=await course_filter(ctx, "courseId", courseId),
        since=since,
        until=until,
    )
    if number is not None and key is None:
        found, total, more = await assessments.page_attempts(ctx, f, (number - 1) * limit, limit)
    else:
        found, total, more = await assessments.scan_attempts(
            ctx, f, key["i"] if key else None, limit
        )
    next_cursor = encode_cursor({"i": found[-1].id}) if found and more else None
    info = page_info(limit, total, more, next_cursor, number if key is None else None)
    payload = {
        "pageInfo": info,
        "assessmentAttempts": [mappers_ops.assessment_attempt(a) for a in found],
    }
    return json(envelope(request, "AssessmentAttempts", payload))


@router.get(
    "/assignmentSubmissions",
    response_model=AssignmentSubmissionsResponse,
    responses=ERRORS,
    operation_id="AssignmentSubmissions",
)
async def list_assignment_submissions(
    request: Request,
    query: Annotated[str | None, Query(description="Matches assignment, course or learner")] = None,
    page: Annotated[str | None, Query()] = None,
    perPage: Annotated[str | None, Query()] = None,
    clientId: Annotated[str | None, Query()] = None,
    enableAggregations: Annotated[str | None, Query()] = None,
) -> Response:
    ctx = ctx_of(request)
    limit = per_page(request, perPage)
    number = page_number(page) or 1
    client_key = uuid_param("clientId", clientId)
    client_id = None
    if client_key is not None:
        try:
            client_id = (await panorama.get_client(ctx, client_key)).id
        except NotFound:
            client_id = NO_MATCH
    with_counts = bool_param("enableAggregations", enableAggregations)
    f = SubmissionFilter(text=(query or "").strip() or None, client_id=client_id)
    found, total, more, counts = await assessments.list_submissions(
        ctx, f, (number - 1) * limit, limit, with_counts=with_counts
    )
    aggregations = []
    if with_counts:
        buckets = [
            {
                "query": f"status:{status}",
                "value": status,
                "label": label,
                "description": None,
                "count": counts.get(status, 0),
            }
            for status, label in STATUS_LABELS.items()
        ]
        aggregations.append({"key": "status", "label": "Status", "buckets": buckets})
    payload = {
        "pageInfo": page_info(limit, total, more, None, number),
        "aggregations": aggregations,
        "assignmentSubmissions": [mappers_ops.assignment_submission(s) for s in found],
    }
    return json(envelope(request, "AssignmentSubmissions", payload))
