"""Categories (Thinkific "collections"): named groupings of products."""

from __future__ import annotations

from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Invalid, NotFound
from coursegate.domain.models import Page
from coursegate.domain.offering_models import Category, ProductDetail
from coursegate.domain.recording import record
from coursegate.platform.ids import SLUG_PATTERN, new_uuid
from coursegate.store.base import UniqueViolation
from coursegate.store.database import Unit
from coursegate.store.offerings import CategoryRepo, ProductCatalogRepo

NAME_MAX = 255


def category_snapshot(c: Category) -> dict[str, Any]:
    return {
        "id": c.id,
        "uuid": c.uuid,
        "name": c.name,
        "slug": c.slug,
        "description": c.description,
        "default": c.is_default,
        "product_ids": list(c.product_ids),
        "created_at": c.created_at,
    }


async def _load(u: Unit, category_id: int) -> Category:
    category = await CategoryRepo(u).get(category_id)
    if category is None:
        raise NotFound("category", category_id)
    return category


async def _check(u: Unit, data: dict[str, Any], category_id: int | None) -> dict[str, Any]:
    """Name, description and slug are all required (create and full-replace update)."""
    problems = Collector()
    values: dict[str, Any] = {}
    for name in ("name", "description", "slug"):
        value = data.get(name)
        if value is None or (name != "description" and not str(value).strip()):
            problems.add(name, "required")
        elif name != "description" and len(value) > NAME_MAX:
            problems.add(name, "too_long", count=NAME_MAX)
        else:
            values[name] = value.strip() if name != "description" else value
    slug = values.get("slug")
    if slug is not None and not SLUG_PATTERN.match(slug):
        problems.add("slug", "invalid", value=slug)
    problems.raise_if_any()
    if slug is not None and await CategoryRepo(u).slug_taken(slug, category_id):
        raise Invalid.one("slug", "taken", value=slug)
    return values


async def create_category(ctx: Ctx, data: dict[str, Any], *, is_default: bool = False) -> Category:
    async with ctx.writing() as u:
        values = await _check(u, data, None)
        repo = CategoryRepo(u)
        try:
            category_id = await repo.create(
                {
                    **values,
                    "uuid": new_uuid(),
                    "is_default": is_default,
                    "created_at": u.now,
                    "updated_at": u.now,
                }
            )
        except UniqueViolation as exc:
            raise Invalid.one("slug", "taken", value=values["slug"]) from exc
        category = await _load(u, category_id)
        await record(
            u,
            "category.created",
            "category",
            category.id,
            category.uuid,
            category_snapshot(category),
        )
        return category


async def update_category(ctx: Ctx, category_id: int, data: dict[str, Any]) -> Category:
    async with ctx.writing() as u:
        await _load(u, category_id)
        values = await _check(u, data, category_id)
        try:
            await CategoryRepo(u).update(category_id, {**values, "updated_at": u.now})
        except UniqueViolation as exc:
            raise Invalid.one("slug", "taken", value=values["slug"]) from exc
        category = await _load(u, category_id)
        await record(
            u,
            "category.updated",
            "category",
            category.id,
            category.uuid,
            {**category_snapshot(category), "changed": sorted(values)},
        )
        return category


async def delete_category(ctx: Ctx, category_id: int) -> None:
    """Removes the category and its memberships; the products stay."""
    async with ctx.writing() as u:
        category = await _load(u, category_id)
        await CategoryRepo(u).delete(category_id)
        await record(
            u,
            "category.deleted",
            "category",
            category.id,
            category.uuid,
            category_snapshot(category),
        )


async def get_category(ctx: Ctx, category_id: int) -> Category:
    async with ctx.reading() as u:
        return await _load(u, category_id)


async def list_categories(ctx: Ctx, offset: int, limit: int) -> Page[Category]:
    async with ctx.reading() as u:
        repo = CategoryRepo(u)
        stmt = repo.all()
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


async def category_products(
    ctx: Ctx, category_id: int, offset: int, limit: int
) -> Page[ProductDetail]:
    async with ctx.reading() as u:
        await _load(u, category_id)
        repo = ProductCatalogRepo(u)
        stmt = repo.in_category(category_id)
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


async def change_memberships(
    ctx: Ctx, category_id: int, product_ids: list[int], *, add: bool
) -> list[int]:
    """Add (or remove) products to (or from) a category. Every product must exist; adding a
    member or removing a non-member is a no-op. Returns the products actually changed."""
    async with ctx.writing() as u:
        category = await _load(u, category_id)
        wanted = list(dict.fromkeys(product_ids))
        missing = set(wanted) - await ProductCatalogRepo(u).existing_ids(wanted)
        if missing:
            raise NotFound("product", sorted(missing)[0])
        repo = CategoryRepo(u)
        changed = await (repo.add_products if add else repo.remove_products)(category_id, wanted)
        if changed:
            await record(
                u,
                "category.updated",
                "category",
                category.id,
                category.uuid,
                {
                    **category_snapshot(await _load(u, category_id)),
                    "changed": ["product_ids"],
                    "added" if add else "removed": changed,
                },
            )
        return changed
