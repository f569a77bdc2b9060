"""Groups of users (by name, with an 8-character join code) and the group analysts who
report on them. An analyst must hold the `group_analyst` role."""

from __future__ import annotations

from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Duplicate, Invalid, NotFound, Problem
from coursegate.domain.models import Page
from coursegate.domain.offering_models import Group
from coursegate.domain.recording import record
from coursegate.platform.ids import group_token, new_uuid
from coursegate.store.base import UniqueViolation
from coursegate.store.community import GroupRepo
from coursegate.store.database import Unit
from coursegate.store.people import UserRepo
from coursegate.store.tables.community import group_analysts, group_users

NAME_MAX = 255
ANALYST_ROLE = "group_analyst"


def group_snapshot(g: Group) -> dict[str, Any]:
    return {
        "id": g.id,
        "uuid": g.uuid,
        "name": g.name,
        "token": g.token,
        "created_at": g.created_at,
    }


async def _load(u: Unit, group_id: int) -> Group:
    group = await GroupRepo(u).get(group_id)
    if group is None:
        raise NotFound("group", group_id)
    return group


async def create_group(ctx: Ctx, name: str | None) -> Group:
    """Group names are unique per site (users are added to groups by name)."""
    if name is None or not name.strip():
        raise Invalid.one("name", "required")
    if len(name) > NAME_MAX:
        raise Invalid.one("name", "too_long", count=NAME_MAX)
    async with ctx.writing() as u:
        repo = GroupRepo(u)
        if await repo.name_taken(name.strip()):
            raise Duplicate(Problem("name", "taken", {"value": name.strip()}))
        token = group_token()
        while await repo.token_taken(token):
            token = group_token()
        try:
            group_id = await repo.create(
                {"uuid": new_uuid(), "name": name.strip(), "token": token, "created_at": u.now}
            )
        except UniqueViolation as exc:
            raise Duplicate(Problem("name", "taken", {"value": name.strip()})) from exc
        group = await _load(u, group_id)
        await record(u, "group.created", "group", group.id, group.uuid, group_snapshot(group))
        return group


async def delete_group(ctx: Ctx, group_id: int) -> None:
    """Deleting a group removes its memberships and analyst assignments, not the users."""
    async with ctx.writing() as u:
        group = await _load(u, group_id)
        await GroupRepo(u).delete(group_id)
        await record(u, "group.deleted", "group", group.id, group.uuid, group_snapshot(group))


async def get_group(ctx: Ctx, group_id: int) -> Group:
    async with ctx.reading() as u:
        return await _load(u, group_id)


async def list_groups(ctx: Ctx, offset: int, limit: int) -> Page[Group]:
    async with ctx.reading() as u:
        repo = GroupRepo(u)
        stmt = repo.all()
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


async def add_user_to_groups(
    ctx: Ctx, user_id: int | None, group_names: list[str] | None
) -> list[Group]:
    """Add an existing user to existing groups named exactly; unknown names are refused and
    nothing is written. Returns the groups the user was newly added to."""
    problems = Collector()
    if user_id is None:
        problems.add("user_id", "required")
    names = list(dict.fromkeys(n.strip() for n in group_names or [] if n and n.strip()))
    if not names:
        problems.add("group_names", "required")
    problems.raise_if_any()
    assert user_id is not None
    async with ctx.writing() as u:
        user = await UserRepo(u).get(user_id)
        if user is None:
            problems.add("user_id", "not_found", resource="user")
        repo = GroupRepo(u)
        found = await repo.by_names(names)
        unknown = [n for n in names if n not in found]
        if unknown:
            problems.add("group_names", "unknown_names", names=unknown)
        problems.raise_if_any()
        assert user is not None
        added: list[Group] = []
        for name in names:
            group = found[name]
            if await repo.add_member(group_users, group.id, user_id, u.now):
                added.append(group)
                await record(
                    u,
                    "group.user_added",
                    "group",
                    group.id,
                    group.uuid,
                    {**group_snapshot(group), "user_id": user_id},
                    user_uuid=user.uuid,
                )
        return added


async def group_analyst_ids(ctx: Ctx, group_id: int) -> list[int]:
    async with ctx.reading() as u:
        await _load(u, group_id)
        return await GroupRepo(u).analyst_ids(group_id)


async def _check_analysts(u: Unit, user_ids: list[int], problems: Collector) -> None:
    users = UserRepo(u)
    unknown: list[int] = []
    missing_role: list[int] = []
    for user_id in user_ids:
        user = await users.get(user_id)
        if user is None:
            unknown.append(user_id)
        elif ANALYST_ROLE not in user.roles:
            missing_role.append(user_id)
    if missing_role:
        problems.add("group_analysts", "missing_role", ids=missing_role, role=ANALYST_ROLE)
    if unknown:
        problems.add("user_id", "unknown_ids", ids=unknown, resource="user")


async def assign_analysts(
    ctx: Ctx, pairs_of: str, owner_id: int, other_ids: list[int] | None
) -> None:
    """Assign analysts to groups, from either side: `pairs_of` is "group" (owner is a group,
    others are users) or "user" (owner is an analyst, others are groups). All or nothing."""
    problems = Collector()
    field_name = "user_ids" if pairs_of == "group" else "group_ids"
    others = list(dict.fromkeys(other_ids or []))
    if not others:
        problems.add(field_name, "required")
        problems.raise_if_any()
    async with ctx.writing() as u:
        repo = GroupRepo(u)
        if pairs_of == "group":
            if await repo.get(owner_id) is None:
                problems.add("group_id", "unknown_ids", ids=[owner_id], resource="group")
            await _check_analysts(u, others, problems)
            pairs = [(owner_id, user_id) for user_id in others]
        else:
            if await UserRepo(u).get(owner_id) is None:
                raise NotFound("user", owner_id)
            await _check_analysts(u, [owner_id], problems)
            unknown = sorted(set(others) - await repo.existing_ids(others))
            if unknown:
                problems.add("group_id", "unknown_ids", ids=unknown, resource="group")
            pairs = [(group_id, owner_id) for group_id in others]
        problems.raise_if_any()
        for group_id, user_id in pairs:
            if await repo.add_member(group_analysts, group_id, user_id, u.now):
                group = await _load(u, group_id)
                await record(
                    u,
                    "group.analyst_added",
                    "group",
                    group.id,
                    group.uuid,
                    {**group_snapshot(group), "user_id": user_id},
                )


async def unassign_analyst(ctx: Ctx, group_id: int, user_id: int) -> None:
    """Remove one analyst from one group; an unknown group, user or assignment is not found."""
    async with ctx.writing() as u:
        repo = GroupRepo(u)
        group = await _load(u, group_id)
        if await UserRepo(u).get(user_id) is None:
            raise NotFound("user", user_id)
        if not await repo.remove_member(group_analysts, group_id, user_id):
            raise NotFound("group_analyst", (group_id, user_id))
        await record(
            u,
            "group.analyst_removed",
            "group",
            group.id,
            group.uuid,
            {**group_snapshot(group), "user_id": user_id},
        )
