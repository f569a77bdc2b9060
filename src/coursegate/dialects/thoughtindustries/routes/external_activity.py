"""External activity (company feature flag `externalActivity`): assignment outcomes (302 back
to the learner), course completions and learning-path status (200, empty body)."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.responses import RedirectResponse, Response

from coursegate.dialects.thoughtindustries.errors import WIRE_FIELDS
from coursegate.dialects.thoughtindustries.ops_params import date_param, feature_enabled
from coursegate.dialects.thoughtindustries.schemas import Errors
from coursegate.dialects.thoughtindustries.schemas_ops import (
    LEARNING_PATH_STATUSES,
    AssignmentExternalActivityWrite,
    CourseExternalActivityWrite,
    LearningPathExternalActivityWrite,
)
from coursegate.domain import assessments, catalog, external_activity, people
from coursegate.domain.errors import Invalid, NotFound
from coursegate.domain.models import User
from coursegate.platform.http import ctx_of, empty
from coursegate.platform.ids import is_uuid

router = APIRouter(tags=["External Activity"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Errors}}
WIRE_FIELDS.update(
    {
        "completion_date": "completionDate",
        "time_stamp_date": "timeStampDate",
        "learning_path_id": "learningPathId",
        "grade": "grade",
        # "status" alone would read as the course's publishedStatus.
        "activity_status": "status",
    }
)

FLAG_OFF = "externalActivity feature is not enabled"
BAD_IDS = "Invalid assignmentId or learnerId (both are required)"
NO_JWT = "The jwt query parameter is not supported; send the attributes as a JSON body"
DEFAULT_RETURN = "/learn"
ASSIGNMENT_STATUSES = ("completed", "incomplete")
Body = TypeVar("Body", bound=BaseModel)


def _refuse(message: str) -> Invalid:
    return Invalid.one("request", "not_allowed", reason=message)


def _body_doc(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


async def _open(request: Request, model: type[Body]) -> Body:
    """Flag first, then the body: a site without the feature learns that before anything else."""
    if not feature_enabled(request, "externalActivity"):
        raise _refuse(FLAG_OFF)
    if "jwt" in request.query_params:
        raise _refuse(NO_JWT)
    try:
        raw = await request.json()
    except ValueError:
        raise _refuse("Request body is not valid JSON.") from None
    if not isinstance(raw, dict):
        raise _refuse("Request body must be a JSON object.")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from None


async def _user(request: Request, key: str | None, field_name: str) -> User:
    if not key:
        raise Invalid.one(field_name, "required")
    try:
        return await people.find_user(ctx_of(request), key)
    except NotFound:
        raise Invalid.one(field_name, "not_found", resource="user") from None


def _safe_return(url: str | None) -> str:
    """Relative targets only: an absolute URL would make this an open redirect."""
    target = url or DEFAULT_RETURN
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        raise _refuse("returnUrl must be a relative path starting with '/'")
    return target


@router.post(
    "/assignmentExternalActivity",
    status_code=302,
    responses=ERRORS,
    operation_id="assignmentExternalActivity",
    openapi_extra=_body_doc(AssignmentExternalActivityWrite),
)
async def assignment_external_activity(request: Request) -> Response:
    body = await _open(request, AssignmentExternalActivityWrite)
    ctx = ctx_of(request)
    if not (
        body.assignmentId
        and body.learnerId
        and is_uuid(body.assignmentId)
        and is_uuid(body.learnerId)
    ):
        raise _refuse(BAD_IDS)
    if body.status is None:
        raise Invalid.one("activity_status", "required")
    if body.status not in ASSIGNMENT_STATUSES:
        raise Invalid.one(
            "activity_status", "invalid_choice", value=body.status, choices=ASSIGNMENT_STATUSES
        )
    target = _safe_return(body.returnUrl)
    lesson = await assessments.lesson_by_uuid(ctx, body.assignmentId)
    try:
        learner = await people.find_user(ctx, body.learnerId)
    except NotFound:
        learner = None
    if lesson is None or lesson.kind != "Assignment" or learner is None:
        raise _refuse(BAD_IDS)
    await external_activity.record_assignment_activity(
        ctx, learner.id, lesson.id, body.status, body.grade, body.gradeFeedback
    )
    return RedirectResponse(target, status_code=302)


@router.post(
    "/courseExternalActivity",
    status_code=200,
    responses=ERRORS,
    operation_id="courseExternalActivity",
    openapi_extra=_body_doc(CourseExternalActivityWrite),
)
async def course_external_activity(request: Request) -> Response:
    body = await _open(request, CourseExternalActivityWrite)
    ctx = ctx_of(request)
    if not body.courseId and not body.courseSku:
        raise _refuse("courseId or courseSku is required")
    if not body.userId and not body.userEmail:
        raise _refuse("userId or userEmail is required")
    completed_at = date_param("completionDate", body.completionDate)
    course_id: int | None = None
    if body.courseId:
        try:
            course_id = (
                (await catalog.get_course(ctx, body.courseId)).id
                if is_uuid(body.courseId)
                else None
            )
        except NotFound:
            course_id = None
    else:
        assert body.courseSku is not None
        course_id = await external_activity.course_id_by_sku(ctx, body.courseSku)
    if course_id is None:
        raise Invalid.one(
            "courseSku" if not body.courseId else "course_id", "not_found", resource="course"
        )
    user = await _user(
        request, body.userId or body.userEmail, "userId" if body.userId else "userEmail"
    )
    await external_activity.complete_course(ctx, user.id, course_id, completed_at)
    return empty(200)


@router.post(
    "/learningPathExternalActivity",
    status_code=200,
    responses=ERRORS,
    operation_id="learningPathExternalActivity",
    openapi_extra=_body_doc(LearningPathExternalActivityWrite),
)
async def learning_path_external_activity(request: Request) -> Response:
    body = await _open(request, LearningPathExternalActivityWrite)
    ctx = ctx_of(request)
    if body.status not in LEARNING_PATH_STATUSES:
        choices = LEARNING_PATH_STATUSES
        raise Invalid.one("activity_status", "invalid_choice", value=body.status, choices=choices)
    if body.completionDate is not None and body.status != "completed":
        raise _refuse("completion date cannot be passed with non-completed status")
    if body.timeStampDate is not None and body.status == "completed":
        raise _refuse("time stamp date cannot be passed with completed status")
    if not body.learningPathId:
        raise Invalid.one("learning_path_id", "required")
    completed_at = date_param("completionDate", body.completionDate)
    stamped_at = date_param("timeStampDate", body.timeStampDate)
    user = await _user(request, body.userId, "userId")
    try:
        path = await catalog.get_course(ctx, body.learningPathId)
    except NotFound:
        raise Invalid.one("learning_path_id", "not_found", resource="learning path") from None
    await external_activity.set_learning_path_status(
        ctx,
        user.id,
        path.id,
        body.status.replace("-", "_"),
        completed_at=completed_at,
        stamped_at=stamped_at,
    )
    return empty(200)
