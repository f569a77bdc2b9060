"""Bundles: several courses sold as one product. Enrolling in a bundle enrolls the user in
every course of it; courses added later reach the bundle's existing students."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coursegate.domain.catalog import sanitize_html
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Invalid, NotFound
from coursegate.domain.learning import change_enrollment, enroll
from coursegate.domain.models import Course, Enrollment, EnrollmentQuery, ListedEnrollment, Page
from coursegate.domain.offering_models import Bundle
from coursegate.domain.recording import record
from coursegate.platform.ids import new_uuid, slugify
from coursegate.store.catalog import CourseRepo, ProductRepo
from coursegate.store.database import Unit
from coursegate.store.learning import EnrollmentRepo
from coursegate.store.offerings import BundleEnrollmentRepo, BundleRepo
from coursegate.store.people import UserRepo

NAME_MAX = 255


def bundle_snapshot(b: Bundle) -> dict[str, Any]:
    return {
        "id": b.id,
        "uuid": b.uuid,
        "name": b.name,
        "slug": b.slug,
        "description": b.description,
        "course_ids": list(b.course_ids),
        "product_id": b.product_id,
        "created_at": b.created_at,
    }


async def load_bundle(u: Unit, bundle_id: int) -> Bundle:
    bundle = await BundleRepo(u).get(bundle_id)
    if bundle is None:
        raise NotFound("bundle", bundle_id)
    return bundle


async def create_bundle(
    ctx: Ctx,
    name: str,
    *,
    course_ids: list[int] | None = None,
    description: str | None = None,
    tagline: str | None = None,
    card_image_url: str | None = None,
    status: str = "draft",
    price_cents: int = 0,
) -> Bundle:
    """Create a bundle and its product (there is no bundle create in Thinkific v1; this is
    for seeding, the CLI and tests)."""
    problems = Collector()
    if not name or not name.strip():
        problems.add("name", "required")
    elif len(name) > NAME_MAX:
        problems.add("name", "too_long", count=NAME_MAX)
    if status not in ("draft", "published"):
        problems.add("status", "invalid_choice", value=status, choices=("draft", "published"))
    problems.raise_if_any()
    async with ctx.writing() as u:
        repo = BundleRepo(u)
        wanted = list(dict.fromkeys(course_ids or []))
        await _check_courses(u, wanted)
        slug = await _unique_slug(repo, name.strip())
        bundle_id = await repo.create(
            {
                "uuid": new_uuid(),
                "name": name.strip(),
                "slug": slug,
                "description": None if description is None else sanitize_html(description),
                "tagline": tagline,
                "card_image_url": card_image_url,
                "created_at": u.now,
                "updated_at": u.now,
            }
        )
        for course_id in wanted:
            await repo.add_course(bundle_id, course_id)
        product_uuid = new_uuid()
        product_id = await ProductRepo(u).create(
            {
                "uuid": product_uuid,
                "productable_type": "Bundle",
                "productable_id": bundle_id,
                "name": name.strip(),
                "slug": slug,
                "status": status,
                "price_cents": price_cents,
                "created_at": u.now,
            }
        )
        bundle = await load_bundle(u, bundle_id)
        await record(
            u,
            "product.created",
            "product",
            product_id,
            product_uuid,
            {
                "id": product_id,
                "uuid": product_uuid,
                "productable_type": "Bundle",
                "productable_id": bundle_id,
                "name": bundle.name,
                "status": status,
            },
        )
        await record(u, "bundle.created", "bundle", bundle.id, bundle.uuid, bundle_snapshot(bundle))
        return bundle


async def _unique_slug(repo: BundleRepo, name: str) -> str:
    base = slugify(name, NAME_MAX - 8)
    slug, n = base, 2
    while await repo.slug_taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


async def _check_courses(u: Unit, course_ids: list[int]) -> None:
    courses = CourseRepo(u)
    for course_id in course_ids:
        if await courses.get(course_id) is None:
            raise Invalid.one("course_ids", "not_found", resource="course")


async def add_course_to_bundle(ctx: Ctx, bundle_id: int, course_id: int) -> Bundle:
    """Add a course; every student of the bundle gets it on the bundle's terms."""
    async with ctx.writing() as u:
        bundle = await load_bundle(u, bundle_id)
        await _check_courses(u, [course_id])
        if course_id in bundle.course_ids:
            return bundle
        await BundleRepo(u).add_course(bundle_id, course_id)
        await BundleRepo(u).update(bundle_id, {"updated_at": u.now})
        for access in await BundleEnrollmentRepo(u).of_bundle(bundle_id):
            await _grant(
                u, access.user_id, course_id, access.activated_at, access.expiry_date, access.source
            )
        bundle = await load_bundle(u, bundle_id)
        await record(
            u,
            "bundle.updated",
            "bundle",
            bundle.id,
            bundle.uuid,
            {**bundle_snapshot(bundle), "changed": ["course_ids"]},
        )
        return bundle


async def get_bundle(ctx: Ctx, bundle_id: int) -> Bundle:
    async with ctx.reading() as u:
        return await load_bundle(u, bundle_id)


async def list_bundle_courses(ctx: Ctx, bundle_id: int, offset: int, limit: int) -> Page[Course]:
    async with ctx.reading() as u:
        await load_bundle(u, bundle_id)
        bundles = BundleRepo(u)
        courses = CourseRepo(u)
        stmt = bundles.courses_of(bundle_id)
        items = await courses.list_page(stmt, bundles.course_order(), offset, limit)
        return Page(items, await courses.count(stmt))


def _wider_expiry(a: datetime | None, b: datetime | None) -> datetime | None:
    """The later of two expiries, where None (never expires) is the latest."""
    if a is None or b is None:
        return None
    return max(a, b)


async def _grant(
    u: Unit,
    user_id: int,
    course_id: int,
    activated_at: datetime | None,
    expiry_date: datetime | None,
    source: str,
) -> Enrollment:
    """Give bundle access to one course without ever narrowing access the user already has."""
    existing = await EnrollmentRepo(u).for_user_course(user_id, course_id)
    if existing is None:
        return await enroll(
            u, user_id, course_id, activated_at=activated_at, expiry_date=expiry_date, source=source
        )
    changes: dict[str, Any] = {}
    if existing.activated_at is None and activated_at is not None:
        changes["activated_at"] = activated_at
    expiry = _wider_expiry(existing.expiry_date, expiry_date)
    if expiry != existing.expiry_date:
        changes["expiry_date"] = expiry
    return await change_enrollment(u, existing.id, changes) if changes else existing


async def enroll_in_bundle(
    u: Unit,
    user_id: int,
    bundle_id: int,
    *,
    activated_at: datetime | None,
    expiry_date: datetime | None,
    source: str,
) -> list[Enrollment]:
    """Enroll a user in a bundle and every course of it, inside an open transaction (the API
    and bundle purchases both use it). Returns the per-course enrollments, in bundle order."""
    bundle = await load_bundle(u, bundle_id)
    if await UserRepo(u).get(user_id) is None:
        raise Invalid.one("user_id", "not_found", resource="user")
    accesses = BundleEnrollmentRepo(u)
    created = await accesses.find(bundle_id, user_id) is None and await accesses.create_if_absent(
        {
            "uuid": new_uuid(),
            "bundle_id": bundle_id,
            "user_id": user_id,
            "activated_at": activated_at,
            "expiry_date": expiry_date,
            "source": source,
            "created_at": u.now,
            "updated_at": u.now,
        }
    )
    access = await accesses.find(bundle_id, user_id)
    access_id = access.id
    if not created:
        # Already enrolled in the bundle: widen its terms, never narrow them.
        await accesses.update(
            access_id,
            {
                "activated_at": access.activated_at or activated_at,
                "expiry_date": _wider_expiry(access.expiry_date, expiry_date),
                "updated_at": u.now,
            },
        )
    event = "bundle_enrollment.created" if created else "bundle_enrollment.updated"
    enrollments = [
        await _grant(u, user_id, course_id, activated_at, expiry_date, source)
        for course_id in bundle.course_ids
    ]
    await _record_access(u, event, bundle, access_id, user_id, enrollments)
    return enrollments


async def _record_access(
    u: Unit, event: str, bundle: Bundle, access_id: int, user_id: int, enrollments: list[Enrollment]
) -> None:
    access = await BundleEnrollmentRepo(u).first(BundleEnrollmentRepo.table.c.id == access_id)
    user = await UserRepo(u).get(user_id)
    await record(
        u,
        event,
        "bundle_enrollment",
        access.id,
        access.uuid,
        {
            "id": access.id,
            "uuid": access.uuid,
            "bundle_id": bundle.id,
            "user_id": user_id,
            "activated_at": access.activated_at,
            "expiry_date": access.expiry_date,
            "source": access.source,
            "enrollment_ids": [e.id for e in enrollments],
        },
        user_uuid=None if user is None else user.uuid,
    )


async def _bundle_for_write(u: Unit, bundle_id: int) -> Bundle:
    """Bundle writes name the bundle in the path but answer 422, not 404, when it is absent."""
    bundle = await BundleRepo(u).get(bundle_id)
    if bundle is None:
        raise Invalid.one("bundle_id", "not_found", resource="bundle")
    return bundle


async def create_bundle_enrollment(
    ctx: Ctx,
    bundle_id: int,
    user_id: int | None,
    activated_at: datetime | None,
    expiry_date: datetime | None,
    source: str = "api",
) -> list[Enrollment]:
    if user_id is None:
        raise Invalid.one("user_id", "required")
    async with ctx.writing() as u:
        await _bundle_for_write(u, bundle_id)
        return await enroll_in_bundle(
            u, user_id, bundle_id, activated_at=activated_at, expiry_date=expiry_date, source=source
        )


async def update_bundle_enrollment(
    ctx: Ctx, bundle_id: int, user_id: int | None, changes: dict[str, Any]
) -> list[Enrollment]:
    """Apply exactly the given dates to the bundle access and to each course enrollment."""
    if user_id is None:
        raise Invalid.one("user_id", "required")
    values: dict[str, Any] = {
        k: changes[k] for k in ("activated_at", "expiry_date") if k in changes
    }
    async with ctx.writing() as u:
        bundle = await _bundle_for_write(u, bundle_id)
        if await UserRepo(u).get(user_id) is None:
            raise Invalid.one("user_id", "not_found", resource="user")
        accesses = BundleEnrollmentRepo(u)
        access = await accesses.find(bundle_id, user_id)
        if access is None:
            raise Invalid.one("user_id", "not_found", resource="bundle enrollment")
        await accesses.update(access.id, {**values, "updated_at": u.now})
        enrollments: list[Enrollment] = []
        repo = EnrollmentRepo(u)
        for course_id in bundle.course_ids:
            existing = await repo.for_user_course(user_id, course_id)
            if existing is None:
                fresh = {
                    "activated_at": access.activated_at,
                    "expiry_date": access.expiry_date,
                    **values,
                }
                enrollments.append(
                    await enroll(u, user_id, course_id, source=access.source, **fresh)
                )
            else:
                enrollments.append(await change_enrollment(u, existing.id, values))
        await _record_access(
            u, "bundle_enrollment.updated", bundle, access.id, user_id, enrollments
        )
        return enrollments


async def list_bundle_enrollments(
    ctx: Ctx, bundle_id: int, query: EnrollmentQuery, offset: int, limit: int
) -> Page[ListedEnrollment]:
    """Per-course enrollments in the bundle's courses (an unknown bundle has none)."""
    async with ctx.reading() as u:
        bundle = await BundleRepo(u).get(bundle_id)
        query.course_ids = [] if bundle is None else bundle.course_ids
        repo = EnrollmentRepo(u)
        stmt = repo.filtered(query, u.now)
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))
