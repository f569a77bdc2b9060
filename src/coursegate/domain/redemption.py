"""Redemption codes: a group of single-use codes, each granting a user access to the
group's courses (learning paths are courses of that type)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from coursegate.domain.access import grant_course
from coursegate.domain.codes import unique_codes
from coursegate.domain.commerce_models import DAYS_MAX, RedemptionCodeGroup, storable
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Duplicate, Invalid, NotFound, Problem
from coursegate.domain.recording import record
from coursegate.platform.ids import is_uuid, new_uuid
from coursegate.store.base import UniqueViolation
from coursegate.store.catalog import CourseRepo
from coursegate.store.commerce import RedemptionRepo
from coursegate.store.database import Unit
from coursegate.store.people import UserRepo

LABEL_MAX = 255
CODES_MAX = 10_000
CODE_LENGTH_MIN = 6
CODE_LENGTH_MAX = 32
SOURCE = "redemption_code"


@dataclass(slots=True)
class GroupRequest:
    label: str | None
    code_length: int | None
    total_codes_count: int | None
    expiration_date: datetime | None = None
    access_days: int | None = None
    access_expiration_date: datetime | None = None
    course_uuids: list[str] | None = None
    learning_path_uuids: list[str] | None = None
    bundle_uuids: list[str] | None = None
    license_uuids: list[str] | None = None
    client_uuid: str | None = None


@dataclass(frozen=True, slots=True)
class Redemption:
    group: RedemptionCodeGroup
    code: str
    user_id: int
    course_ids: list[int]


def group_snapshot(g: RedemptionCodeGroup) -> dict[str, Any]:
    return {
        "id": g.id,
        "uuid": g.uuid,
        "label": g.label,
        "code_length": g.code_length,
        "total_codes_count": g.total_codes_count,
        "redeemed_codes_count": g.redeemed_codes_count,
        "expiration_date": g.expiration_date,
        "access_days": g.access_days,
        "access_expiration_date": g.access_expiration_date,
        "course_ids": [c.id for c in g.courses],
    }


def _check_shape(req: GroupRequest, problems: Collector) -> None:
    if req.label is None or not req.label.strip():
        problems.add("label", "required")
    elif len(req.label) > LABEL_MAX:
        problems.add("label", "too_long", count=LABEL_MAX)
    if req.code_length is None:
        problems.add("code_length", "required")
    elif not CODE_LENGTH_MIN <= req.code_length <= CODE_LENGTH_MAX:
        problems.add(
            "code_length", "out_of_range", minimum=CODE_LENGTH_MIN, maximum=CODE_LENGTH_MAX
        )
    if req.total_codes_count is None:
        problems.add("total_codes_count", "required")
    elif not 1 <= req.total_codes_count <= CODES_MAX:
        problems.add("total_codes_count", "out_of_range", minimum=1, maximum=CODES_MAX)
    if req.access_days is not None and req.access_expiration_date is not None:
        problems.add(
            "access_days",
            "not_allowed",
            reason="Access days and an access expiration date cannot both be given.",
        )
    if req.access_days is not None and not 1 <= req.access_days <= DAYS_MAX:
        problems.add("access_days", "out_of_range", minimum=1, maximum=DAYS_MAX)
    granted = (req.course_uuids, req.learning_path_uuids, req.bundle_uuids, req.license_uuids)
    if not any(granted):
        problems.add(
            "courses",
            "not_allowed",
            reason="At least one of courses, bundles, licenses or learning paths is required.",
        )
    # Bundles, licenses and clients live in modules this build does not carry yet.
    for name, values in (("bundles", req.bundle_uuids), ("licenses", req.license_uuids)):
        if values:
            problems.add(
                name, "not_allowed", reason=f"Redemption codes for {name} are not supported."
            )
    if req.client_uuid:
        problems.add("client", "not_found", resource="client")


async def _resolve_courses(u: Unit, req: GroupRequest, problems: Collector) -> list[int]:
    repo = CourseRepo(u)
    found: list[int] = []
    for name, keys, learning_paths in (
        ("courses", req.course_uuids or [], False),
        ("learning_paths", req.learning_path_uuids or [], True),
    ):
        for key in keys:
            course = await repo.get_by_uuid(key) if is_uuid(key) else None
            if course is None or (course.course_type == "learning_path") != learning_paths:
                resource = "learning path" if learning_paths else "course"
                problems.add(name, "not_found", resource=resource, value=key)
            elif course.id not in found:
                found.append(course.id)
    return found


async def create_group(ctx: Ctx, req: GroupRequest) -> RedemptionCodeGroup:
    problems = Collector()
    _check_shape(req, problems)
    problems.raise_if_any()
    assert req.label is not None and req.code_length is not None
    assert req.total_codes_count is not None
    async with ctx.writing() as u:
        course_ids = await _resolve_courses(u, req, problems)
        problems.raise_if_any()
        repo = RedemptionRepo(u)
        group_id = await repo.create(
            {
                "uuid": new_uuid(),
                "label": req.label.strip(),
                "code_length": req.code_length,
                "total_codes_count": req.total_codes_count,
                "redeemed_codes_count": 0,
                "expiration_date": req.expiration_date,
                "access_days": req.access_days,
                "access_expiration_date": req.access_expiration_date,
                "created_at": u.now,
            }
        )
        await repo.grant_courses(group_id, course_ids)
        codes = await unique_codes(req.total_codes_count, req.code_length, repo.taken_codes)
        try:
            await repo.add_codes(group_id, codes)
        except UniqueViolation as exc:
            # A concurrent request took a drawn code after our check; nothing is kept.
            raise Duplicate(Problem("code", "taken", {"value": None})) from exc
        group = await repo.get(group_id)
        assert group is not None
        group.codes = await repo.codes_of(group_id)
        await record(
            u,
            "redemption_code_group.created",
            "redemption_code_group",
            group.id,
            group.uuid,
            group_snapshot(group),
        )
        return group


async def get_group(ctx: Ctx, group_uuid: str, with_codes: bool = True) -> RedemptionCodeGroup:
    async with ctx.reading() as u:
        repo = RedemptionRepo(u)
        group = await repo.get_by_uuid(group_uuid) if is_uuid(group_uuid) else None
        if group is None:
            raise NotFound("redemption code group", group_uuid)
        if with_codes:
            group.codes = await repo.codes_of(group.id)
    return group


async def scan_groups(
    ctx: Ctx, text: str | None, descending: bool, after: tuple[str, int] | None, limit: int
) -> tuple[list[RedemptionCodeGroup], int, bool]:
    if text is not None and not storable(text):
        raise Invalid.one("query", "invalid")
    async with ctx.reading() as u:
        return await RedemptionRepo(u).scan(text, descending, after, limit)


def _access_expiry(group: RedemptionCodeGroup, now: datetime) -> datetime | None:
    if group.access_expiration_date is not None:
        return group.access_expiration_date
    if group.access_days is not None:
        return now + timedelta(days=group.access_days)
    return None


async def redeem(ctx: Ctx, code: str, user_id: int) -> Redemption:
    """Redeem one code for one user: enroll them in the group's courses. A code works once."""
    wanted = code.strip().upper()
    if not wanted:
        raise Invalid.one("code", "required")
    async with ctx.writing() as u:
        user = await UserRepo(u).get(user_id)
        if user is None:
            raise Invalid.one("user_id", "not_found", resource="user")
        repo = RedemptionRepo(u)
        row = await repo.find_code(wanted) if storable(wanted) else None
        if row is None:
            raise Invalid.one("code", "not_found", resource="redemption code")
        group = await repo.get(row.group_id)
        assert group is not None
        if group.expiration_date is not None and u.now >= group.expiration_date:
            raise Invalid.one("code", "not_allowed", reason="This redemption code has expired.")
        if not await repo.mark_redeemed(row.id, group.id, user.id, u.now):
            raise Invalid.one(
                "code", "not_allowed", reason="This redemption code has already been redeemed."
            )
        expiry = _access_expiry(group, u.now)
        for course in group.courses:
            await grant_course(u, user.id, course.id, expiry, SOURCE)
        group = await repo.get(group.id)
        assert group is not None
        course_ids = [c.id for c in group.courses]
        await record(
            u,
            "redemption_code.redeemed",
            "redemption_code_group",
            group.id,
            group.uuid,
            {
                "code": wanted,
                "group": group_snapshot(group),
                "user_id": user.id,
                "user_uuid": user.uuid,
                "course_ids": course_ids,
            },
            user_uuid=user.uuid,
        )
        return Redemption(group, wanted, user.id, course_ids)
