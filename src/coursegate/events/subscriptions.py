"""Webhook subscriptions: validation, CRUD, the delivery log and manual redelivery.

Dialect-free: topics and event names are checked against the projections' vocabularies; the
dialects only translate wire fields and render errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, NotFound
from coursegate.domain.recording import record
from coursegate.events import thinkific, wire_ids
from coursegate.events.outbox import THINKIFIC, TI_EVENT_NAMES
from coursegate.events.targets import Policy, TargetRefused, check_url
from coursegate.platform.ids import is_uuid, new_uuid
from coursegate.store.webhooks import (
    ACTIVE,
    DISABLED,
    PENDING,
    AttemptRepo,
    DeliveryRepo,
    WebhookRepo,
)


@dataclass(frozen=True, slots=True)
class Webhook:
    id: int
    uuid: str
    vendor: str
    topics: list[str]
    target_url: str
    status: str
    created_by: str | None
    updated_by: str | None
    consecutive_failures: int
    created_at: datetime
    updated_at: datetime

    @property
    def wire_id(self) -> str:
        return wire_ids.encode(self.created_at, self.id)


@dataclass(frozen=True, slots=True)
class Attempt:
    number: int
    attempted_at: datetime
    request_body: str
    response_status: int | None
    response_excerpt: str | None
    error: str | None
    duration_ms: int


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    uuid: str
    webhook_id: int
    event_seq: int
    topic: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    log: list[Attempt]


def _webhook(row: Any) -> Webhook:
    m = row._mapping
    return Webhook(
        id=m["id"],
        uuid=m["uuid"],
        vendor=m["vendor"],
        topics=list(m["topics"] or []),
        target_url=m["target_url"],
        status=m["status"],
        created_by=m["created_by"],
        updated_by=m["updated_by"],
        consecutive_failures=m["consecutive_failures"] or 0,
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


def policy_for(ctx: Ctx, allow_private: bool) -> Policy:
    return Policy(sandbox=ctx.site.sandbox, allow_private=allow_private)


def _check_target(problems: Collector, url: Any, policy: Policy) -> None:
    if not isinstance(url, str) or not url.strip():
        problems.add("target_url", "required")
        return
    try:
        check_url(url, policy)
    except TargetRefused as exc:
        problems.add("target_url", "invalid", reason=str(exc), value=url[:200])


def _check_topics(problems: Collector, vendor: str, topics: list[Any]) -> None:
    known = thinkific.TOPICS if vendor == THINKIFIC else TI_EVENT_NAMES
    field = "topic" if vendor == THINKIFIC else "events"
    if not topics:
        problems.add(field, "required")
    for topic in topics:
        if not isinstance(topic, str) or topic not in known:
            problems.add(field, "invalid_choice", value=topic, choices=list(known))


async def create(
    ctx: Ctx,
    vendor: str,
    topics: list[Any],
    target_url: Any,
    secret: str,
    *,
    created_by: str | None,
    active: bool = True,
    policy: Policy,
) -> Webhook:
    problems = Collector()
    _check_topics(problems, vendor, topics)
    _check_target(problems, target_url, policy)
    problems.raise_if_any()
    async with ctx.writing() as u:
        repo = WebhookRepo(u)
        webhook_id = await repo.create(
            {
                "uuid": new_uuid(),
                "vendor": vendor,
                "topics": list(topics),
                "target_url": str(target_url).strip(),
                "status": ACTIVE if active else DISABLED,
                "secret": secret,
                "created_by": created_by,
                "updated_by": created_by,
                "consecutive_failures": 0,
                "created_at": u.now,
                "updated_at": u.now,
            }
        )
        hook = _webhook(await repo.get(webhook_id))
        await record(u, "webhook.created", "webhook", hook.id, hook.uuid, _snapshot(hook))
        return hook


def _snapshot(hook: Webhook) -> dict[str, Any]:
    # Never the secret: the event log is readable through feeds.
    return {
        "id": hook.id,
        "uuid": hook.uuid,
        "vendor": hook.vendor,
        "topics": hook.topics,
        "target_url": hook.target_url,
        "status": hook.status,
    }


async def get(ctx: Ctx, vendor: str, webhook_id: int) -> Webhook:
    async with ctx.reading() as u:
        row = await WebhookRepo(u).get(webhook_id)
    if row is None or row.vendor != vendor:
        raise NotFound("webhook", webhook_id)
    return _webhook(row)


async def find(ctx: Ctx, vendor: str, wire_id: str) -> Webhook:
    """A hook by its wire id (the Thinkific 23-digit string, or the UUID)."""
    decoded = wire_ids.decode(wire_id)
    if decoded is not None:
        hook = await get(ctx, vendor, decoded[1])
        if hook.wire_id == wire_id:
            return hook
    elif is_uuid(wire_id):
        async with ctx.reading() as u:
            row = await WebhookRepo(u).first(WebhookRepo.table.c.uuid == wire_id)
        if row is not None and row.vendor == vendor:
            return _webhook(row)
    raise NotFound("webhook", wire_id)


async def list_page(ctx: Ctx, vendor: str, offset: int, limit: int) -> tuple[list[Webhook], int]:
    async with ctx.reading() as u:
        repo = WebhookRepo(u)
        rows = await repo.list_page(vendor, offset, limit)
        total = await repo.count_of(vendor)
    return [_webhook(r) for r in rows], total


async def update(
    ctx: Ctx,
    hook: Webhook,
    topics: list[Any],
    target_url: Any,
    *,
    updated_by: str | None,
    policy: Policy,
) -> Webhook:
    """Replace topic and target; a hook disabled for failing is active again after an edit."""
    problems = Collector()
    _check_topics(problems, hook.vendor, topics)
    _check_target(problems, target_url, policy)
    problems.raise_if_any()
    async with ctx.writing() as u:
        repo = WebhookRepo(u)
        await repo.update(
            hook.id,
            {
                "topics": list(topics),
                "target_url": str(target_url).strip(),
                "status": ACTIVE,
                "consecutive_failures": 0,
                "disabled_at": None,
                "updated_by": updated_by,
                "updated_at": u.now,
            },
        )
        hook = _webhook(await repo.get(hook.id))
        await record(u, "webhook.updated", "webhook", hook.id, hook.uuid, _snapshot(hook))
        return hook


async def delete(ctx: Ctx, hook: Webhook) -> None:
    async with ctx.writing() as u:
        await WebhookRepo(u).remove(hook.id)
        await record(u, "webhook.deleted", "webhook", hook.id, hook.uuid, _snapshot(hook))


def _delivery(row: Any, attempts: list[Attempt]) -> Delivery:
    m = row._mapping
    return Delivery(
        id=m["id"],
        uuid=m["uuid"],
        webhook_id=m["webhook_id"],
        event_seq=m["event_seq"],
        topic=m["topic"],
        status=m["status"],
        attempts=m["attempts"],
        next_attempt_at=m["next_attempt_at"],
        last_attempt_at=m["last_attempt_at"],
        delivered_at=m["delivered_at"],
        created_at=m["created_at"],
        log=attempts,
    )


def _attempt(row: Any) -> Attempt:
    return Attempt(
        row.number,
        row.attempted_at,
        row.request_body,
        row.response_status,
        row.response_excerpt,
        row.error,
        row.duration_ms,
    )


async def deliveries(
    ctx: Ctx, hook: Webhook, offset: int, limit: int
) -> tuple[list[Delivery], int]:
    """Newest first, each with its attempt log."""
    async with ctx.reading() as u:
        repo = DeliveryRepo(u)
        rows = await repo.list_page(hook.id, offset, limit)
        total = await repo.count_of(hook.id)
        attempts = await AttemptRepo(u).of_deliveries([r.id for r in rows])
    by_delivery: dict[int, list[Attempt]] = {}
    for a in attempts:
        by_delivery.setdefault(a.delivery_id, []).append(_attempt(a))
    return [_delivery(r, by_delivery.get(r.id, [])) for r in rows], total


async def redeliver(ctx: Ctx, hook: Webhook, delivery_id: int) -> Delivery:
    """Queue a delivery again, now, with the same body (so the same event id)."""
    async with ctx.writing() as u:
        repo = DeliveryRepo(u)
        row = await repo.get(delivery_id)
        if row is None or row.webhook_id != hook.id:
            raise NotFound("delivery", delivery_id)
        await repo.settle(delivery_id, {"status": PENDING, "next_attempt_at": u.now})
        row = await repo.get(delivery_id)
        await record(
            u,
            "webhook.redelivery_requested",
            "webhook",
            hook.id,
            hook.uuid,
            {"delivery_id": delivery_id, "event_seq": row.event_seq},
        )
        attempts = [_attempt(a) for a in await AttemptRepo(u).of_deliveries([delivery_id])]
        return _delivery(row, attempts)


def is_pending(delivery: Delivery) -> bool:
    return delivery.status == PENDING
