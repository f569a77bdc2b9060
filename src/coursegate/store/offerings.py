"""Queries for products (with prices, categories, related products), bundles, categories,
publish requests and course reviews. Every statement is scoped to the unit's site."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, delete, func, select

from coursegate.domain.models import Product
from coursegate.domain.offering_models import (
    Bundle,
    Category,
    CourseReview,
    ProductDetail,
    ProductPrice,
    PublishRequest,
)
from coursegate.store.base import Repo
from coursegate.store.idempotent import insert_new
from coursegate.store.tables.catalog import courses, products
from coursegate.store.tables.offerings import (
    bundle_courses,
    bundle_enrollments,
    bundles,
    categories,
    category_products,
    course_reviews,
    product_prices,
    product_publish_requests,
    related_products,
)


class ProductCatalogRepo(Repo):
    """Products as listed: each with its prices, categories, related products and the
    keywords and card image of the course or bundle it sells."""

    table = products

    def all(self) -> Select[Any]:
        return self.scoped()

    def in_category(self, category_id: int) -> Select[Any]:
        members = select(category_products.c.product_id).where(
            category_products.c.site_id == self.site_id,
            category_products.c.category_id == category_id,
        )
        return self.scoped().where(products.c.id.in_(members))

    def related_to(self, product_id: int) -> Select[Any]:
        related = select(related_products.c.related_id).where(
            related_products.c.site_id == self.site_id,
            related_products.c.product_id == product_id,
        )
        return self.scoped().where(products.c.id.in_(related))

    async def get(self, product_id: int) -> Product | None:
        row = await self.first(products.c.id == product_id)
        return Product.from_row(row) if row is not None else None

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[ProductDetail]:
        rows = await self.page(stmt, [products.c.position, products.c.id], offset, limit)
        return await self.details(Product.from_rows(rows))

    async def details(self, items: list[Product]) -> list[ProductDetail]:
        """Attach related rows to a batch of products (a fixed number of queries)."""
        if not items:
            return []
        ids = [p.id for p in items]
        prices: dict[int, list[ProductPrice]] = defaultdict(list)
        for row in await self.conn.execute(
            select(product_prices)
            .where(product_prices.c.site_id == self.site_id, product_prices.c.product_id.in_(ids))
            .order_by(product_prices.c.is_primary.desc(), product_prices.c.id)
        ):
            prices[row.product_id].append(ProductPrice.from_row(row))
        cats: dict[int, list[int]] = defaultdict(list)
        for product_id, category_id in await self.conn.execute(
            select(category_products.c.product_id, category_products.c.category_id)
            .where(
                category_products.c.site_id == self.site_id,
                category_products.c.product_id.in_(ids),
            )
            .order_by(category_products.c.category_id)
        ):
            cats[product_id].append(category_id)
        related: dict[int, list[int]] = defaultdict(list)
        for product_id, related_id in await self.conn.execute(
            select(related_products.c.product_id, related_products.c.related_id)
            .where(
                related_products.c.site_id == self.site_id,
                related_products.c.product_id.in_(ids),
            )
            .order_by(related_products.c.position, related_products.c.id)
        ):
            related[product_id].append(related_id)
        looks = await self._looks(items)
        return [
            ProductDetail(
                p, prices[p.id], cats[p.id], related[p.id], *looks.get(p.id, (None, None))
            )
            for p in items
        ]

    async def _looks(self, items: list[Product]) -> dict[int, tuple[str | None, str | None]]:
        """(keywords, card image) of each product's course or bundle."""
        by_item = {(p.productable_type, p.productable_id): p.id for p in items}
        found: dict[int, tuple[str | None, str | None]] = {}
        course_ids = [i for (t, i) in by_item if t == "Course"]
        if course_ids:
            for row in await self.conn.execute(
                select(courses.c.id, courses.c.keywords, courses.c.card_image_url).where(
                    courses.c.site_id == self.site_id, courses.c.id.in_(course_ids)
                )
            ):
                found[by_item[("Course", row.id)]] = (row.keywords, row.card_image_url)
        bundle_ids = [i for (t, i) in by_item if t == "Bundle"]
        if bundle_ids:
            for bundle_row in await self.conn.execute(
                select(bundles.c.id, bundles.c.card_image_url).where(
                    bundles.c.site_id == self.site_id, bundles.c.id.in_(bundle_ids)
                )
            ):
                found[by_item[("Bundle", bundle_row.id)]] = (None, bundle_row.card_image_url)
        return found

    async def existing_ids(self, ids: list[int]) -> set[int]:
        if not ids:
            return set()
        rows = await self.conn.execute(self.scoped(products.c.id).where(products.c.id.in_(ids)))
        return {int(r.id) for r in rows}

    async def set_status(self, product_id: int, status: str) -> None:
        await self.update_row(product_id, {"status": status})


class ProductPriceRepo(Repo):
    table = product_prices

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def clear_primary(self, product_id: int) -> None:
        await self.conn.execute(
            product_prices.update()
            .where(
                product_prices.c.site_id == self.site_id,
                product_prices.c.product_id == product_id,
            )
            .values(is_primary=False)
        )

    async def get(self, price_id: int) -> ProductPrice | None:
        row = await self.first(product_prices.c.id == price_id)
        return ProductPrice.from_row(row) if row is not None else None


class RelatedProductRepo(Repo):
    table = related_products

    async def replace(self, product_id: int, related_ids: list[int]) -> None:
        await self.conn.execute(
            delete(related_products).where(
                related_products.c.site_id == self.site_id,
                related_products.c.product_id == product_id,
            )
        )
        if related_ids:
            await insert_new(
                self.conn,
                related_products,
                [
                    {
                        "site_id": self.site_id,
                        "product_id": product_id,
                        "related_id": r,
                        "position": i,
                    }
                    for i, r in enumerate(related_ids)
                ],
            )


class BundleRepo(Repo):
    table = bundles

    async def get(self, bundle_id: int) -> Bundle | None:
        row = await self.first(bundles.c.id == bundle_id)
        if row is None:
            return None
        bundle = Bundle.from_row(row)
        bundle.course_ids = await self.course_ids(bundle_id)
        product = await self.conn.execute(
            select(products.c.id).where(
                products.c.site_id == self.site_id,
                products.c.productable_type == "Bundle",
                products.c.productable_id == bundle_id,
            )
        )
        bundle.product_id = product.scalar_one_or_none()
        return bundle

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, bundle_id: int, values: dict[str, Any]) -> None:
        await self.update_row(bundle_id, values)

    async def slug_taken(self, slug: str) -> bool:
        return await self.exists(bundles.c.slug == slug)

    async def course_ids(self, bundle_id: int) -> list[int]:
        rows = await self.conn.execute(
            select(bundle_courses.c.course_id)
            .where(
                bundle_courses.c.site_id == self.site_id, bundle_courses.c.bundle_id == bundle_id
            )
            .order_by(bundle_courses.c.position, bundle_courses.c.id)
        )
        return [int(r.course_id) for r in rows]

    async def add_course(self, bundle_id: int, course_id: int) -> None:
        position = await self.conn.execute(
            select(func.coalesce(func.max(bundle_courses.c.position), 0)).where(
                bundle_courses.c.site_id == self.site_id, bundle_courses.c.bundle_id == bundle_id
            )
        )
        row = {
            "site_id": self.site_id,
            "bundle_id": bundle_id,
            "course_id": course_id,
            "position": int(position.scalar_one()) + 1,
        }
        await insert_new(self.conn, bundle_courses, [row])

    def courses_of(self, bundle_id: int) -> Select[Any]:
        """Course rows of a bundle in bundle order (for CourseRepo.hydrate)."""
        return (
            select(courses)
            .join(bundle_courses, bundle_courses.c.course_id == courses.c.id)
            .where(
                bundle_courses.c.site_id == self.site_id, bundle_courses.c.bundle_id == bundle_id
            )
        )

    @staticmethod
    def course_order() -> list[Any]:
        return [bundle_courses.c.position, bundle_courses.c.id]


class BundleEnrollmentRepo(Repo):
    table = bundle_enrollments

    async def find(self, bundle_id: int, user_id: int) -> Any:
        return await self.first(
            bundle_enrollments.c.bundle_id == bundle_id, bundle_enrollments.c.user_id == user_id
        )

    async def create_if_absent(self, values: dict[str, Any]) -> bool:
        """Insert unless the user already has this bundle (also when a concurrent request
        just created it); True when this call inserted the row."""
        return (
            await insert_new(self.conn, bundle_enrollments, [{**values, "site_id": self.site_id}])
            == 1
        )

    async def update(self, row_id: int, values: dict[str, Any]) -> None:
        await self.update_row(row_id, values)

    async def of_bundle(self, bundle_id: int) -> list[Any]:
        rows = await self.conn.execute(
            self.scoped()
            .where(bundle_enrollments.c.bundle_id == bundle_id)
            .order_by(bundle_enrollments.c.id)
        )
        return list(rows)

    async def remove_for_user(self, user_id: int) -> None:
        await self.conn.execute(
            delete(bundle_enrollments).where(
                bundle_enrollments.c.site_id == self.site_id,
                bundle_enrollments.c.user_id == user_id,
            )
        )


class CategoryRepo(Repo):
    table = categories

    async def _with_products(self, rows: list[Any]) -> list[Category]:
        found = Category.from_rows(rows)
        if not found:
            return found
        by_id = {c.id: c for c in found}
        for category_id, product_id in await self.conn.execute(
            select(category_products.c.category_id, category_products.c.product_id)
            .where(
                category_products.c.site_id == self.site_id,
                category_products.c.category_id.in_(list(by_id)),
            )
            .order_by(category_products.c.position, category_products.c.id)
        ):
            by_id[category_id].product_ids.append(product_id)
        return found

    async def get(self, category_id: int) -> Category | None:
        row = await self.first(categories.c.id == category_id)
        return (await self._with_products([row]))[0] if row is not None else None

    def all(self) -> Select[Any]:
        return self.scoped()

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[Category]:
        return await self._with_products(await self.page(stmt, [categories.c.id], offset, limit))

    async def slug_taken(self, slug: str, except_id: int | None = None) -> bool:
        clauses = [categories.c.slug == slug]
        if except_id is not None:
            clauses.append(categories.c.id != except_id)
        return await self.exists(*clauses)

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, category_id: int, values: dict[str, Any]) -> None:
        await self.update_row(category_id, values)

    async def delete(self, category_id: int) -> None:
        await self.conn.execute(
            delete(categories).where(
                categories.c.site_id == self.site_id, categories.c.id == category_id
            )
        )

    async def add_products(self, category_id: int, product_ids: list[int]) -> list[int]:
        """Add the products not yet in the category; returns those added."""
        present = await self._members(category_id)
        fresh = [p for p in dict.fromkeys(product_ids) if p not in present]
        if fresh:
            start = len(present)
            await insert_new(
                self.conn,
                category_products,
                [
                    {
                        "site_id": self.site_id,
                        "category_id": category_id,
                        "product_id": p,
                        "position": start + i,
                    }
                    for i, p in enumerate(fresh)
                ],
            )
        return fresh

    async def remove_products(self, category_id: int, product_ids: list[int]) -> list[int]:
        present = await self._members(category_id)
        gone = [p for p in dict.fromkeys(product_ids) if p in present]
        if gone:
            await self.conn.execute(
                delete(category_products).where(
                    category_products.c.site_id == self.site_id,
                    category_products.c.category_id == category_id,
                    category_products.c.product_id.in_(gone),
                )
            )
        return gone

    async def _members(self, category_id: int) -> set[int]:
        rows = await self.conn.execute(
            select(category_products.c.product_id).where(
                category_products.c.site_id == self.site_id,
                category_products.c.category_id == category_id,
            )
        )
        return {int(r.product_id) for r in rows}


class PublishRequestRepo(Repo):
    table = product_publish_requests

    def pending(self) -> Select[Any]:
        return self.scoped().where(product_publish_requests.c.status == "pending")

    async def get(self, request_id: int) -> PublishRequest | None:
        row = await self.first(product_publish_requests.c.id == request_id)
        return PublishRequest.from_row(row) if row is not None else None

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[PublishRequest]:
        rows = await self.page(stmt, [product_publish_requests.c.id], offset, limit)
        return PublishRequest.from_rows(rows)

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, request_id: int, values: dict[str, Any]) -> None:
        await self.update_row(request_id, values)


class CourseReviewRepo(Repo):
    table = course_reviews

    def of_course(self, course_id: int, approved: bool | None) -> Select[Any]:
        stmt = self.scoped().where(course_reviews.c.course_id == course_id)
        if approved is not None:
            stmt = stmt.where(course_reviews.c.approved == approved)
        return stmt

    async def get(self, review_id: int) -> CourseReview | None:
        row = await self.first(course_reviews.c.id == review_id)
        return CourseReview.from_row(row) if row is not None else None

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[CourseReview]:
        rows = await self.page(stmt, [course_reviews.c.id], offset, limit)
        return CourseReview.from_rows(rows)

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def remove_for_user(self, user_id: int) -> int:
        result = await self.conn.execute(
            delete(course_reviews).where(
                course_reviews.c.site_id == self.site_id, course_reviews.c.user_id == user_id
            )
        )
        return int(result.rowcount or 0)
