"""Thinkific Webhooks API v2 and Events API, plus the delivery log (coursegate extensions)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from coursegate.dialects.thinkific.v2 import schemas
from coursegate.dialects.thinkific.v2.paging import PageDep, listing
from coursegate.dialects.thinkific.wire import ThinkificWire
from coursegate.domain.errors import NotFound
from coursegate.events import reading, signing, subscriptions, thinkific, wire_ids
from coursegate.events.outbox import THINKIFIC
from coursegate.events.subscriptions import Delivery, Webhook
from coursegate.platform.gate import Services
from coursegate.platform.http import ctx_of, empty, json
from coursegate.platform.ids import is_int_id
from coursegate.platform.wiretime import iso_ms

router = APIRouter()
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": schemas.ErrorNotFound}}
INVALID: dict[int | str, dict[str, Any]] = {422: {"model": schemas.UnprocessableEntityError}}


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _policy(request: Request) -> subscriptions.Policy:
    return subscriptions.policy_for(
        ctx_of(request), _services(request).webhook_allow_private_targets
    )


def _actor(request: Request) -> str | None:
    row_id = request.scope["state"].get("key_row_id")
    return None if row_id is None else str(row_id)


def _number(value: str | None) -> int | None:
    return int(value) if value is not None and is_int_id(value) else None


def webhook_wire(hook: Webhook) -> dict[str, Any]:
    return {
        "id": hook.wire_id,
        "status": hook.status,
        "topic": hook.topics[0] if hook.topics else "",
        "created_at": iso_ms(hook.created_at),
        "created_by": _number(hook.created_by),
        "updated_at": iso_ms(hook.updated_at),
        "updated_by": _number(hook.updated_by),
        "target_url": hook.target_url,
    }


def delivery_wire(delivery: Delivery, body_event_id: str | None) -> dict[str, Any]:
    return {
        "id": str(delivery.id),
        "topic": delivery.topic,
        "event_id": body_event_id,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": iso_ms(delivery.next_attempt_at)
        if subscriptions.is_pending(delivery)
        else None,
        "delivered_at": iso_ms(delivery.delivered_at),
        "created_at": iso_ms(delivery.created_at),
        "log": [
            {
                "number": a.number,
                "attempted_at": iso_ms(a.attempted_at),
                "request_body": a.request_body,
                "response_status": a.response_status,
                "response_excerpt": a.response_excerpt,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in delivery.log
        ],
    }


def _event_id_of(delivery: Delivery) -> str | None:
    for attempt in delivery.log[:1]:
        return str(orjson.loads(attempt.request_body).get("id"))
    return None


def _topic_of(body: schemas.WebhookRequest) -> list[Any]:
    return [] if body.topic is None or body.topic == "" else [body.topic]


@router.get(
    "/webhooks",
    response_model=schemas.GetWebhooksResponse,
    tags=["Webhooks"],
    summary="Get Webhooks",
)
async def list_webhooks(request: Request, page: PageDep) -> Response:
    hooks, total = await subscriptions.list_page(
        ctx_of(request), THINKIFIC, page.offset, page.limit
    )
    return json(listing([webhook_wire(h) for h in hooks], page, total))


@router.post(
    "/webhooks",
    status_code=201,
    response_model=schemas.WebhookResponse,
    responses=INVALID,
    tags=["Webhooks"],
    summary="Create Webhook",
)
async def create_webhook(request: Request, body: schemas.WebhookRequest) -> Response:
    # Signed with a key derived from the API key that creates the hook (events/signing.py).
    api_key, _ = ThinkificWire().credentials(dict(request.scope["headers"]))
    secret = signing.thinkific_signing_key(api_key or "")
    hook = await subscriptions.create(
        ctx_of(request),
        THINKIFIC,
        _topic_of(body),
        body.target_url,
        secret,
        created_by=_actor(request),
        policy=_policy(request),
    )
    return json(webhook_wire(hook), 201)


@router.get(
    "/webhooks/{id}",
    response_model=schemas.WebhookResponse,
    responses=NOT_FOUND,
    tags=["Webhooks"],
    summary="Get Webhook by ID",
    operation_id="getWebhookByID",
)
async def get_webhook(request: Request, id: str) -> Response:
    return json(webhook_wire(await subscriptions.find(ctx_of(request), THINKIFIC, id)))


@router.put(
    "/webhooks/{id}",
    response_model=schemas.WebhookResponse,
    responses={**NOT_FOUND, **INVALID},
    tags=["Webhooks"],
    summary="Update Webhook by ID",
    operation_id="updateWebhookByID",
)
async def update_webhook(request: Request, id: str, body: schemas.WebhookRequest) -> Response:
    ctx = ctx_of(request)
    hook = await subscriptions.find(ctx, THINKIFIC, id)
    hook = await subscriptions.update(
        ctx,
        hook,
        _topic_of(body),
        body.target_url,
        updated_by=_actor(request),
        policy=_policy(request),
    )
    return json(webhook_wire(hook))


@router.delete(
    "/webhooks/{id}",
    status_code=204,
    responses=NOT_FOUND,
    tags=["Webhooks"],
    summary="Delete Webhook by ID",
    operation_id="deleteWebhookByID",
)
async def delete_webhook(request: Request, id: str) -> Response:
    ctx = ctx_of(request)
    await subscriptions.delete(ctx, await subscriptions.find(ctx, THINKIFIC, id))
    return empty(204)


@router.get(
    "/webhooks/{id}/deliveries",
    response_model=schemas.GetDeliveriesResponse,
    responses=NOT_FOUND,
    tags=["Deliveries (coursegate extension)"],
    summary="Delivery log of a webhook, newest first",
)
async def list_deliveries(request: Request, id: str, page: PageDep) -> Response:
    ctx = ctx_of(request)
    hook = await subscriptions.find(ctx, THINKIFIC, id)
    found, total = await subscriptions.deliveries(ctx, hook, page.offset, page.limit)
    items = [delivery_wire(d, _event_id_of(d) or await _body_event_id(request, d)) for d in found]
    return json(listing(items, page, total))


@router.post(
    "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
    response_model=schemas.DeliveryResponse,
    responses=NOT_FOUND,
    tags=["Deliveries (coursegate extension)"],
    summary="Queue a delivery again now, with the same body and event id",
)
async def redeliver(request: Request, id: str, delivery_id: str) -> Response:
    ctx = ctx_of(request)
    hook = await subscriptions.find(ctx, THINKIFIC, id)
    if not is_int_id(delivery_id) or len(delivery_id) > 18:
        raise NotFound("delivery", delivery_id)
    delivery = await subscriptions.redeliver(ctx, hook, int(delivery_id))
    return json(
        delivery_wire(delivery, _event_id_of(delivery) or await _body_event_id(request, delivery))
    )


async def _body_event_id(request: Request, delivery: Delivery) -> str | None:
    """Before the first attempt the event id comes from the event itself."""
    event = await reading.event_by_seq(ctx_of(request), delivery.event_seq)
    return None if event is None else thinkific.event_id(event)


@router.get(
    "/events/{id}",
    response_model=schemas.EventResponse,
    responses=NOT_FOUND,
    tags=["Events"],
    summary="Get Event by ID",
    operation_id="getEventByID",
)
async def get_event(request: Request, id: str) -> Response:
    decoded = wire_ids.decode(id)
    if decoded is None:
        raise NotFound("event", id)
    event = await reading.event_by_seq(ctx_of(request), decoded[1])
    topics = () if event is None else thinkific.topics_for(event.type)
    if event is None or not topics or thinkific.event_id(event) != id:
        raise NotFound("event", id)
    return json(thinkific.envelope(event, topics[0], None))
