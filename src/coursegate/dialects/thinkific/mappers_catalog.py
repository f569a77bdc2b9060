"""Catalog and people entities as Thinkific Admin API v1 objects (names and types per spec)."""

from __future__ import annotations

from typing import Any

from coursegate.domain.offering_models import (
    Bundle,
    Category,
    CourseReview,
    Group,
    Instructor,
    ProductDetail,
    ProductPrice,
    ProfileFieldDefinition,
    ProfileFieldValue,
    PublishRequest,
    SiteScript,
)
from coursegate.platform.wiretime import iso_ms


def dollars(cents: int | None) -> str | None:
    """Thinkific prices are strings of dollars: 1999 -> "19.99"."""
    return None if cents is None else f"{cents // 100}.{cents % 100:02d}"


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)


def price(p: ProductPrice, product_name: str) -> dict[str, Any]:
    return {
        "id": p.id,
        "is_primary": p.is_primary,
        "payment_type": p.payment_type,
        "label": p.label,
        "price": dollars(p.price_cents),
        "days_until_expiry": _text(p.days_until_expiry),
        "pay_button_text": p.pay_button_text,
        "number_of_payments": _text(p.number_of_payments),
        "interval": p.interval,
        "interval_count": _text(p.interval_count),
        "trial_interval": p.trial_interval,
        "trial_interval_count": _text(p.trial_interval_count),
        "custom_first_price": dollars(p.custom_first_price_cents),
        "price_name": product_name
        if p.is_primary or not p.label
        else f"{product_name} - {p.label}",
        "currency": p.currency,
    }


def product(d: ProductDetail) -> dict[str, Any]:
    p = d.product
    return {
        "id": p.id,
        "created_at": iso_ms(p.created_at),
        "productable_id": p.productable_id,
        "productable_type": p.productable_type,
        "price": p.price_cents / 100,
        "position": p.position,
        "status": p.status,
        "name": p.name,
        "private": p.private,
        "hidden": p.hidden,
        "subscription": any(x.payment_type == "subscription" for x in d.prices),
        "days_until_expiry": p.days_until_expiry,
        "has_certificate": False,
        "keywords": d.keywords,
        "seo_title": None,
        "seo_description": None,
        "collection_ids": list(d.category_ids),
        "related_product_ids": list(d.related_ids),
        "description": p.description,
        "card_image_url": d.card_image_url,
        "slug": p.slug,
        "product_prices": [price(x, p.name) for x in d.prices],
    }


def bundle(b: Bundle) -> dict[str, Any]:
    return {
        "id": b.id,
        "name": b.name,
        "description": b.description,
        "tagline": b.tagline,
        "banner_image_url": b.card_image_url,
        "course_ids": list(b.course_ids),
        "bundle_card_image_url": b.card_image_url,
    }


def category(c: Category) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "description": c.description,
        "slug": c.slug,
        "created_at": iso_ms(c.created_at),
        "product_ids": list(c.product_ids),
        "default": c.is_default,
    }


def instructor(i: Instructor) -> dict[str, Any]:
    return {
        "id": i.id,
        "user_id": i.user_id,
        "title": i.title,
        "first_name": i.first_name,
        "last_name": i.last_name,
        "bio": i.bio,
        "slug": i.slug,
        "avatar_url": i.avatar_url,
        "email": i.email,
        "created_at": iso_ms(i.created_at),
    }


def review(r: CourseReview) -> dict[str, Any]:
    return {
        "id": r.id,
        "rating": r.rating,
        "title": r.title,
        "review_text": r.review_text,
        "user_id": r.user_id,
        "course_id": r.course_id,
        "approved": r.approved,
        "created_at": iso_ms(r.created_at),
    }


def profile_definition(d: ProfileFieldDefinition) -> dict[str, Any]:
    return {"id": d.id, "label": d.label, "field_type": d.field_type, "required": d.required}


def profile_values(values: list[ProfileFieldValue]) -> list[dict[str, Any]]:
    return [
        {
            "id": v.id,
            "value": v.value,
            "label": v.label,
            "custom_profile_field_definition_id": v.definition_id,
        }
        for v in values
    ]


def group(g: Group) -> dict[str, Any]:
    return {"id": g.id, "name": g.name, "token": g.token, "created_at": iso_ms(g.created_at)}


def site_script(s: SiteScript) -> dict[str, Any]:
    body: dict[str, Any] = {"id": s.uuid}
    # Exactly one of src / content is a script's source; the other key is left out.
    if s.src is not None:
        body["src"] = s.src
    else:
        body["content"] = s.content
    return {
        **body,
        "name": s.name,
        "description": s.description,
        "page_scopes": list(s.page_scopes),
        "location": s.location,
        "load_method": s.load_method,
        "category": s.category,
        "created_at": iso_ms(s.created_at),
        "updated_at": iso_ms(s.updated_at),
    }


def publish_request(r: PublishRequest) -> dict[str, Any]:
    return {
        "id": r.id,
        "product_id": r.product_id,
        "status": r.status,
        "response_text": r.response_text,
        "requesting_user_id": r.requesting_user_id,
        "responding_user_id": r.responding_user_id,
        "completed_at": iso_ms(r.completed_at),
        "created_at": iso_ms(r.created_at),
        "updated_at": iso_ms(r.updated_at),
    }
