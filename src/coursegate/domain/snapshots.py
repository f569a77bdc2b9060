"""Dialect-free snapshots of entities, stored in event payloads (state right after a change)."""

from __future__ import annotations

from typing import Any

from coursegate.domain.models import Course, Enrollment, User


def user_snapshot(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "uuid": user.uuid,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "company": user.company,
        "headline": user.headline,
        "bio": user.bio,
        "avatar_url": user.avatar_url,
        "roles": list(user.roles),
        "external_source": user.external_source,
        "external_customer_id": user.external_customer_id,
        "affiliate_code": user.affiliate_code,
        "affiliate_commission": user.affiliate_commission,
        "affiliate_commission_type": user.affiliate_commission_type,
        "affiliate_payout_email": user.affiliate_payout_email,
        "status": user.status,
        "created_at": user.created_at,
    }


def course_snapshot(course: Course) -> dict[str, Any]:
    return {
        "id": course.id,
        "uuid": course.uuid,
        "title": course.title,
        "slug": course.slug,
        "course_type": course.course_type,
        "status": course.status,
        "description": course.description,
        "external_id": course.external_id,
        "product_id": course.product_id,
        "is_free": course.is_free,
        "created_at": course.created_at,
        "updated_at": course.updated_at,
    }


def enrollment_snapshot(enrollment: Enrollment) -> dict[str, Any]:
    user = enrollment.user
    course = enrollment.course
    return {
        "id": enrollment.id,
        "uuid": enrollment.uuid,
        "user": None
        if user is None
        else {
            "id": user.id,
            "uuid": user.uuid,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
        },
        "course": None
        if course is None
        else {
            "id": course.id,
            "uuid": course.uuid,
            "title": course.title,
        },
        "activated_at": enrollment.activated_at,
        "expiry_date": enrollment.expiry_date,
        "started_at": enrollment.started_at,
        "completed_at": enrollment.completed_at,
        "percentage_completed": enrollment.percentage_completed,
        "source": enrollment.source,
        "created_at": enrollment.created_at,
        "updated_at": enrollment.updated_at,
    }
