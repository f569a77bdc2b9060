"""Webhook subscriptions, the delivery outbox and the attempt log."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from coursegate.store.base import Repo
from coursegate.store.database import OUTBOX_QUEUED, Database, listening, notify
from coursegate.store.tables.platform import sites
from coursegate.store.tables.webhooks import webhook_attempts, webhook_deliveries, webhooks

ACTIVE = "active"
DISABLED = "disabled"
PENDING = "pending"
DELIVERED = "delivered"
UNDELIVERABLE = "undeliverable"
# PostgreSQL NOTIFY channel: a transaction that queued deliveries committed.
OUTBOX_CHANNEL = "coursegate_outbox"
# Above any id a table will reach (ids are 64-bit).
_NO_ID_ABOVE = 2**62


class WebhookRepo(Repo):
    table = webhooks

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def get(self, webhook_id: int) -> Any:
        return await self.first(webhooks.c.id == webhook_id)

    def of_vendor(self, vendor: str) -> Any:
        return self.scoped().where(webhooks.c.vendor == vendor)

    async def list_page(self, vendor: str, offset: int, limit: int) -> list[Any]:
        return await self.page(self.of_vendor(vendor), [webhooks.c.id], offset, limit)

    async def count_of(self, vendor: str) -> int:
        return await self.count(self.of_vendor(vendor))

    async def active(self) -> list[Any]:
        stmt = self.scoped(webhooks.c.id, webhooks.c.vendor, webhooks.c.topics)
        result = await self.conn.execute(stmt.where(webhooks.c.status == ACTIVE))
        return list(result.all())

    async def update(self, webhook_id: int, values: dict[str, Any]) -> None:
        await self.update_row(webhook_id, values)

    async def remove(self, webhook_id: int) -> None:
        # Deliveries and their attempt log go with the subscription (ON DELETE CASCADE is not
        # enforced by every SQLite connection, so delete them explicitly).
        deliveries = select(webhook_deliveries.c.id).where(
            webhook_deliveries.c.site_id == self.site_id,
            webhook_deliveries.c.webhook_id == webhook_id,
        )
        await self.conn.execute(
            delete(webhook_attempts).where(webhook_attempts.c.delivery_id.in_(deliveries))
        )
        await self.conn.execute(
            delete(webhook_deliveries).where(
                webhook_deliveries.c.site_id == self.site_id,
                webhook_deliveries.c.webhook_id == webhook_id,
            )
        )
        await self.conn.execute(
            delete(webhooks).where(webhooks.c.site_id == self.site_id, webhooks.c.id == webhook_id)
        )

    async def note_success(self, webhook_id: int) -> None:
        await self.update_row(webhook_id, {"consecutive_failures": 0})

    async def note_successes(self, webhook_ids: Sequence[int]) -> None:
        """`note_success` for several hooks in one statement (rows already at 0 are left alone)."""
        if webhook_ids:
            await self.conn.execute(
                update(webhooks)
                .where(
                    webhooks.c.site_id == self.site_id,
                    webhooks.c.id.in_(sorted(set(webhook_ids))),
                    webhooks.c.consecutive_failures != 0,
                )
                .values(consecutive_failures=0)
            )

    async def note_failure(self, webhook_id: int) -> int:
        """Count one more failed attempt; returns the new consecutive count."""
        stmt = (
            update(webhooks)
            .where(webhooks.c.site_id == self.site_id, webhooks.c.id == webhook_id)
            .values(consecutive_failures=webhooks.c.consecutive_failures + 1)
            .returning(webhooks.c.consecutive_failures)
        )
        return int((await self.conn.execute(stmt)).scalar_one())


class DeliveryRepo(Repo):
    table = webhook_deliveries

    async def add_many(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            values = [{"site_id": self.site_id, **row} for row in rows]
            await self.conn.execute(insert(webhook_deliveries), values)
            # Wake workers when (and only if) this transaction commits: PostgreSQL delivers
            # NOTIFY at commit and drops it on rollback; `Database.write` does the same for
            # workers in this process.
            self.conn.info[OUTBOX_QUEUED] = True
            await notify(self.conn, OUTBOX_CHANNEL)

    async def get(self, delivery_id: int) -> Any:
        return await self.first(webhook_deliveries.c.id == delivery_id)

    def of_webhook(self, webhook_id: int) -> Any:
        return self.scoped().where(webhook_deliveries.c.webhook_id == webhook_id)

    async def list_page(self, webhook_id: int, offset: int, limit: int) -> list[Any]:
        order = [webhook_deliveries.c.id.desc()]
        return await self.page(self.of_webhook(webhook_id), order, offset, limit)

    async def count_of(self, webhook_id: int) -> int:
        return await self.count(self.of_webhook(webhook_id))

    async def of_event(self, event_seq: int) -> list[Any]:
        stmt = self.scoped().where(webhook_deliveries.c.event_seq == event_seq)
        return list((await self.conn.execute(stmt.order_by(webhook_deliveries.c.id))).all())

    def _due_heads(self, site_now: datetime, real_now: datetime) -> Any:
        """Due, unleased deliveries of active hooks with nothing earlier pending to the same
        hook: the head of each endpoint's queue, so each endpoint sees events in order.

        Found per active hook (the lowest pending id, one probe of the `(webhook_id, status,
        id)` index), not per pending delivery: the cost follows the number of subscriptions,
        not the backlog."""
        d = webhook_deliveries
        head = webhook_deliveries.alias("head")
        first_pending = (
            select(func.min(head.c.id))
            .where(head.c.webhook_id == webhooks.c.id, head.c.status == PENDING)
            .scalar_subquery()
        )
        return (
            select(d.c.id, webhooks.c.vendor)
            .select_from(webhooks)
            .join(d, d.c.id == first_pending)
            .where(
                webhooks.c.site_id == self.site_id,
                webhooks.c.status == ACTIVE,
                d.c.site_id == self.site_id,
                d.c.status == PENDING,
                d.c.next_attempt_at <= site_now,
                or_(d.c.lease_until.is_(None), d.c.lease_until < real_now),
            )
            .order_by(d.c.id)
        )

    async def any_due(self, site_now: datetime, real_now: datetime) -> bool:
        """A lock-free look before taking the write lock to claim."""
        result = await self.conn.execute(self._due_heads(site_now, real_now).limit(1))
        return result.first() is not None

    def _queue_fronts(self, site_now: datetime, real_now: datetime, per_endpoint: int) -> Any:
        """The first `per_endpoint` pending deliveries of each active hook that are due and
        unleased, with the full row, the hook's vendor, secret and target, and `queue_rank`:
        how many pending deliveries of the same hook come before it (0 for the head).

        Each hook's `per_endpoint`-th pending id is found first (one probe of the `(webhook_id,
        status, id)` index), so the deliveries are read as one index range per hook: the cost
        follows the number of subscriptions and the rows claimed, not the backlog."""
        d = webhook_deliveries
        nth = webhook_deliveries.alias("nth")
        earlier = webhook_deliveries.alias("earlier")
        last_id = (
            select(nth.c.id)
            .where(nth.c.webhook_id == webhooks.c.id, nth.c.status == PENDING)
            .order_by(nth.c.id)
            .offset(per_endpoint - 1)
            .limit(1)
            .scalar_subquery()
        )
        hooks = (
            select(
                webhooks.c.id,
                webhooks.c.vendor,
                webhooks.c.secret,
                webhooks.c.target_url,
                last_id.label("last_id"),
            )
            .where(webhooks.c.site_id == self.site_id, webhooks.c.status == ACTIVE)
            # OFFSET keeps PostgreSQL from merging this into the outer query (it would then
            # test every pending delivery against its hook's bound instead of seeking to it).
            .offset(0)
            .subquery("fronts")
        )
        rank = (
            select(func.count())
            .select_from(earlier)
            .where(
                earlier.c.webhook_id == d.c.webhook_id,
                earlier.c.status == PENDING,
                earlier.c.id < d.c.id,
            )
            .scalar_subquery()
        )
        return (
            select(d, hooks.c.vendor, hooks.c.secret, hooks.c.target_url, rank.label("queue_rank"))
            .select_from(hooks)
            .join(
                d,
                and_(
                    d.c.webhook_id == hooks.c.id,
                    d.c.status == PENDING,
                    # Fewer than `per_endpoint` pending: the whole (short) queue.
                    d.c.id <= func.coalesce(hooks.c.last_id, _NO_ID_ABOVE),
                ),
            )
            .where(
                # `+ 0`: a check on each row found, not an index to search by (SQLite would
                # otherwise walk the site's deliveries below the bound instead of the queue).
                d.c.site_id + 0 == self.site_id,
                d.c.next_attempt_at <= site_now,
                or_(d.c.lease_until.is_(None), d.c.lease_until < real_now),
            )
            .order_by(d.c.id)
        )

    async def claim(
        self,
        site_now: datetime,
        real_now: datetime,
        lease_until: Callable[[str], datetime],
        limit: int,
        *,
        per_endpoint: int = 1,
        skip_locked: bool,
    ) -> list[Any]:
        """Lease up to `limit` due deliveries, at most `per_endpoint` per hook and always the
        front of its queue: a hook's claimed rows are its head and the deliveries right after
        it, which the worker posts one after another (per-endpoint order).
        `lease_until(vendor)` says for how long.

        On PostgreSQL the rows are locked with SKIP LOCKED and re-checked (due, unleased) at
        their latest version; a hook whose rows do not start at its head or leave a gap (a row
        another worker holds or has just leased) is left to the next pass."""
        d = webhook_deliveries
        stmt = self._queue_fronts(site_now, real_now, max(1, per_endpoint)).limit(limit)
        if skip_locked:
            stmt = stmt.with_for_update(skip_locked=True, of=d)
        found = (await self.conn.execute(stmt)).all()
        taken: dict[int, int] = {}  # hook -> rows taken so far
        refused: set[int] = set()
        claimed = []
        for row in found:
            if row.webhook_id in refused:
                continue
            position = taken.get(row.webhook_id, 0)
            if row.queue_rank != position:  # not the head, or a gap: order could break
                refused.add(row.webhook_id)
                continue
            taken[row.webhook_id] = position + 1
            claimed.append((row, lease_until(row.vendor)))
        if claimed:
            await self.conn.execute(
                update(d)
                .where(d.c.site_id == self.site_id, d.c.id == bindparam("delivery_id"))
                .values(lease_until=bindparam("leased_until")),
                [{"delivery_id": row.id, "leased_until": until} for row, until in claimed],
            )
        return [row for row, _until in claimed]

    async def release(self, delivery_ids: Sequence[int]) -> None:
        """Give up leases on deliveries claimed but not attempted (an earlier one of the same
        subscription failed, or its run ran out of lease time)."""
        if delivery_ids:
            d = webhook_deliveries
            await self.conn.execute(
                update(d)
                .where(d.c.site_id == self.site_id, d.c.id.in_(sorted(delivery_ids)))
                .values(lease_until=None)
            )

    async def settle(self, delivery_id: int, values: dict[str, Any]) -> None:
        await self.update_row(delivery_id, {**values, "lease_until": None})

    async def settle_delivered(self, attempts: Sequence[tuple[int, int]], now: datetime) -> None:
        """Mark deliveries delivered at `now`; `attempts`: (delivery id, attempts made)."""
        if not attempts:
            return
        d = webhook_deliveries
        stmt = (
            update(d)
            .where(d.c.site_id == self.site_id, d.c.id == bindparam("delivery_id"))
            .values(
                status=DELIVERED,
                attempts=bindparam("attempts_made"),
                last_attempt_at=now,
                delivered_at=now,
                lease_until=None,
            )
        )
        params = [{"delivery_id": i, "attempts_made": n} for i, n in attempts]
        await self.conn.execute(stmt, params)


class AttemptRepo(Repo):
    table = webhook_attempts

    async def add(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def add_many(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            values = [{"site_id": self.site_id, **row} for row in rows]
            await self.conn.execute(insert(webhook_attempts), values)

    async def of_deliveries(self, delivery_ids: Sequence[int]) -> list[Any]:
        if not delivery_ids:
            return []
        stmt = self.scoped().where(webhook_attempts.c.delivery_id.in_(list(delivery_ids)))
        return list((await self.conn.execute(stmt.order_by(webhook_attempts.c.id))).all())


class OutboxDirectory:
    """The worker's one cross-site question: which sites have deliveries waiting?"""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def sites_with_pending(self, real_now: datetime) -> list[Any]:
        d = webhook_deliveries
        waiting = (
            select(d.c.site_id)
            .where(
                d.c.status == PENDING, or_(d.c.lease_until.is_(None), d.c.lease_until < real_now)
            )
            .distinct()
        )
        result = await self.conn.execute(select(sites).where(sites.c.id.in_(waiting)))
        return list(result.all())

    async def pending_total(self) -> int:
        stmt = (
            select(func.count())
            .select_from(webhook_deliveries)
            .where(and_(webhook_deliveries.c.status == PENDING))
        )
        return int((await self.conn.execute(stmt)).scalar_one())


@asynccontextmanager
async def outbox_notifications(db: Database, wake: Callable[[], None]) -> AsyncIterator[None]:
    """Call `wake` whenever a transaction that queued deliveries commits, in any process.
    PostgreSQL: LISTEN on a connection held for the duration; elsewhere the committing process's
    own `Database.write` calls it (other processes fall back to polling)."""
    remove = db.on_outbox_commit(wake)
    try:
        async with listening(db, OUTBOX_CHANNEL, wake):
            yield
    finally:
        remove()
