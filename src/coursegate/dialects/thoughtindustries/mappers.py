"""Domain entities as Thought Industries incoming/v2 objects."""

from __future__ import annotations

from typing import Any

from coursegate.domain.lifecycle_models import Certificate
from coursegate.domain.models import Course, Enrollment, User
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


def content_item(
    c: Course, base_url: str, instructor_names: list[str] | None = None
) -> dict[str, Any]:
    """A `contentItems[]` entry of GET /content, every documented field present."""
    price = {
        "id": c.uuid,
        "currencyCode": "USD",
        "unitAmount": c.price_cents,
        "suggestedRetailUnitAmount": None,
        "annualUnitAmount": None,
        "unitsAmount": [],
        "instructorAccessUnitAmount": None,
        "variations": [],
        "locale": c.language,
        "isDefault": True,
        "alternativePricingRef": None,
        "alternativePricingType": None,
        "bulkPurchasingEnabled": False,
        "seatTiers": [],
        "seatPackages": [],
        "lastTierPriceUnitAmount": None,
        "bulkPurchaseTiers": [],
    }
    authors = list(c.authors)
    return {
        "id": c.uuid,
        "createdAt": iso_ms(c.created_at),
        "updatedAt": iso_ms(c.updated_at),
        "expiresAt": None,
        "courseGroup": c.uuid,
        "title": c.title,
        "sessionTitle": None,
        "ribbon": ribbon(c),
        "slug": c.slug,
        "kind": KIND_OF_TYPE.get(c.course_type, "courseGroup"),
        "metaTitle": c.title,
        "language": c.language,
        "metaDescription": None,
        "displayCourse": c.uuid,
        "displayCourseSlug": c.slug,
        "displayDate": iso_ms(c.published_at or c.created_at),
        "availabilityStatus": "available" if c.status == "published" else "unavailable",
        "asset": c.card_image_url,
        "assetAltText": None,
        "freeWithRegistration": c.is_free,
        "priceInCents": 0 if c.is_free else c.price_cents,
        "suggestedRetailPriceInCents": None,
        "alternativePricingType": None,
        "alternativePricingRef": None,
        "rating": None,
        "description": c.description,
        "sku": c.sku,
        "hasChildren": bool(c.chapter_ids),
        "tags": [
            {
                "id": t.uuid,
                "label": t.label,
                "isFolder": False,
                "updatedAt": iso_ms(t.updated_at),
                "description": None,
            }
            for t in c.tags
        ],
        "status": c.status,
        "customFields": dict(c.custom_fields),
        "authors": authors,
        "authorsAndInstructors": authors + [n for n in instructor_names or [] if n not in authors],
        "contentTypeLabel": LABELS.get(c.course_type, "Course"),
        "contentTypeAssetAspectRatio": "16:9",
        "waitlistCount": 0,
        "seatsLimit": c.seats_limit,
        "enrollmentCount": c.enrollment_count,
        "source": c.source,
        "publishDate": iso_ms(c.published_at),
        "courseStartDate": iso_ms(c.course_starts_at),
        "courseEndDate": iso_ms(c.course_ends_at),
        "enrollmentStartDate": iso_ms(c.enrollment_starts_at),
        "enrollmentEndDate": iso_ms(c.enrollment_ends_at),
        "timeZone": "UTC",
        "meetingStartDate": None,
        "coursePresold": False,
        "courseGracePeriodEnded": False,
        "currentUserMayReschedule": False,
        "isActive": c.status == "published",
        "embeddedEnabled": False,
        "altDescriptionBody": None,
        "hideCourseDescription": False,
        "annotationsEnabled": False,
        "currentUserUnmetCoursePrerequisites": [],
        "currentUserUnmetLearningPathPrerequisites": [],
        "currentUserDueDate": None,
        "url": f"{base_url}/learn/course/{c.slug}",
        "waitlistingEnabled": False,
        "waitlistingTriggered": False,
        "canAddToQueue": c.status == "published",
        "bulkPurchasingEnabled": False,
        "prices": [price],
        "location": None,
        "state": None,
        "acceptBadgeUrl": None,
        "issuedAt": None,
        "badgeUrl": None,
        "credlyBadgeExpiresAt": None,
        "imageUrl": c.card_image_url,
        "badgeName": None,
        "completedPassedDueDate": False,
    }


def user(
    u: User,
    enrollments: list[Enrollment] | None = None,
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
    e: Enrollment, certificates: dict[int, Certificate] | None = None
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
