"""User status changes and course progress resets (reference §4.5, §4.6)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from pydantic import StrictBool, StrictStr
from starlette.responses import Response

from coursegate.dialects.thoughtindustries.paging import envelope
from coursegate.dialects.thoughtindustries.schemas import Errors, WireModel
from coursegate.dialects.thoughtindustries.schemas_structure import Wrapped
from coursegate.domain import people
from coursegate.domain.errors import Invalid
from coursegate.domain.progress_reset import reset_progress
from coursegate.platform.http import ctx_of, json

router = APIRouter(tags=["User Management"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Errors}, 404: {"model": Errors}}
USER_STATUS = "user_status"  # rendered as `status` (errors.WIRE_FIELDS)


class StatusWrite(WireModel):
    status: StrictStr | None = None


class StatusReply(WireModel):
    status: str


class ResetWrite(WireModel):
    slug: StrictStr
    revokeAccess: StrictBool
    userId: StrictStr | None = None
    resetProgress: StrictBool = False
    eraseTranscript: StrictBool = False


@router.put(
    "/users/{id}/updateStatus",
    response_model=StatusReply,
    responses=ERRORS,
    operation_id="updateUserStatus",
)
async def update_status(request: Request, id: str, body: StatusWrite) -> Response:
    """`id` is the user's UUID, email or externalCustomerId; the reply is not wrapped."""
    ctx = ctx_of(request)
    user = await people.find_user(ctx, id)
    if body.status is None:
        raise Invalid.one(USER_STATUS, "required")
    if user.status != body.status:
        try:
            user = await people.update_user(ctx, user.id, {"status": body.status})
        except Invalid as exc:
            # The shared field map renders `status` as publishedStatus (courses); here: the user's.
            raise Invalid(
                *(replace(p, field=USER_STATUS) if p.field == "status" else p for p in exc.problems)
            ) from None
    return json({"status": user.status})


@router.post(
    "/users/{id}/resetProgress",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="ResetUserCourseProgress",
)
async def reset_user_progress(request: Request, id: str, body: ResetWrite) -> Response:
    await reset_progress(
        ctx_of(request),
        id,
        body.slug,
        reset=body.resetProgress,
        revoke=body.revokeAccess,
        erase_transcript=body.eraseTranscript,
        confirm_user_uuid=body.userId,
    )
    return json(envelope(request, "ResetUserCourseProgress", True))
