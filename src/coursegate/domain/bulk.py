"""Bulk operations, one record at a time inside a job batch (see domain/jobs.py)."""

from __future__ import annotations

from typing import Any

from coursegate.domain.catalog import insert_course, resolve_course
from coursegate.domain.errors import Duplicate, Invalid, Problem
from coursegate.domain.jobs import handler
from coursegate.domain.learning import enroll
from coursegate.domain.people import _validate as validate_user
from coursegate.domain.people import insert_user, resolve_user
from coursegate.domain.recording import record
from coursegate.domain.snapshots import user_snapshot
from coursegate.store.database import Unit
from coursegate.store.people import UserRepo

COURSES = "bulkCreateCourses"
USERS = "bulkCreateUsers"
ENROLLMENTS = "bulkCreateEnrollments"


@handler(COURSES)
async def create_course(u: Unit, item: dict[str, Any]) -> dict[str, Any]:
    course = await insert_course(u, item["data"])
    return {"id": course.id, "uuid": course.uuid}


@handler(USERS)
async def create_user(u: Unit, item: dict[str, Any]) -> dict[str, Any]:
    """item: {"data": user fields, "skip_existing": bool, "welcome_email": bool}."""
    data = item["data"]
    validate_user(data, creating=True)
    existing = await UserRepo(u).get_by_email(data["email"].strip())
    if existing is not None:
        if item.get("skip_existing"):
            return {"id": existing.id, "uuid": existing.uuid, "skipped": True}
        raise Duplicate(Problem("email", "taken", {"value": data["email"]}))
    user = await insert_user(u, data)
    # No mail is sent by the platform; the request is kept with the event for mailers.
    payload = {**user_snapshot(user), "welcome_email_requested": bool(item.get("welcome_email"))}
    await record(u, "user.created", "user", user.id, user.uuid, payload, user_uuid=user.uuid)
    return {"id": user.id, "uuid": user.uuid, "skipped": False}


@handler(ENROLLMENTS)
async def create_enrollment(u: Unit, item: dict[str, Any]) -> dict[str, Any]:
    """data: {"user": uuid|email|external id, "course": uuid|slug, "source": str|None}."""
    data = item["data"]
    missing = [
        Problem(k, "required")
        for k in ("user_id", "course_id")
        if not data.get(k.removesuffix("_id"))
    ]
    if missing:
        raise Invalid(*missing)
    user = await resolve_user(u, str(data["user"]))
    if user is None:
        raise Invalid.one("user_id", "not_found", resource="user", value=data["user"])
    course = await resolve_course(u, str(data["course"]))
    if course is None:
        raise Invalid.one("course_id", "not_found", resource="course", value=data["course"])
    enrollment = await enroll(
        u,
        user.id,
        course.id,
        activated_at=u.now,
        expiry_date=None,
        source=data.get("source") or "bulk_api",
    )
    return {"id": enrollment.id, "uuid": enrollment.uuid}
