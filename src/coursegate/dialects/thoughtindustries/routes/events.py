"""`GET /events/<type>`: the 23 event feeds, keyset-paged over the one event log; and
`POST /webhooks` (registration)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries.paging import (
    decode_cursor,
    encode_cursor,
    envelope,
    page_info,
)
from coursegate.dialects.thoughtindustries.schemas import Errors
from coursegate.dialects.thoughtindustries.schemas_events import (
    EventsResponse,
    WebhookCreated,
    WebhookWrite,
)
from coursegate.domain.errors import Invalid, NotFound, Problem
from coursegate.events import feeds, reading, subscriptions
from coursegate.events.model import FeedFilter, LoggedEvent
from coursegate.events.outbox import THOUGHT_INDUSTRIES
from coursegate.platform.gate import Services
from coursegate.platform.http import ctx_of, json, profile_of
from coursegate.platform.ids import is_int_id, is_uuid
from coursegate.platform.wiretime import iso_ms, parse_instant, parse_unix_ms_or_iso

router = APIRouter(tags=["Notifications & Events"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Errors}, 404: {"model": Errors}}

# The observed production client reads 100 events per response (reference §14).
OBSERVED_PAGE_SIZE = 100


def _instant(raw: str | None, name: str, *, end: bool) -> datetime | None:
    if raw is None or raw == "":
        return None
    parsed = parse_unix_ms_or_iso(raw)
    if parsed is None:
        raise Invalid.one(name, "invalid", value=raw[:64])
    # Inclusive at the wire's millisecond precision: endDate=…123 includes …123.999.
    if end and parsed.microsecond % 1000 == 0:
        parsed += timedelta(microseconds=999)
    return parsed


def _uuid(raw: str | None, name: str) -> str | None:
    if raw is None or raw == "":
        return None
    if not is_uuid(raw):
        raise Invalid.one(name, "invalid", value=raw[:64])
    return raw.lower()


def _keyset(raw: str | None) -> tuple[datetime, int] | None:
    key = decode_cursor(raw, {"t", "s"})
    if key is None:
        return None
    at = parse_instant(key["t"]) if isinstance(key["t"], str) else None
    seq = key["s"]
    if at is None or not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 2**63 - 1:
        raise Invalid.one("cursor", "invalid", value=(raw or "")[:64])
    return at, key["s"]


def _millis(event: LoggedEvent) -> int:
    return int(event.occurred_at.timestamp() * 1000)


def _whole_milliseconds(page: list[LoggedEvent], has_more: bool) -> list[LoggedEvent]:
    """Newest-first pages end on a millisecond boundary, so a client that continues with
    endDate = oldest timestamp - 1 ms (the observed client) loses nothing."""
    if not has_more or not page:
        return page
    last = _millis(page[-1])
    trimmed = [e for e in page if _millis(e) != last]
    return trimmed or page


@router.get(
    "/events/{event_type}",
    response_model=EventsResponse,
    responses=ERRORS,
    operation_id="APIEvents",
)
async def event_feed(
    request: Request,
    event_type: Annotated[str, Path(json_schema_extra={"enum": list(feeds.FEEDS)})],
    kind: Annotated[str | None, Query(description="Sub-type, e.g. started, completed")] = None,
    cursor: Annotated[str | None, Query()] = None,
    startDate: Annotated[str | None, Query(description="Unix ms or ISO 8601, inclusive")] = None,
    endDate: Annotated[str | None, Query(description="Unix ms or ISO 8601, inclusive")] = None,
    notifiableId: Annotated[str | None, Query()] = None,
    userId: Annotated[str | None, Query()] = None,
    perPage: Annotated[str | None, Query()] = None,
) -> Response:
    if event_type not in feeds.FEEDS:
        raise NotFound("event type", event_type)
    observed = profile_of(request).envelope == "observed"
    limit = _page_size(request, perPage, observed)
    chosen = feeds.entries(event_type, kind or None)
    plain = sorted({e.domain_type for e in chosen if not e.needs_course})
    course_only = sorted({e.domain_type for e in chosen if e.needs_course})
    flt = FeedFilter(
        types=plain,
        course_types=course_only,
        start=_instant(startDate, "startDate", end=False),
        end=_instant(endDate, "endDate", end=True),
        notifiable_uuid=_uuid(notifiableId, "notifiableId"),
        user_uuid=_uuid(userId, "userId"),
    )
    ctx = ctx_of(request)
    found = await reading.feed_page(ctx, flt, _keyset(cursor), observed, limit)
    page, has_more, total = found.events, found.has_more, found.total
    if observed:
        page = _whole_milliseconds(page, has_more)
    objects: list[dict[str, Any]] = []
    for event in page:
        entry = feeds.entry_for(event_type, event)
        if entry is not None:
            objects.append(
                feeds.event_object(
                    event, event_type, entry, ctx.site.uuid, found.people, found.titles
                )
            )
    next_cursor = None
    if page:
        last = page[-1]
        next_cursor = encode_cursor({"t": last.occurred_at.isoformat(), "s": last.seq})
    payload = {"pageInfo": page_info(limit, total, has_more, next_cursor), "events": objects}
    return json(envelope(request, "APIEvents", payload))


def _page_size(request: Request, raw: str | None, observed: bool) -> int:
    profile = profile_of(request)
    if raw is None or raw == "":
        return OBSERVED_PAGE_SIZE if observed else profile.default_page_size
    text = raw.strip()
    if not is_int_id(text) or int(text) < 1:
        raise Invalid.one("perPage", "invalid", value=raw[:32])
    return min(int(text), profile.max_page_size)


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


@router.post(
    "/webhooks",
    status_code=201,
    response_model=WebhookCreated,
    responses=ERRORS,
    tags=["Webhooks"],
    operation_id="createWebhook",
)
async def create_webhook(request: Request, body: WebhookWrite) -> Response:
    ctx = ctx_of(request)
    secret = body.secret or ""
    if len(secret) < 8 or len(secret) > 128:
        raise Invalid(
            Problem(
                "secret",
                "required" if not secret else "too_short" if len(secret) < 8 else "too_long",
                {"count": 8 if len(secret) < 8 else 128},
            )
        )
    if not secret.isprintable():
        raise Invalid.one("secret", "invalid")
    policy = subscriptions.policy_for(ctx, _services(request).webhook_allow_private_targets)
    try:
        hook = await subscriptions.create(
            ctx,
            THOUGHT_INDUSTRIES,
            list(body.events or []),
            body.url,
            secret,
            created_by=str(request.scope["state"].get("key_row_id")),
            active=body.active,
            policy=policy,
        )
    except Invalid as exc:
        renamed = [
            Problem(
                "url" if p.field == "target_url" else p.field,
                p.code,
                {**p.params, "value": p.params.get("value")},
            )
            for p in exc.problems
        ]
        raise Invalid(*renamed) from exc
    return json(
        {
            "id": hook.uuid,
            "url": hook.target_url,
            "events": hook.topics,
            "active": hook.status == "active",
            "createdAt": iso_ms(hook.created_at),
        },
        201,
    )
