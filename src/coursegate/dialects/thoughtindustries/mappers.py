"""Domain entities as Thought Industries incoming/v2 objects."""

from __future__ import annotations

from typing import Any

from coursegate.domain.lifecycle_models import Certificate
from coursegate.domain.models import AnyEnrollment, Course, ListedEnrollment, User
from coursegate.platform.ids import slugify
from coursegate.platform.wiretime import iso_ms

# Course types (platform words, from the course-creation guide) and TI content kinds.
KIND_OF_TYPE = {
    "course": "courseGroup",
    "learning_path": "learningPath",
    "webinar": "webinar",
    "video": "video",
    "article": "article",
    "scorm": "shareableContentObject",
    "xapi": "xApiObject",
}
TYPE_OF_KIND = {kind: course_type for course_type, kind in KIND_OF_TYPE.items()}
TYPE_OF_KIND["microCourse"] = "course"
LABELS = {
    "course": "Course",
    "learning_path": "Learning Path",
    "webinar": "Webinar",
    "video": "Video",
    "article": "Article",
    "scorm": "SCORM",
    "xapi": "xAPI",
}


def course(c: Course) -> dict[str, Any]:
    """The course object of the course-creation guide."""
    return {
        "id": c.uuid,
        "title": c.title,
        "slug": c.slug,
        "courseType": c.course_type,
        "publishedStatus": c.status,
        "description": c.description,
        "authors": list(c.authors),
        "tags": [t.label for t in c.tags],
        "externalId": c.external_id,
        "isFree": c.is_free,
        "source": c.source,
        "customFields": dict(c.custom_fields),
        "createdAt": iso_ms(c.created_at),
        "updatedAt": iso_ms(c.updated_at),
    }


def _shade(color: str, factor: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{max(0, min(255, round(v * factor))):02x}" for v in (r, g, b))


def ribbon(c: Course) -> dict[str, Any] | None:
    """The card ribbon: its colour, a darker shade, and black or white text for contrast."""
    if not c.ribbon_label:
        return None
    color = c.ribbon_color or "#333333"
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255
    return {
        "label": c.ribbon_label,
        "slug": slugify(c.ribbon_label),
        "color": color,
        "contrastColor": "#000000" if luminance > 0.6 else "#ffffff",
        "darkerColor": _shade(color, 0.8),
    }


# A content item's fields in wire order, with the values that do not depend on the course:
# each item starts as a copy of this (one C-level copy) and sets the rest, instead of
# building ~80 entries anew (a 25-item search page did that 25 times). Constant arrays are
# tuples (orjson writes them as arrays): shared by every copy, no copy can change them.
_UNSET: Any = None
_ITEM_TEMPLATE: dict[str, Any] = {
    "id": _UNSET,
    "createdAt": _UNSET,
    "updatedAt": _UNSET,
    "expiresAt": None,
    "courseGroup": _UNSET,
    "title": _UNSET,
    "sessionTitle": None,
    "ribbon": _UNSET,
    "slug": _UNSET,
    "kind": _UNSET,
    "metaTitle": _UNSET,
    "language": _UNSET,
    "metaDescription": None,
    "displayCourse": _UNSET,
    "displayCourseSlug": _UNSET,
    "displayDate": _UNSET,
    "availabilityStatus": _UNSET,
    "asset": _UNSET,
    "assetAltText": None,
    "freeWithRegistration": _UNSET,
    "priceInCents": _UNSET,
    "suggestedRetailPriceInCents": None,
    "alternativePricingType": None,
    "alternativePricingRef": None,
    "rating": None,
    "description": _UNSET,
    "sku": _UNSET,
    "hasChildren": _UNSET,
    "tags": _UNSET,
    "status": _UNSET,
    "customFields": _UNSET,
    "authors": _UNSET,
    "authorsAndInstructors": _UNSET,
    "contentTypeLabel": _UNSET,
    "contentTypeAssetAspectRatio": "16:9",
    "waitlistCount": 0,
    "seatsLimit": _UNSET,
    "enrollmentCount": _UNSET,
    "source": _UNSET,
    "publishDate": _UNSET,
    "courseStartDate": _UNSET,
    "courseEndDate": _UNSET,
    "enrollmentStartDate": _UNSET,
    "enrollmentEndDate": _UNSET,
    "timeZone": "UTC",
    "meetingStartDate": None,
    "coursePresold": False,
    "courseGracePeriodEnded": False,
    "currentUserMayReschedule": False,
    "isActive": _UNSET,
    "embeddedEnabled": False,
    "altDescriptionBody": None,
    "hideCourseDescription": False,
    "annotationsEnabled": False,
    "currentUserUnmetCoursePrerequisites": (),
    "currentUserUnmetLearningPathPrerequisites": (),
    "currentUserDueDate": None,
    "url": _UNSET,
    "waitlistingEnabled": False,
    "waitlistingTriggered": False,
    "canAddToQueue": _UNSET,
    "bulkPurchasingEnabled": False,
    "prices": _UNSET,
    "location": None,
    "state": None,
    "acceptBadgeUrl": None,
    "issuedAt": None,
    "badgeUrl": None,
    "credlyBadgeExpiresAt": None,
    "imageUrl": _UNSET,
    "badgeName": None,
    "completedPassedDueDate": False,
}
_PRICE_TEMPLATE: dict[str, Any] = {
    "id": _UNSET,
    "currencyCode": "USD",
    "unitAmount": _UNSET,
    "suggestedRetailUnitAmount": None,
    "annualUnitAmount": None,
    "unitsAmount": (),
    "instructorAccessUnitAmount": None,
    "variations": (),
    "locale": _UNSET,
    "isDefault": True,
    "alternativePricingRef": None,
    "alternativePricingType": None,
    "bulkPurchasingEnabled": False,
    "seatTiers": (),
    "seatPackages": (),
    "lastTierPriceUnitAmount": None,
    "bulkPurchaseTiers": (),
}


def content_item(
    c: Course, base_url: str, instructor_names: list[str] | None = None
) -> dict[str, Any]:
    """A `contentItems[]` entry of GET /content, every documented field present."""
    price = _PRICE_TEMPLATE.copy()
    price["id"] = c.uuid
    price["unitAmount"] = c.price_cents
    price["locale"] = c.language
    authors = list(c.authors)
    published = c.status == "published"
    item = _ITEM_TEMPLATE.copy()
    item["id"] = item["courseGroup"] = item["displayCourse"] = c.uuid
    item["createdAt"] = iso_ms(c.created_at)
    item["updatedAt"] = iso_ms(c.updated_at)
    item["title"] = item["metaTitle"] = c.title
    item["ribbon"] = ribbon(c)
    item["slug"] = item["displayCourseSlug"] = c.slug
    item["kind"] = KIND_OF_TYPE.get(c.course_type, "courseGroup")
    item["language"] = c.language
    item["displayDate"] = iso_ms(c.published_at or c.created_at)
    item["availabilityStatus"] = "available" if published else "unavailable"
    item["asset"] = item["imageUrl"] = c.card_image_url
    item["freeWithRegistration"] = c.is_free
    item["priceInCents"] = 0 if c.is_free else c.price_cents
    item["description"] = c.description
    item["sku"] = c.sku
    item["hasChildren"] = bool(c.chapter_ids)
    item["tags"] = [
        {
            "id": t.uuid,
            "label": t.label,
            "isFolder": False,
            "updatedAt": iso_ms(t.updated_at),
            "description": None,
        }
        for t in c.tags
    ]
    item["status"] = c.status
    item["customFields"] = dict(c.custom_fields)
    item["authors"] = authors
    item["authorsAndInstructors"] = authors + [
        n for n in instructor_names or [] if n not in authors
    ]
    item["contentTypeLabel"] = LABELS.get(c.course_type, "Course")
    item["seatsLimit"] = c.seats_limit
    item["enrollmentCount"] = c.enrollment_count
    item["source"] = c.source
    item["publishDate"] = iso_ms(c.published_at)
    item["courseStartDate"] = iso_ms(c.course_starts_at)
    item["courseEndDate"] = iso_ms(c.course_ends_at)
    item["enrollmentStartDate"] = iso_ms(c.enrollment_starts_at)
    item["enrollmentEndDate"] = iso_ms(c.enrollment_ends_at)
    item["isActive"] = item["canAddToQueue"] = published
    item["url"] = f"{base_url}/learn/course/{c.slug}"
    item["prices"] = [price]
    return item


def user(
    u: User,
    enrollments: list[ListedEnrollment] | None = None,
    certificates: list[Certificate] | None = None,
) -> dict[str, Any]:
    first = u.first_name or ""
    last = u.last_name or ""
    return {
        "id": u.uuid,
        "email": u.email,
        "firstName": first,
        "lastName": last,
        "name": u.full_name,
        "abbreviatedName": f"{first} {last[:1]}.".strip() if last else first,
        "firstInitial": first[:1],
        "lastInitial": last[:1],
        "asset": u.avatar_url,
        "bio": u.bio,
        "externalCustomerId": u.external_customer_id,
        "role": u.platform_role or "learner",
        "status": u.status,
        "lastActiveAt": iso_ms(u.last_active_at),
        "twoFactorEnabled": False,
        "invitedByName": None,
        "shouldHighlight": False,
        "createdAt": iso_ms(u.created_at),
        "updatedAt": iso_ms(u.updated_at),
        "purchasedCourses": [
            purchased_course(e, _by_course(certificates)) for e in enrollments or []
        ],
        "purchasedBundles": [],
        "activeLicense": None,
    }


def _by_course(certificates: list[Certificate] | None) -> dict[int, Certificate]:
    return {c.course_id: c for c in certificates or []}


def purchased_course(
    e: AnyEnrollment, certificates: dict[int, Certificate] | None = None
) -> dict[str, Any]:
    assert e.course is not None
    cert = (certificates or {}).get(e.course_id)
    return {
        "course": {"id": e.course.uuid, "title": e.course.title, "slug": e.course.slug},
        "courseId": e.course.uuid,
        "certificate": cert.uuid if cert else None,
        "certificateIssuedAt": iso_ms(cert.issued_at) if cert else None,
        "instructorAccessPurchased": False,
        "status": "completed"
        if e.completed
        else ("started" if e.percentage_completed > 0 else "enrolled"),
    }
