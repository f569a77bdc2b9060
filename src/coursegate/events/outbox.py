"""Fan-out at append: inside the event's own transaction, queue one delivery per matching
active subscription. A rolled-back change therefore never has a delivery, and a committed one
always has all of its deliveries."""

from __future__ import annotations

from typing import Any

import orjson

from coursegate.events import feeds, thinkific
from coursegate.events.model import LoggedEvent
from coursegate.platform.ids import new_uuid
from coursegate.platform.wiretime import iso_ms
from coursegate.store.database import Unit
from coursegate.store.event_log import EventLogRepo
from coursegate.store.sites import SiteDirectory
from coursegate.store.webhooks import PENDING, DeliveryRepo, WebhookRepo

THINKIFIC = "thinkific"
THOUGHT_INDUSTRIES = "thoughtindustries"

# Names the Thought Industries webhook guide uses, mapped to the feed whose objects they carry.
TI_ALIASES = {
    "enrollment.created": "courseEnrollment",
    "course.completed": "courseCompletion",
    "order.completed": "productPurchase",
}
TI_EVENT_NAMES = (*feeds.FEEDS, *TI_ALIASES)


def encode(body: dict[str, Any]) -> str:
    return orjson.dumps(body).decode()


def _thinkific_bodies(event: LoggedEvent, topics: list[str], site_id: int) -> list[tuple[str, str]]:
    fired = set(thinkific.topics_for(event.type))
    return [(t, encode(thinkific.envelope(event, t, site_id))) for t in topics if t in fired]


async def _ti_bodies(u: Unit, event: LoggedEvent, names: list[str]) -> list[tuple[str, str]]:
    bodies: list[tuple[str, str]] = []
    company: str | None = None
    for name in names:
        feed = TI_ALIASES.get(name, name)
        if feed not in feeds.FEEDS:
            continue
        entry = feeds.entry_for(feed, event)
        if entry is None or (entry.needs_course and not event.course_uuid):
            continue
        if company is None:
            company = (await SiteDirectory(u.conn).by_id(u.site_id)).uuid
        log = EventLogRepo(u)
        people = await log.people([event.user_uuid or ""])
        titles = await log.titles([event.course_uuid or ""])
        data = feeds.event_object(event, feed, entry, company, people, titles)
        body = {"event": name, "timestamp": iso_ms(event.occurred_at), "data": data}
        bodies.append((name, encode(body)))
    return bodies


async def fan_out(u: Unit, event: LoggedEvent) -> int:
    """Queue the event for every active subscription that wants it; returns how many."""
    hooks = await WebhookRepo(u).active()
    if not hooks:
        return 0
    rows: list[dict[str, Any]] = []
    # Subscriptions with the same vendor and topics get the same bodies: made once per event.
    made: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]] = {}
    for hook in hooks:
        topics = list(hook.topics or [])
        key = (hook.vendor, tuple(topics))
        bodies = made.get(key)
        if bodies is None:
            if hook.vendor == THINKIFIC:
                bodies = _thinkific_bodies(event, topics, u.site_id)
            else:
                bodies = await _ti_bodies(u, event, topics)
            made[key] = bodies
        for topic, body in bodies:
            rows.append(
                {
                    "uuid": new_uuid(),
                    "webhook_id": hook.id,
                    "event_seq": event.seq,
                    "topic": topic,
                    "body": body,
                    "status": PENDING,
                    "attempts": 0,
                    "next_attempt_at": u.now,
                    "created_at": u.now,
                }
            )
    await DeliveryRepo(u).add_many(rows)
    return len(rows)
