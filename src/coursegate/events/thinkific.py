"""Projection of the domain event log onto Thinkific webhook topics and the v2 event envelope.

Which domain events become which topic is data (`TOPICS_BY_EVENT`); payloads follow the first-party
samples of the Thinkific reference §6.6 (`free_trial`, `percentage_completed` as a 0-100 string).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coursegate.events import wire_ids
from coursegate.events.model import LoggedEvent
from coursegate.platform.wiretime import iso_ms, parse_instant

# Every topic Thinkific documents (reference §6.3). Subscriptions accept any of them; the ones
# without an underlying domain event simply never fire here.
TOPICS = (
    "lead.created",
    "order.created",
    "order_transaction.succeeded",
    "order_transaction.failed",
    "order_transaction.refunded",
    "subscription.cancelled",
    "subscription.past_due",
    "subscription.unpaid",
    "user.signup",
    "user.signin",
    "user.updated",
    "enrollment.trial",
    "enrollment.created",
    "enrollment.progress",
    "enrollment.completed",
    "course.created",
    "course.updated",
    "course.deleted",
    "lesson.completed",
    "quiz.attempted",
    "app.uninstalled",
    "product.created",
    "product.updated",
    "product.deleted",
    "plan.updated",
)

# Domain event type -> Thinkific topics (docs/compat/thinkific.md "Webhooks and events").
TOPICS_BY_EVENT: dict[str, tuple[str, ...]] = {
    "user.created": ("user.signup",),
    "user.updated": ("user.updated",),
    "course.created": ("course.created",),
    "course.updated": ("course.updated",),
    "course.deleted": ("course.deleted",),
    "product.created": ("product.created",),
    "product.updated": ("product.updated",),
    "product.deleted": ("product.deleted",),
    "enrollment.created": ("enrollment.created",),
    "enrollment.trial": ("enrollment.trial",),
    # A trial turned into full access is, to Thinkific, the moment the full enrollment exists.
    "enrollment.activated": ("enrollment.created",),
    "enrollment.progressed": ("enrollment.progress",),
    "enrollment.completed": ("enrollment.completed",),
    "lesson.completed": ("lesson.completed",),
    "quiz.attempted": ("quiz.attempted",),
    "order.created": ("order.created",),
}


def topics_for(event_type: str) -> tuple[str, ...]:
    return TOPICS_BY_EVENT.get(event_type, ())


def event_id(event: LoggedEvent) -> str:
    """The envelope `id`: stable for the event, the same on every retry and in /events/{id}."""
    return wire_ids.encode(event.occurred_at, event.seq)


def _when(value: Any) -> str | None:
    if isinstance(value, datetime):
        return iso_ms(value)
    if isinstance(value, str) and value:
        parsed = parse_instant(value)
        return iso_ms(parsed) if parsed else value
    return None


def _person(data: Any) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    return {k: data.get(k) for k in ("id", "email", "first_name", "last_name")}


def _named(data: Any) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    return {"id": data.get("id"), "name": data.get("name", data.get("title"))}


def _percent(value: Any) -> str:
    """Admin API fractions (0-1) become the webhook's 0-100 string, e.g. "24.0"."""
    try:
        return f"{float(value or 0) * 100:.1f}"
    except (TypeError, ValueError):
        return "0.0"


def user_payload(p: dict[str, Any]) -> dict[str, Any]:
    commission = p.get("affiliate_commission")
    return {
        "id": p.get("id"),
        "email": p.get("email"),
        "first_name": p.get("first_name"),
        "last_name": p.get("last_name"),
        "created_at": _when(p.get("created_at")),
        "roles": list(p.get("roles") or []),
        "company": p.get("company"),
        "headline": p.get("headline"),
        "bio": p.get("bio"),
        "avatar_url": p.get("avatar_url"),
        "external_source": p.get("external_source"),
        "custom_profile_fields": list(p.get("custom_profile_fields") or []),
        "administered_course_ids": p.get("administered_course_ids"),
        "affiliate_code": p.get("affiliate_code"),
        "affiliate_commission": None if commission is None else f"{float(commission):.2f}",
        "affiliate_commission_type": p.get("affiliate_commission_type"),
        "affiliate_payout_email": p.get("affiliate_payout_email"),
    }


def enrollment_payload(p: dict[str, Any]) -> dict[str, Any]:
    course = p.get("course") or {}
    return {
        "id": p.get("id"),
        "course_id": course.get("id", p.get("course_id")),
        "course": _named(course),
        "user": _person(p.get("user")),
        "activated_at": _when(p.get("activated_at")),
        "started_at": _when(p.get("started_at")),
        "completed_at": _when(p.get("completed_at")),
        "expiry_date": _when(p.get("expiry_date")),
        "created_at": _when(p.get("created_at")),
        "updated_at": _when(p.get("updated_at")),
        "free_trial": p.get("activated_at") is None,
        "percentage_completed": _percent(p.get("percentage_completed")),
    }


def course_payload(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": p.get("id"),
        "name": p.get("title", p.get("name")),
        "slug": p.get("slug"),
        "product_id": p.get("product_id"),
        "description": p.get("description"),
        "status": p.get("status"),
        "created_at": _when(p.get("created_at")),
        "updated_at": _when(p.get("updated_at")),
    }


def lesson_completed_payload(p: dict[str, Any]) -> dict[str, Any]:
    lesson = p.get("lesson") or {}
    enrollment = p.get("enrollment") or {}
    return {
        "chapter": _named(p.get("chapter")),
        "course": _named(p.get("course")),
        "enrollment": {"id": enrollment.get("id") if isinstance(enrollment, dict) else enrollment},
        "lesson": {
            "id": lesson.get("id"),
            "name": lesson.get("name", lesson.get("title")),
            "position": lesson.get("position"),
            "type": lesson.get("type", lesson.get("kind")),
        },
        "user": _person(p.get("user")),
    }


def _dollars(cents: Any) -> float | None:
    return None if not isinstance(cents, int | float) else round(cents / 100, 2)


def order_payload(p: dict[str, Any]) -> dict[str, Any]:
    """The §6.6 order sample: `amount_dollars` a number, `status` capitalised, a nested coupon."""
    coupon = None
    if p.get("coupon_id") is not None:
        coupon = {
            "id": p.get("coupon_id"),
            "code": p.get("coupon_code"),
            "promotion_id": p.get("promotion_id"),
        }
    status = p.get("status")
    items = [
        {
            "product_id": item.get("product_id"),
            "product_name": item.get("product_name"),
            "amount_dollars": _dollars(item.get("amount_cents")),
            "amount_cents": item.get("amount_cents"),
        }
        for item in (p.get("items") or [])
        if isinstance(item, dict)
    ]
    user: dict[str, Any] = p["user"] if isinstance(p.get("user"), dict) else {}
    return {
        "id": p.get("id"),
        "order_number": p.get("order_number", p.get("id")),
        "created_at": _when(p.get("created_at")),
        "status": status.capitalize() if isinstance(status, str) else status,
        "payment_type": p.get("payment_type", "one-time"),
        "product_id": p.get("product_id"),
        "product_name": p.get("product_name"),
        "amount_cents": p.get("amount_cents"),
        "amount_dollars": _dollars(p.get("amount_cents")),
        "billing_name": p.get("billing_name"),
        "affiliate_referral_code": p.get("affiliate_referral_code"),
        "coupon": coupon,
        "items": items,
        "user": {
            "id": user.get("id", p.get("user_id")),
            "email": user.get("email", p.get("user_email")),
            "first_name": user.get("first_name"),
            "last_name": user.get("last_name"),
        },
    }


def generic_payload(value: Any) -> Any:
    """Resources without a captured sample: the snapshot, minus our internal UUIDs, with
    `title` spelled `name` and instants in Thinkific's millisecond format."""
    if isinstance(value, list):
        return [generic_payload(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in ("uuid", "changed") or key.endswith("_uuid"):
            continue
        name = "name" if key == "title" else key
        if key.endswith("_at") or key.endswith("_date"):
            out[name] = _when(item)
        else:
            out[name] = generic_payload(item)
    return out


def payload_for(event: LoggedEvent) -> dict[str, Any]:
    p = event.payload
    match event.subject_type, event.type:
        case _, "lesson.completed":
            return lesson_completed_payload(p)
        case "user", _:
            return user_payload(p)
        case "enrollment", _:
            return enrollment_payload(p)
        case "course", _:
            return course_payload(p)
        case _, "order.created":
            return order_payload(p)
        case _:
            shaped = generic_payload(p)
            return shaped if isinstance(shaped, dict) else {"value": shaped}


def envelope(event: LoggedEvent, topic: str, tenant_id: int | None) -> dict[str, Any]:
    """The delivered body; `GET /events/{id}` shows the same object without `tenant_id`."""
    resource, _, action = topic.partition(".")
    body: dict[str, Any] = {"id": event_id(event), "resource": resource, "action": action}
    if tenant_id is not None:
        body["tenant_id"] = str(tenant_id)
    body["created_at"] = iso_ms(event.occurred_at)
    body["payload"] = payload_for(event)
    return body
