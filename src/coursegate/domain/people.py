"""Users: creation, lookup by any of their keys, updates, erasure."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from coursegate.domain import profile_fields as profile
from coursegate.domain.catalog import resolve_course
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Duplicate, NotFound, Problem
from coursegate.domain.learning import enroll
from coursegate.domain.models import USER_ROLES, Page, User
from coursegate.domain.panorama import release_user_licenses
from coursegate.domain.recording import record
from coursegate.domain.snapshots import user_snapshot
from coursegate.platform.ids import is_int_id, is_uuid, new_uuid
from coursegate.store.base import UniqueViolation
from coursegate.store.catalog import CourseRepo
from coursegate.store.community import GroupRepo, InstructorAdminRepo, ProfileFieldRepo
from coursegate.store.database import Unit
from coursegate.store.learning import EnrollmentRepo
from coursegate.store.offerings import BundleEnrollmentRepo, CourseReviewRepo
from coursegate.store.people import UserRepo

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PROVIDERS = ("SSO", "OPENID_CONNECT")
USER_STATUSES = ("active", "disabled")
PASSWORD_MIN = 6
NAME_MAX = 255

# Fields a caller may set; everything else about a user is the platform's.
WRITABLE = (
    "email",
    "first_name",
    "last_name",
    "company",
    "headline",
    "bio",
    "avatar_url",
    "roles",
    "external_source",
    "external_customer_id",
    "affiliate_code",
    "affiliate_commission",
    "affiliate_commission_type",
    "affiliate_payout_email",
    "password",
    "platform_role",
    "status",
)


@dataclass(slots=True)
class UserQuery:
    email: str | None = None
    role: str | None = None
    external_source: str | None = None
    status: str | None = None
    platform_role: str | None = None
    group_id: int | None = None
    profile_field_label: str | None = None
    profile_field_value: str | None = None


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _validate(data: dict[str, Any], creating: bool) -> None:
    problems = Collector()
    for name in ("first_name", "last_name", "email"):
        if creating and name not in data:
            problems.add(name, "required")
        elif name in data and (data[name] is None or not str(data[name]).strip()):
            problems.add(name, "blank")
        elif name in data and len(str(data[name])) > NAME_MAX:
            problems.add(name, "too_long", count=NAME_MAX)
    email = data.get("email")
    if isinstance(email, str) and email.strip() and not EMAIL.match(email.strip()):
        problems.add("email", "invalid")
    password = data.get("password")
    if password is not None and len(password) < PASSWORD_MIN:
        problems.add("password", "too_short", count=PASSWORD_MIN)
    for role in data.get("roles") or []:
        if role not in USER_ROLES:
            problems.add("roles", "invalid_choice", value=role, choices=USER_ROLES)
    commission_type = data.get("affiliate_commission_type")
    if commission_type is not None and commission_type not in ("%", "$"):
        problems.add(
            "affiliate_commission_type", "invalid_choice", value=commission_type, choices=("%", "$")
        )
    commission = data.get("affiliate_commission")
    if commission is not None:
        upper = 9999.99 if commission_type == "$" else 100
        if not 0 < commission <= upper:
            problems.add("affiliate_commission", "out_of_range", minimum=0, maximum=upper)
    status = data.get("status")
    if status is not None and status not in USER_STATUSES:
        problems.add("status", "invalid_choice", value=status, choices=USER_STATUSES)
    problems.raise_if_any()


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in WRITABLE and k != "password"}
    if "email" in values:
        values["email"] = values["email"].strip()
    for name in ("first_name", "last_name"):
        if name in values:
            values[name] = values[name].strip()
    if data.get("password") is not None:
        values["password_hash"] = hash_password(data["password"])
    if "roles" in values:
        values["roles"] = sorted(set(values["roles"] or []))
    return values


async def _load(u: Unit, user_id: int) -> User:
    user = await UserRepo(u).get(user_id)
    if user is None:
        raise NotFound("user", user_id)
    return user


async def create_user(
    ctx: Ctx,
    data: dict[str, Any],
    identity: tuple[str, str] | None = None,
    *,
    profile_fields: list[tuple[int, str | None]] | None = None,
    skip_profile_validation: bool = False,
) -> User:
    """Create a user; `identity` is an optional (provider, external id) SSO link;
    `profile_fields` are (definition id, value) pairs, required ones enforced unless skipped."""
    _validate(data, creating=True)
    async with ctx.writing() as u:
        fields = await profile.check_values(
            u, profile_fields, user_id=None, skip_validation=skip_profile_validation
        )
        user = await insert_user(u, data, identity)
        await profile.write_values(u, user.id, fields)
        await record(
            u, "user.created", "user", user.id, user.uuid, user_snapshot(user), user_uuid=user.uuid
        )
        return user


async def insert_user(
    u: Unit, data: dict[str, Any], identity: tuple[str, str] | None = None
) -> User:
    repo = UserRepo(u)
    values = _columns(data)
    values.setdefault("roles", [])
    values.setdefault("status", "active")
    try:
        user_id = await repo.create(
            {**values, "uuid": new_uuid(), "created_at": u.now, "updated_at": u.now}
        )
        if identity is not None:
            await repo.add_identity(user_id, identity[0], identity[1])
    except UniqueViolation as exc:
        if exc.table == "user_identities":
            raise Duplicate(
                Problem(
                    "external_id", "taken", {"value": identity and identity[1], "resource": "user"}
                )
            ) from exc
        raise Duplicate(
            Problem("email", "taken", {"value": values.get("email"), "resource": "user"})
        ) from exc
    return await _load(u, user_id)


async def update_user(
    ctx: Ctx,
    user_id: int,
    changes: dict[str, Any],
    *,
    profile_fields: list[tuple[int, str | None]] | None = None,
    skip_profile_validation: bool = False,
) -> User:
    _validate(changes, creating=False)
    async with ctx.writing() as u:
        before = await _load(u, user_id)
        fields = await profile.check_values(
            u, profile_fields, user_id=user_id, skip_validation=skip_profile_validation
        )
        await profile.write_values(u, user_id, fields)
        values = _columns(changes)
        try:
            await UserRepo(u).update(user_id, {**values, "updated_at": u.now})
        except UniqueViolation as exc:
            raise Duplicate(
                Problem("email", "taken", {"value": values.get("email"), "resource": "user"})
            ) from exc
        user = await _load(u, user_id)
        changed = sorted(k for k in values if getattr(before, k, None) != getattr(user, k, None))
        if fields:
            changed.append("custom_profile_fields")
        payload = {**user_snapshot(user), "changed": changed}
        await record(u, "user.updated", "user", user.id, user.uuid, payload, user_uuid=user.uuid)
        return user


async def delete_user(ctx: Ctx, user_id: int) -> None:
    async with ctx.writing() as u:
        user = await _load(u, user_id)
        # Progress is erased with the user, so are the enrollments (and their course counts).
        courses = CourseRepo(u)
        for course_id in await EnrollmentRepo(u).remove_for_user(user_id):
            await courses.adjust_enrollment_count(course_id, -1)
        # Reviews, bundle access, group memberships and profile values go too, and instructor
        # profiles forget the account (the user row itself stays, erased, so orders keep an
        # anonymous owner).
        await BundleEnrollmentRepo(u).remove_for_user(user_id)
        await CourseReviewRepo(u).remove_for_user(user_id)
        await GroupRepo(u).remove_user_everywhere(user_id)
        await ProfileFieldRepo(u).remove_values_of(user_id)
        await InstructorAdminRepo(u).unlink_user(user_id)
        await release_user_licenses(u, user)  # frees the Panorama seats they held
        await UserRepo(u).erase(user_id, u.now)
        await record(
            u,
            "user.deleted",
            "user",
            user.id,
            user.uuid,
            {"id": user.id, "uuid": user.uuid},
            user_uuid=user.uuid,
        )


async def get_user(ctx: Ctx, user_id: int) -> User:
    async with ctx.reading() as u:
        return await _load(u, user_id)


async def find_user(ctx: Ctx, key: str, provider: str | None = None) -> User:
    """Resolve a user by integer id, UUID, email, SSO identity or external customer id."""
    async with ctx.reading() as u:
        user = await resolve_user(u, key, provider)
    if user is None:
        raise NotFound("user", key)
    return user


async def resolve_user(u: Unit, key: str, provider: str | None = None) -> User | None:
    repo = UserRepo(u)
    if provider is not None:
        return await repo.get_by_identity(provider, key)
    if is_int_id(key):
        return await repo.get(int(key))
    if is_uuid(key):
        return await repo.get_by_uuid(key)
    if "@" in key:
        return await repo.get_by_email(key)
    return await repo.get_by_external_customer_id(key)


def _filtered(repo: UserRepo, query: UserQuery) -> Any:
    return repo.filtered(
        email=query.email,
        role=query.role,
        external_source=query.external_source,
        status=query.status,
        platform_role=query.platform_role,
        group_id=query.group_id,
        profile_field=(
            None
            if query.profile_field_label is None or query.profile_field_value is None
            else (query.profile_field_label, query.profile_field_value)
        ),
    )


async def list_users(ctx: Ctx, query: UserQuery, offset: int, limit: int) -> Page[User]:
    async with ctx.reading() as u:
        repo = UserRepo(u)
        stmt = _filtered(repo, query)
        items = await repo.list_page(stmt, offset, limit)
        total = await repo.count(stmt)
    return Page(items, total)


async def scan_users(
    ctx: Ctx, query: UserQuery, after_id: int | None, limit: int
) -> tuple[list[User], int, bool]:
    """Keyset listing: (users, total matching, whether more follow)."""
    async with ctx.reading() as u:
        repo = UserRepo(u)
        stmt = _filtered(repo, query)
        items = await repo.list_after(stmt, after_id, limit + 1)
        total = await repo.count(stmt)
    return items[:limit], total, len(items) > limit


async def provision_user(
    ctx: Ctx,
    data: dict[str, Any],
    *,
    upsert: bool,
    course_keys: list[str],
    also: Callable[[Unit, User], Awaitable[None]] | None = None,
) -> tuple[User, bool]:
    """Create a user (or update the one with that email when `upsert`), and grant full access
    to the given courses, all in one transaction. Returns (user, created). `also` runs last in
    the same transaction (e.g. license assignment), so its failure undoes everything."""
    email = data.get("email")
    _validate(data, creating=not upsert or email is None)
    async with ctx.writing() as u:
        existing = await UserRepo(u).get_by_email(email) if (upsert and email) else None
        created = existing is None
        if created:
            _validate(data, creating=True)
            user = await insert_user(u, data)
            await record(
                u,
                "user.created",
                "user",
                user.id,
                user.uuid,
                user_snapshot(user),
                user_uuid=user.uuid,
            )
        else:
            assert existing is not None
            values = _columns(data)
            await UserRepo(u).update(existing.id, {**values, "updated_at": u.now})
            user = await _load(u, existing.id)
            payload = {**user_snapshot(user), "changed": sorted(values)}
            await record(
                u, "user.updated", "user", user.id, user.uuid, payload, user_uuid=user.uuid
            )
        enrolled = set(await EnrollmentRepo(u).course_ids_of_user(user.id))
        problems = Collector()
        for key in course_keys:
            course = await resolve_course(u, key)
            if course is None:
                problems.add("courses", "not_found", resource="course", value=key)
            elif course.id not in enrolled:
                await enroll(
                    u,
                    user.id,
                    course.id,
                    activated_at=u.now,
                    expiry_date=None,
                    source="user_provisioning",
                )
                enrolled.add(course.id)
        problems.raise_if_any()
        if also is not None:
            await also(u, user)
        return user, created
