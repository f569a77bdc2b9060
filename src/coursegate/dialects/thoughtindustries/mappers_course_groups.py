"""Platform courses as Thought Industries course groups (reference §8). Every platform course
is one course group holding one course (itself); the group's kind comes from the course type."""

from __future__ import annotations

from typing import Any

from coursegate.dialects.thoughtindustries.mappers import KIND_OF_TYPE, LABELS, TYPE_OF_KIND
from coursegate.domain.errors import Invalid
from coursegate.domain.models import COURSE_TYPES, Course
from coursegate.platform.wiretime import iso_ms

KINDS = sorted({*KIND_OF_TYPE.values(), "microCourse"})


def types_of_kind(kind: str) -> list[str]:
    """Course types shown with this kind (microCourse: none, no platform type maps to it)."""
    if kind not in KINDS:
        raise Invalid.one("kind", "invalid_choice", value=kind, choices=KINDS)
    return [t for t, k in KIND_OF_TYPE.items() if k == kind]


def course_types(raw: str | None, field_name: str) -> list[str] | None:
    """A comma list of course types or kinds; None when absent."""
    if raw is None or not raw.strip():
        return None
    wanted: list[str] = []
    for name in (n.strip() for n in raw.split(",")):
        if not name:
            continue
        found = name if name in COURSE_TYPES else TYPE_OF_KIND.get(name)
        if found is None:
            raise Invalid.one(
                field_name, "invalid_choice", value=name, choices=[*COURSE_TYPES, *KINDS]
            )
        if found not in wanted:
            wanted.append(found)
    return wanted


def course_group(c: Course) -> dict[str, Any]:
    return {
        "id": c.uuid,
        "title": c.title,
        "slug": c.slug,
        "kind": KIND_OF_TYPE.get(c.course_type, "courseGroup"),
        "status": c.status,
        "isTemplate": False,
        "language": c.language,
        "contentType": LABELS.get(c.course_type, "Course"),
        "authors": list(c.authors),
        "description": c.description,
        "displayCourseId": c.uuid,
        "courseCount": 1,
    }


def course_group_detail(c: Course) -> dict[str, Any]:
    return {
        **course_group(c),
        "asset": c.card_image_url,
        "assetAltText": None,
        "detailAsset": None,
        "detailAssetAltText": None,
        "metaTitle": c.title,
        "metaDescription": c.subtitle,
        "customFields": dict(c.custom_fields),
        "isbn": None,
        "source": c.source,
        "externalPurchaseUrl": None,
        "externalDetailUrl": None,
    }


def group_course(c: Course) -> dict[str, Any]:
    return {
        "id": c.uuid,
        "title": c.title,
        "slug": c.slug,
        "status": c.status,
        "courseStartDate": iso_ms(c.published_at),
        "courseEndDate": None,
        "enrollmentStartDate": None,
        "enrollmentEndDate": None,
        "seatsLimit": c.seats_limit,
        "seatsUsed": c.enrollment_count,
        "isDisplayCourse": True,
    }
