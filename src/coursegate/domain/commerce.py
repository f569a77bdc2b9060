"""Promotions and their coupons: the discounts a site offers, and the codes that unlock them.

Coupon codes are unique per site (compared without case): checkout receives a bare code, so
one code must name one coupon. Deleting a promotion deletes its coupons; orders keep their
own copy of the code they used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from coursegate.domain.codes import unique_codes
from coursegate.domain.commerce_models import (
    DISCOUNT_TYPES,
    INT32_MAX,
    Coupon,
    CourseCoupon,
    Promotion,
    storable,
    valid_id,
)
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Duplicate, Invalid, NotFound, Problem
from coursegate.domain.models import Page
from coursegate.domain.recording import record
from coursegate.platform.ids import is_uuid, new_uuid
from coursegate.store.base import UniqueViolation
from coursegate.store.catalog import CourseRepo
from coursegate.store.commerce import CouponRepo, PromotionRepo
from coursegate.store.database import Unit

NAME_MAX = 255
CODE_MAX = 255
BULK_MAX = 1000
BULK_CODE_MIN = 6
BULK_CODE_MAX = 64
PROMOTION_FIELDS = (
    "name",
    "description",
    "discount_type",
    "amount",
    "starts_at",
    "expires_at",
    "product_ids",
    "coupon_ids",
    "duration",
)


# ---- snapshots (event payloads) ---------------------------------------------------------------


def promotion_snapshot(p: Promotion) -> dict[str, Any]:
    return {
        "id": p.id,
        "uuid": p.uuid,
        "name": p.name,
        "description": p.description,
        "discount_type": p.discount_type,
        "amount_cents": p.amount_cents,
        "percent_off": p.percent_off,
        "starts_at": p.starts_at,
        "expires_at": p.expires_at,
        "duration": p.duration,
        "product_ids": list(p.product_ids),
        "coupon_ids": list(p.coupon_ids),
    }


def coupon_snapshot(c: Coupon) -> dict[str, Any]:
    return {
        "id": c.id,
        "uuid": c.uuid,
        "promotion_id": c.promotion_id,
        "code": c.code,
        "note": c.note,
        "quantity": c.quantity,
        "quantity_used": c.quantity_used,
        "generated": c.generated,
    }


# ---- promotions -------------------------------------------------------------------------------


def promotion_amount(p: Promotion) -> float:
    """The discount in the promotion's own unit: dollars (fixed) or percent (percentage)."""
    if p.discount_type == "fixed":
        return (p.amount_cents or 0) / 100
    return float(p.percent_off or 0)


def _amount_values(discount_type: str, amount: Any, problems: Collector) -> dict[str, Any]:
    if amount is None:
        problems.add("amount", "required")
        return {}
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not math.isfinite(amount):
        problems.add("amount", "not_a_number")
        return {}
    if discount_type == "fixed":
        if amount <= 0 or amount > 1_000_000:
            problems.add("amount", "out_of_range", minimum=0, maximum=1_000_000)
            return {}
        return {"amount_cents": round(amount * 100), "percent_off": None}
    if amount <= 0 or amount > 100:
        problems.add("amount", "out_of_range", minimum=0, maximum=100)
        return {}
    return {"amount_cents": None, "percent_off": float(amount)}


def _check_discount(
    data: dict[str, Any], before: Promotion | None, problems: Collector
) -> dict[str, Any]:
    """discount_type and amount, checked together: an amount only means something for a type,
    so changing the type re-checks the stored amount."""
    creating = before is None
    values: dict[str, Any] = {}
    discount_type = data.get("discount_type") if "discount_type" in data else None
    if discount_type is None and (creating or "discount_type" in data):
        problems.add("discount_type", "required")
    elif discount_type is not None and discount_type not in DISCOUNT_TYPES:
        problems.add("discount_type", "invalid_choice", value=discount_type, choices=DISCOUNT_TYPES)
        discount_type = None
    effective_type = discount_type or (before.discount_type if before else None)
    if effective_type is not None and ("amount" in data or creating or discount_type is not None):
        if "amount" in data or creating:
            amount = data.get("amount")
        else:
            amount = promotion_amount(before) if before else None  # type change: re-check
        values.update(_amount_values(effective_type, amount, problems))
        if discount_type is not None:
            values["discount_type"] = discount_type
    elif creating and data.get("amount") is None:
        problems.add("amount", "required")
    return values


async def _check_promotion(
    u: Unit, data: dict[str, Any], before: Promotion | None
) -> tuple[dict[str, Any], list[int] | None, list[int] | None]:
    """Validate a create (before None) or a partial update. Returns column values, the new
    product scope (None = unchanged) and the coupons to attach (None = none)."""
    problems = Collector()
    values: dict[str, Any] = {}
    creating = before is None
    if "name" in data or creating:
        name = data.get("name")
        if name is None or not str(name).strip():
            problems.add("name", "required")
        elif len(name) > NAME_MAX:
            problems.add("name", "too_long", count=NAME_MAX)
        else:
            values["name"] = name.strip()
    values.update(_check_discount(data, before, problems))
    if "description" in data:
        values["description"] = data["description"]
    for name in ("starts_at", "expires_at"):
        if name in data:
            values[name] = data[name]
    starts = values.get("starts_at", before.starts_at if before else None)
    expires = values.get("expires_at", before.expires_at if before else None)
    if starts is not None and expires is not None and expires <= starts:
        problems.add("expires_at", "invalid", reason="must be after starts_at")
    if "duration" in data:
        duration = data["duration"]
        if duration is not None and (
            not isinstance(duration, int) or not 1 <= duration <= INT32_MAX
        ):
            problems.add("duration", "out_of_range", minimum=0, maximum=INT32_MAX)
        else:
            values["duration"] = duration
    product_ids: list[int] | None = None
    if "product_ids" in data:
        product_ids = sorted(set(data["product_ids"] or []))
        usable = [pid for pid in product_ids if valid_id(pid)]
        known = await PromotionRepo(u).known_product_ids(usable)
        if set(product_ids) - known:
            problems.add("product_ids", "not_found", resource="product")
    coupon_ids: list[int] | None = None
    if data.get("coupon_ids"):
        coupon_ids = sorted(set(data["coupon_ids"]))
        repo = CouponRepo(u)
        for coupon_id in coupon_ids:
            if not valid_id(coupon_id) or await repo.get(coupon_id) is None:
                problems.add("coupon_ids", "not_found", resource="coupon")
                break
    problems.raise_if_any()
    return values, product_ids, coupon_ids


async def _load_promotion(u: Unit, promotion_id: int) -> Promotion:
    promotion = await PromotionRepo(u).get(promotion_id)
    if promotion is None:
        raise NotFound("promotion", promotion_id)
    return promotion


async def _attach_coupons(u: Unit, promotion_id: int, coupon_ids: list[int] | None) -> None:
    """Listed coupons move to this promotion (a coupon belongs to exactly one)."""
    repo = CouponRepo(u)
    for coupon_id in coupon_ids or []:
        await repo.update(coupon_id, {"promotion_id": promotion_id, "updated_at": u.now})


async def create_promotion(ctx: Ctx, data: dict[str, Any]) -> Promotion:
    async with ctx.writing() as u:
        values, product_ids, coupon_ids = await _check_promotion(u, data, None)
        repo = PromotionRepo(u)
        promotion_id = await repo.create(
            {**values, "uuid": new_uuid(), "created_at": u.now, "updated_at": u.now}
        )
        await repo.set_products(promotion_id, product_ids or [])
        await _attach_coupons(u, promotion_id, coupon_ids)
        promotion = await _load_promotion(u, promotion_id)
        await record(
            u,
            "promotion.created",
            "promotion",
            promotion.id,
            promotion.uuid,
            promotion_snapshot(promotion),
        )
        return promotion


async def update_promotion(ctx: Ctx, promotion_id: int, data: dict[str, Any]) -> Promotion:
    async with ctx.writing() as u:
        before = await _load_promotion(u, promotion_id)
        values, product_ids, coupon_ids = await _check_promotion(u, data, before)
        repo = PromotionRepo(u)
        await repo.update(promotion_id, {**values, "updated_at": u.now})
        if product_ids is not None:
            await repo.set_products(promotion_id, product_ids)
        await _attach_coupons(u, promotion_id, coupon_ids)
        promotion = await _load_promotion(u, promotion_id)
        changed = sorted({*values, *(["product_ids"] if product_ids is not None else [])})
        await record(
            u,
            "promotion.updated",
            "promotion",
            promotion.id,
            promotion.uuid,
            {**promotion_snapshot(promotion), "changed": changed},
        )
        return promotion


async def delete_promotion(ctx: Ctx, promotion_id: int) -> None:
    async with ctx.writing() as u:
        promotion = await _load_promotion(u, promotion_id)
        await PromotionRepo(u).delete(promotion_id)
        await record(
            u,
            "promotion.deleted",
            "promotion",
            promotion.id,
            promotion.uuid,
            promotion_snapshot(promotion),
        )


async def get_promotion(ctx: Ctx, promotion_id: int) -> Promotion:
    async with ctx.reading() as u:
        return await _load_promotion(u, promotion_id)


async def list_promotions(ctx: Ctx, offset: int, limit: int) -> Page[Promotion]:
    async with ctx.reading() as u:
        items, total = await PromotionRepo(u).list_page(offset, limit)
    return Page(items, total)


async def promotion_for_coupon(ctx: Ctx, product_id: int, code: str) -> Promotion:
    """The promotion a coupon code gives on a product, if the code exists and the promotion
    covers the product (dates and remaining uses are checked at checkout, not here)."""
    if not storable(code):
        raise NotFound("promotion", code)
    async with ctx.reading() as u:
        coupon = await CouponRepo(u).get_by_code(code)
    if coupon is None or coupon.promotion is None or not coupon.promotion.applies_to(product_id):
        raise NotFound("promotion", code)
    return coupon.promotion


# ---- coupons ----------------------------------------------------------------------------------


@dataclass(slots=True)
class BulkRequest:
    count: int | None
    code_length: int | None
    quantity_per_coupon: int | None


def _check_quantity(problems: Collector, field_name: str, value: Any) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= INT32_MAX
    ):
        problems.add(field_name, "out_of_range", minimum=-1, maximum=INT32_MAX)


async def _load_coupon(u: Unit, coupon_id: int) -> Coupon:
    coupon = await CouponRepo(u).get(coupon_id)
    if coupon is None:
        raise NotFound("coupon", coupon_id)
    return coupon


def _taken(code: str) -> Duplicate:
    return Duplicate(Problem("code", "taken", {"value": code}))


async def create_coupon(ctx: Ctx, promotion_id: int, data: dict[str, Any]) -> Coupon:
    problems = Collector()
    code = (data.get("code") or "").strip()
    if not code:
        problems.add("code", "required")
    elif len(code) > CODE_MAX:
        problems.add("code", "too_long", count=CODE_MAX)
    _check_quantity(problems, "quantity", data.get("quantity"))
    problems.raise_if_any()
    async with ctx.writing() as u:
        promotion = await PromotionRepo(u).get(promotion_id)
        if promotion is None:
            raise Invalid.one("promotion_id", "not_found", resource="promotion")
        repo = CouponRepo(u)
        if await repo.taken_keys([code.lower()]):
            raise _taken(code)
        try:
            coupon_id = await repo.create(
                {
                    "uuid": new_uuid(),
                    "promotion_id": promotion.id,
                    "code": code,
                    "code_key": code.lower(),
                    "note": data.get("note"),
                    "quantity": data.get("quantity"),
                    "quantity_used": 0,
                    "generated": False,
                    "created_at": u.now,
                    "updated_at": u.now,
                }
            )
        except UniqueViolation as exc:
            raise _taken(code) from exc
        coupon = await _load_coupon(u, coupon_id)
        await record(u, "coupon.created", "coupon", coupon.id, coupon.uuid, coupon_snapshot(coupon))
        return coupon


async def bulk_create_coupons(ctx: Ctx, promotion_id: int, request: BulkRequest) -> list[Coupon]:
    """Up to 1000 generated codes in one transaction: all of them or none."""
    problems = Collector()
    count = request.count if request.count is not None else 1
    length = request.code_length if request.code_length is not None else 10
    if count < 1 or count > BULK_MAX:
        problems.add("bulk_quantity", "out_of_range", minimum=0, maximum=BULK_MAX)
    if length < BULK_CODE_MIN or length > BULK_CODE_MAX:
        problems.add(
            "bulk_coupon_code_length",
            "out_of_range",
            minimum=BULK_CODE_MIN - 1,
            maximum=BULK_CODE_MAX,
        )
    _check_quantity(problems, "bulk_quantity_per_coupon", request.quantity_per_coupon)
    problems.raise_if_any()
    async with ctx.writing() as u:
        promotion = await _load_promotion(u, promotion_id)
        repo = CouponRepo(u)

        async def taken(candidates: list[str]) -> set[str]:
            keys = await repo.taken_keys([c.lower() for c in candidates])
            return {c for c in candidates if c.lower() in keys}

        codes = await unique_codes(count, length, taken)
        rows = [
            {
                "uuid": new_uuid(),
                "promotion_id": promotion.id,
                "code": code,
                "code_key": code.lower(),
                "note": None,
                "quantity": request.quantity_per_coupon,
                "quantity_used": 0,
                "generated": True,
                "created_at": u.now,
                "updated_at": u.now,
            }
            for code in codes
        ]
        try:
            created = await repo.create_many(rows)
        except UniqueViolation as exc:
            # A concurrent request took one of the drawn codes after our check: nothing was
            # written; the caller may simply retry.
            raise Duplicate(Problem("code", "taken", {"value": None})) from exc
        # One event for the one operation: the batch, with each coupon's snapshot.
        await record(
            u,
            "coupon.bulk_created",
            "promotion",
            promotion.id,
            promotion.uuid,
            {"promotion_id": promotion.id, "coupons": [coupon_snapshot(c) for c in created]},
        )
        return created


async def update_coupon(ctx: Ctx, coupon_id: int, data: dict[str, Any]) -> Coupon:
    problems = Collector()
    values: dict[str, Any] = {}
    if "code" in data:
        code = (data.get("code") or "").strip()
        if not code:
            problems.add("code", "required")
        elif len(code) > CODE_MAX:
            problems.add("code", "too_long", count=CODE_MAX)
        else:
            values.update(code=code, code_key=code.lower())
    for name in ("quantity", "quantity_used"):
        if name in data:
            _check_quantity(problems, name, data[name])
            if name == "quantity" or data[name] is not None:
                values[name] = data[name]
    if "note" in data:
        values["note"] = data["note"]
    problems.raise_if_any()
    async with ctx.writing() as u:
        await _load_coupon(u, coupon_id)
        repo = CouponRepo(u)
        if "code_key" in values and await repo.taken_keys([values["code_key"]], coupon_id):
            raise _taken(values["code"])
        try:
            await repo.update(coupon_id, {**values, "updated_at": u.now})
        except UniqueViolation as exc:
            raise _taken(values.get("code", "")) from exc
        coupon = await _load_coupon(u, coupon_id)
        await record(
            u,
            "coupon.updated",
            "coupon",
            coupon.id,
            coupon.uuid,
            {**coupon_snapshot(coupon), "changed": sorted(set(values) - {"code_key"})},
        )
        return coupon


async def delete_coupon(ctx: Ctx, coupon_id: int) -> None:
    async with ctx.writing() as u:
        coupon = await _load_coupon(u, coupon_id)
        await CouponRepo(u).delete(coupon_id)
        await record(u, "coupon.deleted", "coupon", coupon.id, coupon.uuid, coupon_snapshot(coupon))


async def get_coupon(ctx: Ctx, coupon_id: int) -> Coupon:
    async with ctx.reading() as u:
        return await _load_coupon(u, coupon_id)


async def list_coupons(ctx: Ctx, promotion_id: int | None, offset: int, limit: int) -> Page[Coupon]:
    """Coupons of one promotion (none for an unknown one), or of the site when None."""
    async with ctx.reading() as u:
        repo = CouponRepo(u)
        stmt = repo.of_promotion(promotion_id)
        items = await repo.list_page(stmt, offset, limit)
        total = await repo.count(stmt)
    return Page(items, total)


async def scan_coupons(
    ctx: Ctx, after_id: int | None, limit: int
) -> tuple[list[Coupon], int, bool]:
    """The site's coupons by id, strictly after `after_id` (keyset paging)."""
    async with ctx.reading() as u:
        return await CouponRepo(u).scan(after_id, limit)


async def list_course_coupons(
    ctx: Ctx,
    course_keys: list[str],
    code: str | None,
    active: bool | None,
    offset: int,
    limit: int,
) -> Page[CourseCoupon]:
    """Coupons usable on the given courses (by UUID), one entry per (coupon, course)."""
    if not course_keys:
        raise Invalid.one("course_ids", "required")
    if code is not None and not storable(code):
        raise Invalid.one("code", "invalid")
    async with ctx.reading() as u:
        courses = CourseRepo(u)
        course_ids: list[int] = []
        for key in course_keys:
            course_id = await courses.id_for_uuid(key) if is_uuid(key) else None
            if course_id is None:
                raise Invalid.one("course_ids", "not_found", resource="course", value=key)
            course_ids.append(course_id)
        active_at = None if active is None else (active, u.now)
        items, total = await CouponRepo(u).course_coupons(
            course_ids, code, active_at, offset, limit
        )
    return Page(items, total)
