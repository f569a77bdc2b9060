"""Domain entities as Thinkific Admin API v1 objects (field names and types per the spec)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coursegate.domain.models import AnyEnrollment, Chapter, Course, Lesson, User
from coursegate.platform.wiretime import iso_ms


def course(c: Course) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.title,
        "slug": c.slug,
        "subtitle": c.subtitle,
        "product_id": c.product_id,
        "description": c.description,
        "course_card_text": c.description,
        "intro_video_youtube": None,
        "contact_information": None,
        "keywords": c.keywords
        if c.keywords is not None
        else ",".join(t.label for t in c.tags) or None,
        "duration": None,
        "banner_image_url": c.card_image_url,
        "course_card_image_url": c.card_image_url,
        "intro_video_wistia_identifier": None,
        "administrator_user_ids": [],
        "chapter_ids": list(c.chapter_ids),
        "reviews_enabled": c.reviews_enabled,
        "user_id": c.creator_user_id,
        "instructor_id": c.instructor_id,
    }


def chapter(ch: Chapter) -> dict[str, Any]:
    return {
        "id": ch.id,
        "name": ch.title,
        "position": ch.position,
        "description": ch.description,
        "duration_in_seconds": ch.duration_seconds or 0,
        "content_ids": list(ch.lesson_ids),
    }


def content(lesson: Lesson, base_url: str) -> dict[str, Any]:
    kind = lesson.kind.lower()
    return {
        "id": lesson.id,
        "name": lesson.title,
        "position": lesson.position,
        "chapter_id": lesson.chapter_id,
        "contentable_type": lesson.kind,
        "free": lesson.free_preview,
        "take_url": f"{base_url}/courses/take/{lesson.course_slug}/{kind}s/{lesson.id}-{lesson.slug}",
    }


def user(u: User) -> dict[str, Any]:
    return {
        "id": u.id,
        "created_at": iso_ms(u.created_at),
        "first_name": u.first_name,
        "last_name": u.last_name,
        "full_name": u.full_name,
        "company": u.company,
        "email": u.email,
        "roles": list(u.roles),
        "avatar_url": u.avatar_url,
        "bio": u.bio,
        "headline": u.headline,
        "affiliate_code": u.affiliate_code,
        "external_source": u.external_source,
        "affiliate_commission": u.affiliate_commission,
        "affiliate_commission_type": u.affiliate_commission_type or "%",
        "affiliate_payout_email": u.affiliate_payout_email,
        "administered_course_ids": [],
        "custom_profile_fields": [],
    }


def enrollment(e: AnyEnrollment, now: datetime) -> dict[str, Any]:
    assert e.user is not None and e.course is not None
    return {
        "id": e.id,
        "user_email": e.user.email,
        "user_name": e.user.full_name,
        "user_id": e.user_id,
        "course_name": e.course.title,
        "course_id": e.course_id,
        "percentage_completed": round(e.percentage_completed, 4),
        "expired": e.expired_at(now),
        "is_free_trial": e.is_free_trial,
        "completed": e.completed,
        "started_at": iso_ms(e.started_at),
        "activated_at": iso_ms(e.activated_at),
        "completed_at": iso_ms(e.completed_at),
        "updated_at": iso_ms(e.updated_at),
        "expiry_date": iso_ms(e.expiry_date),
    }
