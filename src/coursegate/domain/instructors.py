"""Instructors shown on courses. Every course points at one; a site starts with a default."""

from __future__ import annotations

from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Invalid, NotFound
from coursegate.domain.models import Page
from coursegate.domain.offering_models import Instructor
from coursegate.domain.recording import record
from coursegate.platform.ids import new_uuid
from coursegate.store.catalog import CourseRepo
from coursegate.store.community import InstructorAdminRepo
from coursegate.store.database import Unit
from coursegate.store.people import UserRepo

TEXT_MAX = 255
URL_MAX = 2048
LIMITS = {
    "first_name": TEXT_MAX,
    "last_name": TEXT_MAX,
    "slug": TEXT_MAX,
    "title": TEXT_MAX,
    "email": TEXT_MAX,
    "avatar_url": URL_MAX,
}
FIELDS = ("user_id", "title", "first_name", "last_name", "bio", "slug", "avatar_url", "email")


def instructor_snapshot(i: Instructor) -> dict[str, Any]:
    return {
        "id": i.id,
        "uuid": i.uuid,
        "user_id": i.user_id,
        "first_name": i.first_name,
        "last_name": i.last_name,
        "title": i.title,
        "slug": i.slug,
        "email": i.email,
        "created_at": i.created_at,
    }


async def _load(u: Unit, instructor_id: int) -> Instructor:
    instructor = await InstructorAdminRepo(u).get(instructor_id)
    if instructor is None:
        raise NotFound("instructor", instructor_id)
    return instructor


async def _check(u: Unit, data: dict[str, Any]) -> dict[str, Any]:
    """first_name, last_name and slug are required on create and on (full) update."""
    problems = Collector()
    for name in ("first_name", "last_name", "slug"):
        value = data.get(name)
        if value is None or not str(value).strip():
            problems.add(name, "required")
    for name, limit in LIMITS.items():
        value = data.get(name)
        if isinstance(value, str) and len(value) > limit:
            problems.add(name, "too_long", count=limit)
    user_id = data.get("user_id")
    if user_id is not None and await UserRepo(u).get(user_id) is None:
        problems.add("user_id", "not_found", resource="user")
    problems.raise_if_any()
    values = {k: data.get(k) for k in FIELDS}
    for name in ("first_name", "last_name", "slug"):
        values[name] = str(values[name]).strip()
    return values


async def create_instructor(ctx: Ctx, data: dict[str, Any]) -> Instructor:
    async with ctx.writing() as u:
        values = await _check(u, data)
        instructor_id = await InstructorAdminRepo(u).create(
            {**values, "uuid": new_uuid(), "created_at": u.now}
        )
        instructor = await _load(u, instructor_id)
        await record(
            u,
            "instructor.created",
            "instructor",
            instructor.id,
            instructor.uuid,
            instructor_snapshot(instructor),
        )
        return instructor


async def update_instructor(ctx: Ctx, instructor_id: int, data: dict[str, Any]) -> Instructor:
    async with ctx.writing() as u:
        await _load(u, instructor_id)
        values = await _check(u, data)
        await InstructorAdminRepo(u).update(instructor_id, values)
        instructor = await _load(u, instructor_id)
        await record(
            u,
            "instructor.updated",
            "instructor",
            instructor.id,
            instructor.uuid,
            {**instructor_snapshot(instructor), "changed": sorted(values)},
        )
        return instructor


async def delete_instructor(ctx: Ctx, instructor_id: int) -> list[int]:
    """Delete an instructor. Their courses move to the site's first remaining instructor (the
    default one), or to none when no instructor remains. Returns the course ids moved."""
    async with ctx.writing() as u:
        instructor = await _load(u, instructor_id)
        repo = InstructorAdminRepo(u)
        successor = await repo.first_other(instructor_id)
        moved = await repo.reassign_courses(instructor_id, successor)
        await repo.delete(instructor_id)
        await record(
            u,
            "instructor.deleted",
            "instructor",
            instructor.id,
            instructor.uuid,
            {**instructor_snapshot(instructor), "courses_moved_to": successor, "course_ids": moved},
        )
        return moved


async def get_instructor(ctx: Ctx, instructor_id: int) -> Instructor:
    async with ctx.reading() as u:
        return await _load(u, instructor_id)


async def list_instructors(ctx: Ctx, offset: int, limit: int) -> Page[Instructor]:
    async with ctx.reading() as u:
        repo = InstructorAdminRepo(u)
        stmt = repo.all()
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


async def assign_instructor(ctx: Ctx, course_id: int, instructor_id: int) -> None:
    """Make an instructor the one a course shows."""
    async with ctx.writing() as u:
        await _load(u, instructor_id)
        courses = CourseRepo(u)
        course = await courses.get(course_id)
        if course is None:
            raise Invalid.one("course_id", "not_found", resource="course")
        await courses.update(course_id, {"instructor_id": instructor_id, "updated_at": u.now})
        await record(
            u,
            "course.updated",
            "course",
            course.id,
            course.uuid,
            {
                "id": course.id,
                "uuid": course.uuid,
                "instructor_id": instructor_id,
                "changed": ["instructor_id"],
            },
            course_uuid=course.uuid,
        )
