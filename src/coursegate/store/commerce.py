"""Promotions, coupons, orders, external orders and redemption codes (all SQL of commerce)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, delete, exists, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from coursegate.domain.commerce_models import (
    Coupon,
    CourseCoupon,
    ExternalOrder,
    ExternalTransaction,
    GrantedCourse,
    Order,
    Promotion,
    RedemptionCodeGroup,
)
from coursegate.store.base import Repo
from coursegate.store.tables.catalog import courses, products
from coursegate.store.tables.commerce import (
    coupons,
    external_order_transactions,
    external_orders,
    orders,
    promotion_products,
    promotions,
    redemption_code_group_courses,
    redemption_code_groups,
    redemption_codes,
)
from coursegate.store.tables.learning import enrollments
from coursegate.store.tables.people import users
from coursegate.store.text_match import contains, pattern_for

# Large IN lists are split so every backend stays under its bound-parameter limit.
CHUNK = 500


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


class PromotionRepo(Repo):
    table = promotions

    async def hydrate(self, rows: list[Any]) -> list[Promotion]:
        found = Promotion.from_rows(rows)
        if not found:
            return found
        by_id = {p.id: p for p in found}
        linked = await self.conn.execute(
            select(promotion_products.c.promotion_id, promotion_products.c.product_id)
            .where(
                promotion_products.c.site_id == self.site_id,
                promotion_products.c.promotion_id.in_(by_id),
            )
            .order_by(promotion_products.c.product_id)
        )
        for promotion_id, product_id in linked:
            by_id[promotion_id].product_ids.append(int(product_id))
        coupon_rows = await self.conn.execute(
            select(coupons.c.promotion_id, coupons.c.id)
            .where(coupons.c.site_id == self.site_id, coupons.c.promotion_id.in_(by_id))
            .order_by(coupons.c.id)
        )
        for promotion_id, coupon_id in coupon_rows:
            by_id[promotion_id].coupon_ids.append(int(coupon_id))
        return found

    async def get(self, promotion_id: int) -> Promotion | None:
        row = await self.first(promotions.c.id == promotion_id)
        return (await self.hydrate([row]))[0] if row is not None else None

    async def list_page(self, offset: int, limit: int) -> tuple[list[Promotion], int]:
        stmt = self.scoped()
        rows = await self.page(stmt, [promotions.c.id], offset, limit)
        return await self.hydrate(rows), await self.count(stmt)

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, promotion_id: int, values: dict[str, Any]) -> None:
        await self.update_row(promotion_id, values)

    async def delete(self, promotion_id: int) -> None:
        await self.conn.execute(
            delete(promotions).where(
                promotions.c.site_id == self.site_id, promotions.c.id == promotion_id
            )
        )

    async def set_products(self, promotion_id: int, product_ids: list[int]) -> None:
        await self.conn.execute(
            delete(promotion_products).where(
                promotion_products.c.site_id == self.site_id,
                promotion_products.c.promotion_id == promotion_id,
            )
        )
        if product_ids:
            await self.conn.execute(
                insert(promotion_products),
                [
                    {"site_id": self.site_id, "promotion_id": promotion_id, "product_id": pid}
                    for pid in product_ids
                ],
            )

    async def known_product_ids(self, product_ids: list[int]) -> set[int]:
        found: set[int] = set()
        for chunk in _chunks(product_ids):
            rows = await self.conn.execute(
                select(products.c.id).where(
                    products.c.site_id == self.site_id, products.c.id.in_(chunk)
                )
            )
            found.update(int(r.id) for r in rows)
        return found


class CouponRepo(Repo):
    table = coupons

    async def hydrate(self, rows: list[Any]) -> list[Coupon]:
        found = Coupon.from_rows(rows)
        promotion_ids = sorted({c.promotion_id for c in found})
        if promotion_ids:
            promotion_repo = PromotionRepo(self.unit)
            rows = (
                await self.conn.execute(
                    promotion_repo.scoped().where(promotions.c.id.in_(promotion_ids))
                )
            ).all()
            by_id = {p.id: p for p in await promotion_repo.hydrate(list(rows))}
            for coupon in found:
                coupon.promotion = by_id.get(coupon.promotion_id)
        return found

    async def _one(self, *where: Any) -> Coupon | None:
        row = await self.first(*where)
        return (await self.hydrate([row]))[0] if row is not None else None

    async def get(self, coupon_id: int) -> Coupon | None:
        return await self._one(coupons.c.id == coupon_id)

    async def get_by_code(self, code: str) -> Coupon | None:
        return await self._one(coupons.c.code_key == code.strip().lower())

    def of_promotion(self, promotion_id: int | None) -> Select[Any]:
        stmt = self.scoped()
        return stmt if promotion_id is None else stmt.where(coupons.c.promotion_id == promotion_id)

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[Coupon]:
        return await self.hydrate(await self.page(stmt, [coupons.c.id], offset, limit))

    async def scan(self, after_id: int | None, limit: int) -> tuple[list[Coupon], int, bool]:
        stmt = self.scoped()
        total = await self.count(stmt)
        if after_id is not None:
            stmt = stmt.where(coupons.c.id > after_id)
        rows = list((await self.conn.execute(stmt.order_by(coupons.c.id).limit(limit + 1))).all())
        return await self.hydrate(rows[:limit]), total, len(rows) > limit

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def create_many(self, rows: list[dict[str, Any]]) -> list[Coupon]:
        """Insert many coupons in one round of statements; returns them in code order given."""
        try:
            await self.conn.execute(insert(coupons), [{"site_id": self.site_id, **r} for r in rows])
        except IntegrityError as exc:
            raise self._translate(exc) from exc
        keys = [r["code_key"] for r in rows]
        found: list[Any] = []
        for chunk in _chunks(keys):
            found += (
                await self.conn.execute(self.scoped().where(coupons.c.code_key.in_(chunk)))
            ).all()
        found.sort(key=lambda r: r.id)
        return await self.hydrate(found)

    async def update(self, coupon_id: int, values: dict[str, Any]) -> None:
        await self.update_row(coupon_id, values)

    async def delete(self, coupon_id: int) -> None:
        await self.conn.execute(
            delete(coupons).where(coupons.c.site_id == self.site_id, coupons.c.id == coupon_id)
        )

    async def taken_keys(self, keys: Sequence[str], except_id: int | None = None) -> set[str]:
        taken: set[str] = set()
        for chunk in _chunks(keys):
            stmt = select(coupons.c.code_key).where(
                coupons.c.site_id == self.site_id, coupons.c.code_key.in_(chunk)
            )
            if except_id is not None:
                stmt = stmt.where(coupons.c.id != except_id)
            taken.update(r.code_key for r in await self.conn.execute(stmt))
        return taken

    async def take_one_use(self, coupon_id: int, now: datetime) -> bool:
        """Count one redemption unless none are left. The guard lives in the UPDATE itself, so
        concurrent buyers can never push quantity_used past quantity."""
        result = await self.conn.execute(
            update(coupons)
            .where(
                coupons.c.site_id == self.site_id,
                coupons.c.id == coupon_id,
                or_(coupons.c.quantity.is_(None), coupons.c.quantity_used < coupons.c.quantity),
            )
            .values(quantity_used=coupons.c.quantity_used + 1, updated_at=now)
        )
        return result.rowcount == 1

    async def course_coupons(
        self,
        course_ids: list[int],
        code: str | None,
        active_at: tuple[bool, datetime] | None,
        offset: int,
        limit: int,
    ) -> tuple[list[CourseCoupon], int]:
        """Pairs (coupon, course) where the coupon's promotion covers the course's product:
        promotions scoped to that product, and promotions that cover every product."""
        scoped_to_product = exists().where(
            promotion_products.c.promotion_id == promotions.c.id,
            promotion_products.c.product_id == products.c.id,
        )
        any_product = ~exists().where(promotion_products.c.promotion_id == promotions.c.id)
        stmt = (
            select(
                coupons,
                courses.c.id.label("pair_course_id"),
                courses.c.uuid.label("pair_course_uuid"),
                products.c.days_until_expiry.label("pair_days"),
            )
            .join(promotions, promotions.c.id == coupons.c.promotion_id)
            .join(
                products,
                and_(
                    products.c.site_id == self.site_id,
                    products.c.productable_type == "Course",
                    products.c.productable_id.in_(course_ids),
                ),
            )
            .join(courses, courses.c.id == products.c.productable_id)
            .where(coupons.c.site_id == self.site_id, or_(scoped_to_product, any_product))
        )
        if code:
            stmt = stmt.where(coupons.c.code_key == code.strip().lower())
        if active_at is not None:
            wanted, now = active_at
            stmt = stmt.where(active_condition(now) if wanted else ~active_condition(now))
        total = await self.count(stmt)
        rows = await self.page(stmt, [courses.c.id, coupons.c.id], offset, limit)
        hydrated = await self.hydrate(rows)
        pairs = [
            CourseCoupon(c, int(r.pair_course_id), r.pair_course_uuid, r.pair_days)
            for c, r in zip(hydrated, rows, strict=True)
        ]
        return pairs, total


def active_condition(now: datetime) -> Any:
    """A coupon is active while its promotion runs and it has uses left (Coupon.active_at)."""
    return and_(
        or_(promotions.c.starts_at.is_(None), promotions.c.starts_at <= now),
        or_(promotions.c.expires_at.is_(None), promotions.c.expires_at > now),
        or_(coupons.c.quantity.is_(None), coupons.c.quantity_used < coupons.c.quantity),
    )


class OrderRepo(Repo):
    table = orders

    def joined(self) -> Select[Any]:
        return (
            select(
                orders,
                users.c.email.label("user_email"),
                users.c.first_name.label("user_first"),
                users.c.last_name.label("user_last"),
            )
            .join(users, users.c.id == orders.c.user_id, isouter=True)
            .where(orders.c.site_id == self.site_id)
        )

    @staticmethod
    def _order(row: Any) -> Order:
        order = Order.from_row(row)
        order.user_email = row.user_email
        names = (row.user_first, row.user_last)
        order.user_name = " ".join(n for n in names if n) if row.user_email else None
        return order

    async def get(self, order_id: int) -> Order | None:
        row = (await self.conn.execute(self.joined().where(orders.c.id == order_id))).first()
        return self._order(row) if row is not None else None

    async def list_page(self, offset: int, limit: int) -> tuple[list[Order], int]:
        rows = await self.page(self.joined(), [orders.c.id], offset, limit)
        return [self._order(r) for r in rows], await self.count(self.scoped(orders.c.id))

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def lock_access(self, user_id: int, course_id: int) -> None:
        """Hold the buyer's enrollment row (if any) until commit, so two checkouts of the same
        course by the same buyer run one after the other (PostgreSQL; SQLite writers are
        serialised already)."""
        await self.conn.execute(
            select(enrollments.c.id)
            .where(
                enrollments.c.site_id == self.site_id,
                enrollments.c.user_id == user_id,
                enrollments.c.course_id == course_id,
            )
            .with_for_update()
        )


class ExternalOrderRepo(Repo):
    table = external_orders

    async def get(self, order_id: int) -> ExternalOrder | None:
        row = await self.first(external_orders.c.id == order_id)
        if row is None:
            return None
        order = ExternalOrder.from_row(row)
        rows = await self.conn.execute(
            select(external_order_transactions)
            .where(
                external_order_transactions.c.site_id == self.site_id,
                external_order_transactions.c.external_order_id == order_id,
            )
            .order_by(external_order_transactions.c.id)
        )
        order.transactions = ExternalTransaction.from_rows(rows)
        return order

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def add_transaction(self, values: dict[str, Any]) -> int:
        result = await self.conn.execute(
            insert(external_order_transactions)
            .values(site_id=self.site_id, **values)
            .returning(external_order_transactions.c.id)
        )
        return int(result.scalar_one())


class RedemptionRepo(Repo):
    table = redemption_code_groups

    async def hydrate(self, rows: list[Any]) -> list[RedemptionCodeGroup]:
        found = RedemptionCodeGroup.from_rows(rows)
        if not found:
            return found
        by_id = {g.id: g for g in found}
        linked = await self.conn.execute(
            select(
                redemption_code_group_courses.c.group_id,
                courses.c.id,
                courses.c.uuid,
                courses.c.title,
                courses.c.course_type,
            )
            .join(courses, courses.c.id == redemption_code_group_courses.c.course_id)
            .where(
                redemption_code_group_courses.c.site_id == self.site_id,
                redemption_code_group_courses.c.group_id.in_(by_id),
            )
            .order_by(redemption_code_group_courses.c.id)
        )
        for row in linked:
            by_id[row.group_id].courses.append(
                GrantedCourse(int(row.id), row.uuid, row.title, row.course_type)
            )
        return found

    async def get(self, group_id: int) -> RedemptionCodeGroup | None:
        row = await self.first(redemption_code_groups.c.id == group_id)
        return (await self.hydrate([row]))[0] if row is not None else None

    async def get_by_uuid(self, group_uuid: str) -> RedemptionCodeGroup | None:
        row = await self.first(redemption_code_groups.c.uuid == group_uuid)
        return (await self.hydrate([row]))[0] if row is not None else None

    async def scan(
        self, text: str | None, descending: bool, after: tuple[str, int] | None, limit: int
    ) -> tuple[list[RedemptionCodeGroup], int, bool]:
        """Keyset scan by (label, id); `text` matches the label, case-insensitively."""
        t = redemption_code_groups.c
        stmt = self.scoped()
        if text:
            stmt = stmt.where(contains(t.label, pattern_for(text)))
        total = await self.count(stmt)
        if after is not None:
            label, last_id = after
            if descending:
                stmt = stmt.where(or_(t.label < label, and_(t.label == label, t.id < last_id)))
            else:
                stmt = stmt.where(or_(t.label > label, and_(t.label == label, t.id > last_id)))
        order = [t.label.desc(), t.id.desc()] if descending else [t.label, t.id]
        rows = list((await self.conn.execute(stmt.order_by(*order).limit(limit + 1))).all())
        return await self.hydrate(rows[:limit]), total, len(rows) > limit

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def grant_courses(self, group_id: int, course_ids: list[int]) -> None:
        if course_ids:
            await self.conn.execute(
                insert(redemption_code_group_courses),
                [
                    {"site_id": self.site_id, "group_id": group_id, "course_id": c}
                    for c in course_ids
                ],
            )

    async def taken_codes(self, codes: Sequence[str]) -> set[str]:
        taken: set[str] = set()
        for chunk in _chunks(codes):
            rows = await self.conn.execute(
                select(redemption_codes.c.code).where(
                    redemption_codes.c.site_id == self.site_id, redemption_codes.c.code.in_(chunk)
                )
            )
            taken.update(r.code for r in rows)
        return taken

    async def add_codes(self, group_id: int, codes: list[str]) -> None:
        try:
            await self.conn.execute(
                insert(redemption_codes),
                [{"site_id": self.site_id, "group_id": group_id, "code": c} for c in codes],
            )
        except IntegrityError as exc:
            raise self._translate(exc) from exc

    async def codes_of(self, group_id: int) -> list[str]:
        rows = await self.conn.execute(
            select(redemption_codes.c.code)
            .where(
                redemption_codes.c.site_id == self.site_id, redemption_codes.c.group_id == group_id
            )
            .order_by(redemption_codes.c.id)
        )
        return [r.code for r in rows]

    async def find_code(self, code: str) -> Any:
        return (
            await self.conn.execute(
                select(redemption_codes).where(
                    redemption_codes.c.site_id == self.site_id, redemption_codes.c.code == code
                )
            )
        ).first()

    async def mark_redeemed(self, code_id: int, group_id: int, user_id: int, now: datetime) -> bool:
        """Redeem once: the `redeemed_at IS NULL` guard makes a second attempt change nothing."""
        result = await self.conn.execute(
            update(redemption_codes)
            .where(
                redemption_codes.c.site_id == self.site_id,
                redemption_codes.c.id == code_id,
                redemption_codes.c.redeemed_at.is_(None),
            )
            .values(redeemed_at=now, redeemed_by_user_id=user_id)
        )
        if result.rowcount != 1:
            return False
        await self.conn.execute(
            update(redemption_code_groups)
            .where(
                redemption_code_groups.c.site_id == self.site_id,
                redemption_code_groups.c.id == group_id,
            )
            .values(redeemed_codes_count=redemption_code_groups.c.redeemed_codes_count + 1)
        )
        return True
