"""ILT/VILT meetings: scheduling sessions of a course and recording who attended."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Invalid, NotFound
from coursegate.domain.models import User
from coursegate.domain.models_ops import Meeting
from coursegate.domain.recording import record
from coursegate.platform.ids import is_uuid, new_uuid
from coursegate.store.catalog import CourseRepo
from coursegate.store.database import Unit
from coursegate.store.meetings import MeetingRepo
from coursegate.store.people import UserRepo

TITLE_MAX = 255


def meeting_snapshot(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.id,
        "uuid": m.uuid,
        "course_id": m.course_id,
        "title": m.title,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "time_zone": m.time_zone,
        "location_name": m.location_name,
        "virtual_url": m.virtual_url,
        "instructors": list(m.instructors),
        "seats_limit": m.seats_limit,
    }


async def create_meeting(
    ctx: Ctx,
    course_id: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    *,
    description: str | None = None,
    time_zone: str = "UTC",
    location_name: str | None = None,
    location_address: str | None = None,
    virtual_url: str | None = None,
    instructors: list[str] | None = None,
    seats_limit: int | None = None,
) -> Meeting:
    """Schedule a session of a course (the vendor API has no meeting writes: admin/seed use)."""
    problems = Collector()
    if not title.strip():
        problems.add("title", "required")
    elif len(title) > TITLE_MAX:
        problems.add("title", "too_long", count=TITLE_MAX)
    if ends_at <= starts_at:
        problems.add("ends_at", "not_allowed", reason="A meeting must end after it starts.")
    limits = {
        "time_zone": (time_zone, 64),
        "location_name": (location_name, 255),
        "location_address": (location_address, 1024),
        "virtual_url": (virtual_url, 2048),
    }
    for name, (value, most) in limits.items():
        if value is not None and len(value) > most:
            problems.add(name, "too_long", count=most)
    if seats_limit is not None and seats_limit < 1:
        problems.add("seats_limit", "out_of_range", minimum=1, maximum=2**31 - 1)
    problems.raise_if_any()
    async with ctx.writing() as u:
        course = await CourseRepo(u).get(course_id)
        if course is None:
            raise Invalid.one("course_id", "not_found", resource="course")
        repo = MeetingRepo(u)
        meeting_id = await repo.create(
            {
                "uuid": new_uuid(),
                "course_id": course_id,
                "title": title.strip(),
                "description": description,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "time_zone": time_zone,
                "location_name": location_name,
                "location_address": location_address,
                "virtual_url": virtual_url,
                "instructors": [n.strip() for n in instructors or [] if n.strip()],
                "seats_limit": seats_limit,
                "created_at": u.now,
                "updated_at": u.now,
            }
        )
        meeting = await repo.get(meeting_id)
        assert meeting is not None
        await record(
            u,
            "meeting.created",
            "meeting",
            meeting.id,
            meeting.uuid,
            meeting_snapshot(meeting),
            course_uuid=course.uuid,
        )
        return meeting


async def list_meetings(
    ctx: Ctx, course_id: int | None, offset: int, limit: int
) -> tuple[list[Meeting], int, bool]:
    """Meetings in start order (then creation order)."""
    async with ctx.reading() as u:
        repo = MeetingRepo(u)
        stmt = repo.of_course(course_id)
        items = await repo.list_page(stmt, offset, limit + 1)
        total = await repo.count(stmt)
    return items[:limit], total, len(items) > limit


async def get_meeting(ctx: Ctx, meeting_uuid: str) -> Meeting:
    async with ctx.reading() as u:
        meeting = await MeetingRepo(u).get_by_uuid(meeting_uuid) if is_uuid(meeting_uuid) else None
    if meeting is None:
        raise NotFound("meeting", meeting_uuid)
    return meeting


async def _meeting_by_uuid(u: Unit, meeting_uuid: str) -> Meeting | None:
    return await MeetingRepo(u).get_by_uuid(meeting_uuid) if is_uuid(meeting_uuid) else None


async def mark_attendance(
    ctx: Ctx, user_id: int, meeting_uuid: str, attended: bool, *, course_id: int | None = None
) -> User:
    """Record whether a learner attended a meeting; `course_id`, when given, must be the
    meeting's course. Emits `meeting.attendance_updated` when the mark changes."""
    async with ctx.writing() as u:
        problems = Collector()
        user = await UserRepo(u).get(user_id)
        if user is None:
            problems.add("user_id", "not_found", resource="user")
        meeting = await _meeting_by_uuid(u, meeting_uuid)
        if meeting is None:
            problems.add("meeting_id", "not_found", resource="meeting")
        elif course_id is not None and course_id != meeting.course_id:
            problems.add(
                "course_id", "not_allowed", reason="The meeting does not belong to that course."
            )
        problems.raise_if_any()
        assert user is not None and meeting is not None and meeting.course is not None
        changed = await MeetingRepo(u).set_attendance(meeting.id, user.id, attended, u.now)
        if changed:
            payload = {
                "meeting": meeting_snapshot(meeting),
                "user_id": user.id,
                "attended": attended,
            }
            await record(
                u,
                "meeting.attendance_updated",
                "meeting",
                meeting.id,
                meeting.uuid,
                payload,
                user_uuid=user.uuid,
                course_uuid=meeting.course.uuid,
            )
        return user
