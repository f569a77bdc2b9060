"""Panorama: clients, their licenses (seat-limited), and assigning licenses to users."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Duplicate, Invalid, NotFound, Problem
from coursegate.domain.models import User
from coursegate.domain.models_ops import CLIENT_STATUSES, LICENSE_ROLES, Client, License
from coursegate.domain.recording import record
from coursegate.platform.ids import SLUG_PATTERN, is_uuid, new_uuid
from coursegate.store.base import UniqueViolation
from coursegate.store.database import Unit
from coursegate.store.panorama import (
    ClientRepo,
    LicenseAssignmentRepo,
    LicenseRepo,
    course_ids,
    tag_ids,
)
from coursegate.store.people import UserRepo

NAME_MAX = 255
MAX_SEATS = 2**31 - 1  # an INTEGER column
MAX_ACCESS_DAYS = 36500
LANGUAGE_MAX = 35
CLIENT_SORTS = ("name", "createdAt", "updatedAt")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def client_snapshot(c: Client) -> dict[str, Any]:
    return {
        "id": c.id,
        "uuid": c.uuid,
        "name": c.name,
        "slug": c.slug,
        "sku": c.sku,
        "status": c.status,
        "features": dict(c.features),
    }


def license_snapshot(lic: License) -> dict[str, Any]:
    return {
        "id": lic.id,
        "uuid": lic.uuid,
        "client_id": lic.client_id,
        "name": lic.name,
        "sku": lic.sku,
        "seats_limit": lic.seats_limit,
        "seats_used": lic.seats_used,
        "access_days": lic.access_days,
        "expiration_date": lic.expiration_date,
        "course_ids": list(lic.course_ids),
        "learning_path_ids": list(lic.learning_path_ids),
        "course_tag_ids": list(lic.course_tag_ids),
    }


# --- clients ---------------------------------------------------------------------------------


async def create_client(ctx: Ctx, data: dict[str, Any]) -> Client:
    """data: name, slug, sku?, default_language?, features {word: bool}."""
    problems = Collector()
    for name in ("name", "slug"):
        value = data.get(name)
        if value is None or not str(value).strip():
            problems.add(name, "required")
        elif len(value) > NAME_MAX:
            problems.add(name, "too_long", count=NAME_MAX)
    slug = (data.get("slug") or "").strip()
    if slug and not SLUG_PATTERN.match(slug):
        problems.add("slug", "invalid", value=slug)
    language = data.get("default_language")
    if language is not None and (len(language) > LANGUAGE_MAX or not LANGUAGE.match(language)):
        problems.add("default_language", "invalid", value=language[:LANGUAGE_MAX])
    if data.get("sku") is not None and len(data["sku"]) > NAME_MAX:
        problems.add("sku", "too_long", count=NAME_MAX)
    problems.raise_if_any()
    async with ctx.writing() as u:
        repo = ClientRepo(u)
        try:
            client_id = await repo.create(
                {
                    "uuid": new_uuid(),
                    "name": data["name"].strip(),
                    "slug": slug,
                    "sku": data.get("sku"),
                    "status": "active",
                    "default_language": language,
                    "features": dict(data.get("features") or {}),
                    "created_at": u.now,
                    "updated_at": u.now,
                }
            )
        except UniqueViolation as exc:
            raise Duplicate(Problem("slug", "taken", {"value": slug})) from exc
        client = await _client(u, client_id)
        await record(u, "client.created", "client", client.id, client.uuid, client_snapshot(client))
        return client


async def _client(u: Unit, client_id: int) -> Client:
    client = await ClientRepo(u).get(client_id)
    if client is None:
        raise NotFound("client", client_id)
    return client


async def get_client(ctx: Ctx, client_uuid: str) -> Client:
    async with ctx.reading() as u:
        client = await ClientRepo(u).get_by_uuid(client_uuid) if is_uuid(client_uuid) else None
    if client is None:
        raise NotFound("client", client_uuid)
    return client


async def list_clients(
    ctx: Ctx, text: str | None, sort: str, descending: bool, offset: int, limit: int
) -> tuple[list[Client], int, bool]:
    if sort not in CLIENT_SORTS:
        raise Invalid.one("sort", "invalid_choice", value=sort, choices=CLIENT_SORTS)
    async with ctx.reading() as u:
        repo = ClientRepo(u)
        stmt = repo.search(text)
        items = await repo.list_page(stmt, sort, descending, offset, limit + 1)
        total = await repo.count(stmt)
    return items[:limit], total, len(items) > limit


async def set_client_status(ctx: Ctx, client_id: int, status: str) -> Client:
    if status not in CLIENT_STATUSES:
        raise Invalid.one("status", "invalid_choice", value=status, choices=CLIENT_STATUSES)
    async with ctx.writing() as u:
        before = await _client(u, client_id)
        await ClientRepo(u).update(client_id, {"status": status, "updated_at": u.now})
        client = await _client(u, client_id)
        if before.status != status:
            await record(
                u,
                "client.updated",
                "client",
                client.id,
                client.uuid,
                {**client_snapshot(client), "changed": ["status"]},
            )
        return client


# --- licenses --------------------------------------------------------------------------------


@dataclass(slots=True)
class LicenseData:
    """A license write in platform words; None = not sent (on update: keep)."""

    client_uuid: str | None = None
    name: str | None = None
    label: str | None = None
    sku: str | None = None
    seats_limit: int | None = None
    seats_limit_sent: bool = False
    parent_uuid: str | None = None
    access_days: int | None = None
    expiration_date: datetime | None = None
    course_uuids: list[str] | None = None
    learning_path_uuids: list[str] | None = None
    course_tag_uuids: list[str] | None = None
    replace_courses: bool = False
    replace_learning_paths: bool = False
    replace_course_tags: bool = False
    sent: frozenset[str] = frozenset()


async def _content(u: Unit, problems: Collector, data: LicenseData) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    wanted = (
        ("course_ids", "course_ids", data.course_uuids, "course"),
        ("learning_path_ids", "learning_path_ids", data.learning_path_uuids, "learning_path"),
        ("course_tag_ids", "course_tag_ids", data.course_tag_uuids, "tag"),
    )
    repo = LicenseRepo(u)
    for column, field_name, uuids, kind in wanted:
        if uuids is None:
            continue
        if kind == "tag":
            ids = await tag_ids(repo, uuids)
        else:
            ids = await course_ids(
                repo, uuids, "learning_path" if kind == "learning_path" else None
            )
        missing = [x for x in uuids if x not in ids]
        if missing:
            problems.add(field_name, "not_found", resource=kind.replace("_", " "), value=missing[0])
        found[column] = list(dict.fromkeys(ids[x] for x in uuids if x in ids))
    return found


def _merge(current: list[int], new: list[int], replace: bool) -> list[int]:
    return list(new) if replace else list(dict.fromkeys([*current, *new]))


async def _license_values(u: Unit, data: LicenseData, current: License | None) -> dict[str, Any]:
    problems = Collector()
    values: dict[str, Any] = {}
    if current is None:
        client = None
        if not data.client_uuid:
            problems.add("client_id", "required")
        else:
            client = (
                await ClientRepo(u).get_by_uuid(data.client_uuid)
                if is_uuid(data.client_uuid)
                else None
            )
            if client is None:
                problems.add("client_id", "not_found", resource="client")
        if client is not None:
            values["client_id"] = client.id
    if current is None or "name" in data.sent:
        if data.name is None or not data.name.strip():
            problems.add("name", "required")
        elif len(data.name) > NAME_MAX:
            problems.add("name", "too_long", count=NAME_MAX)
        else:
            values["name"] = data.name.strip()
    for name in ("label", "sku", "access_days", "expiration_date"):
        if name in data.sent:
            values[name] = getattr(data, name)
    for name in ("label", "sku"):
        if values.get(name) is not None and len(values[name]) > NAME_MAX:
            problems.add(name, "too_long", count=NAME_MAX)
    if values.get("sku") is not None and not str(values["sku"]).strip():
        values["sku"] = None
    if data.access_days is not None and not 1 <= data.access_days <= MAX_ACCESS_DAYS:
        problems.add("access_days", "out_of_range", minimum=1, maximum=MAX_ACCESS_DAYS)
    if data.seats_limit_sent:
        if data.seats_limit is not None and not 0 <= data.seats_limit <= MAX_SEATS:
            problems.add("seats_limit", "out_of_range", minimum=0, maximum=MAX_SEATS)
        limit = data.seats_limit or None  # omitted or 0: unlimited
        if current is not None and limit is not None and limit < current.seats_used:
            problems.add(
                "seats_limit",
                "not_allowed",
                reason=f"seatsLimit cannot be below the {current.seats_used} seats already in use.",
            )
        values["seats_limit"] = limit
    if "parent_uuid" in data.sent:
        parent_id = None
        if data.parent_uuid:
            parent_id = (
                await LicenseRepo(u).id_by_uuid(data.parent_uuid)
                if is_uuid(data.parent_uuid)
                else None
            )
            if parent_id is None or (current is not None and parent_id == current.id):
                problems.add("parent_license_id", "not_found", resource="license")
        values["parent_license_id"] = parent_id
    content = await _content(u, problems, data)
    problems.raise_if_any()
    replace = {
        "course_ids": data.replace_courses,
        "learning_path_ids": data.replace_learning_paths,
        "course_tag_ids": data.replace_course_tags,
    }
    for column, ids in content.items():
        existing = getattr(current, column) if current is not None else []
        values[column] = _merge(existing, ids, replace[column])
    return values


def _sku_taken(sku: Any) -> Duplicate:
    return Duplicate(Problem("sku", "taken", {"value": sku}))


async def _license(u: Unit, license_id: int) -> License:
    lic = await LicenseRepo(u).get(license_id)
    if lic is None:
        raise NotFound("license", license_id)
    return lic


async def create_license(ctx: Ctx, data: LicenseData) -> License:
    async with ctx.writing() as u:
        values = await _license_values(u, data, None)
        values.setdefault("seats_limit", None)
        for column in ("course_ids", "learning_path_ids", "course_tag_ids"):
            values.setdefault(column, [])
        try:
            license_id = await LicenseRepo(u).create(
                {
                    **values,
                    "uuid": new_uuid(),
                    "seats_used": 0,
                    "created_at": u.now,
                    "updated_at": u.now,
                }
            )
        except UniqueViolation as exc:
            raise _sku_taken(values.get("sku")) from exc
        lic = await _license(u, license_id)
        await record(u, "license.created", "license", lic.id, lic.uuid, license_snapshot(lic))
        return lic


async def find_license(ctx: Ctx, license_uuid: str) -> License:
    async with ctx.reading() as u:
        license_id = (
            await LicenseRepo(u).id_by_uuid(license_uuid) if is_uuid(license_uuid) else None
        )
        if license_id is None:
            raise NotFound("license", license_uuid)
        return await _license(u, license_id)


async def update_license(ctx: Ctx, license_id: int, data: LicenseData) -> License:
    async with ctx.writing() as u:
        current = await _license(u, license_id)
        values = await _license_values(u, data, current)
        try:
            await LicenseRepo(u).update(license_id, {**values, "updated_at": u.now})
        except UniqueViolation as exc:
            raise _sku_taken(values.get("sku")) from exc
        lic = await _license(u, license_id)
        await record(
            u,
            "license.updated",
            "license",
            lic.id,
            lic.uuid,
            {**license_snapshot(lic), "changed": sorted(values)},
        )
        return lic


async def delete_license(ctx: Ctx, license_id: int) -> License:
    """Remove a license and every assignment of it; returns it as it was."""
    async with ctx.writing() as u:
        lic = await _license(u, license_id)
        await LicenseRepo(u).remove(license_id)
        await record(u, "license.deleted", "license", lic.id, lic.uuid, license_snapshot(lic))
        return lic


async def list_client_licenses(
    ctx: Ctx, client_id: int, offset: int, limit: int
) -> tuple[list[License], int, bool]:
    async with ctx.reading() as u:
        repo = LicenseRepo(u)
        stmt = repo.of_client(client_id)
        items = await repo.list_page(stmt, offset, limit + 1)
        total = await repo.count(stmt)
    return items[:limit], total, len(items) > limit


# --- assignments -----------------------------------------------------------------------------


@dataclass(slots=True)
class LicenseGrants:
    """Licenses to give a user, by UUID or SKU, per role."""

    ids: dict[str, list[str]]  # role -> license UUIDs
    skus: dict[str, list[str]]  # role -> license SKUs
    replace: bool = False

    @property
    def empty(self) -> bool:
        return not any(self.ids.values()) and not any(self.skus.values()) and not self.replace


async def resolve_grants(u: Unit, grants: LicenseGrants) -> list[tuple[int, str]]:
    """(license id, role) pairs; every unknown UUID or SKU is reported."""
    repo = LicenseRepo(u)
    problems = Collector()
    wanted: list[tuple[int, str]] = []
    for role in LICENSE_ROLES:
        for key in grants.ids.get(role, []):
            found = await repo.id_by_uuid(key) if is_uuid(key) else None
            if found is None:
                problems.add(f"{role}_license_ids", "not_found", resource="license", value=key)
            else:
                wanted.append((found, role))
        for sku in grants.skus.get(role, []):
            found = await repo.id_by_sku(sku)
            if found is None:
                problems.add(f"{role}_license_skus", "not_found", resource="license", value=sku)
            else:
                wanted.append((found, role))
    problems.raise_if_any()
    return list(dict.fromkeys(wanted))


async def assign_licenses(u: Unit, user: User, grants: LicenseGrants) -> None:
    """Give `user` the licenses (inside an open transaction). Students take a seat each; a
    full license refuses the whole operation. With `replace`, licenses not listed are removed
    and their seats released."""
    wanted = await resolve_grants(u, grants)
    licenses, assignments = LicenseRepo(u), LicenseAssignmentRepo(u)
    held = await assignments.of_user(user.id)
    if grants.replace:
        for license_id, role in held:
            if (license_id, role) not in wanted:
                await assignments.remove(license_id, user.id, role)
                if role == "student":
                    await licenses.release_seats(license_id, 1)
                await _assignment_event(u, "license.unassigned", license_id, user, role)
    for license_id, role in wanted:
        if (license_id, role) in held:
            continue
        if role == "student" and not await licenses.take_seat(license_id):
            lic = await _license(u, license_id)
            raise Invalid.one(
                "student_license_ids",
                "not_allowed",
                reason=f"License '{lic.name}' has no seats left "
                f"({lic.seats_limit} of {lic.seats_limit} used).",
            )
        try:
            await assignments.add(license_id, user.id, role, u.now)
        except UniqueViolation as exc:  # the same grant raced in from another request
            raise Duplicate(Problem(f"{role}_license_ids", "taken", {"value": license_id})) from exc
        await _assignment_event(u, "license.assigned", license_id, user, role)


def license_assigner(
    grants: LicenseGrants | None,
) -> Callable[[Unit, User], Awaitable[None]] | None:
    """What a user's creation runs inside its transaction to give the user `grants` (None:
    nothing to grant)."""
    if grants is None:
        return None

    async def _assign(u: Unit, user: User) -> None:
        await assign_licenses(u, user, grants)

    return _assign


async def _assignment_event(
    u: Unit, event_type: str, license_id: int, user: User, role: str
) -> None:
    lic = await _license(u, license_id)
    payload = {
        "license": license_snapshot(lic),
        "user_id": user.id,
        "user_uuid": user.uuid,
        "role": role,
    }
    await record(u, event_type, "license", lic.id, lic.uuid, payload, user_uuid=user.uuid)


async def grant_licenses(ctx: Ctx, user_id: int, grants: LicenseGrants) -> None:
    """Assign licenses to an existing user in its own transaction."""
    async with ctx.writing() as u:
        user = await UserRepo(u).get(user_id)
        if user is None:
            raise NotFound("user", user_id)
        await assign_licenses(u, user, grants)


async def licenses_of_user(ctx: Ctx, user_id: int) -> list[tuple[License, str]]:
    async with ctx.reading() as u:
        held = await LicenseAssignmentRepo(u).of_user(user_id)
        return [(await _license(u, license_id), role) for license_id, role in held]


async def release_user_licenses(u: Unit, user: User) -> None:
    """Drop every license a user holds, freeing student seats (inside an open transaction; for
    user deletion: `people.delete_user` should call it before erasing the user)."""
    licenses, assignments = LicenseRepo(u), LicenseAssignmentRepo(u)
    for license_id, role in await assignments.of_user(user.id):
        await assignments.remove(license_id, user.id, role)
        if role == "student":
            await licenses.release_seats(license_id, 1)
        await _assignment_event(u, "license.unassigned", license_id, user, role)
