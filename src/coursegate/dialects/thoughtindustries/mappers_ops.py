"""Assessments, meetings, Panorama and SSO log entities as Thought Industries objects."""

from __future__ import annotations

from typing import Any

from coursegate.dialects.thoughtindustries.mappers import course as course_object
from coursegate.dialects.thoughtindustries.mappers import user as user_object
from coursegate.domain.models_ops import (
    AssessmentAttempt,
    AssignmentSubmission,
    Client,
    License,
    Meeting,
    SsoLogEntry,
)
from coursegate.platform.wiretime import iso_ms


def assessment_attempt(a: AssessmentAttempt) -> dict[str, Any]:
    assert a.user is not None and a.course is not None
    return {
        "id": a.uuid,
        "assessment": {
            "id": a.lesson_uuid,
            "type": a.assessment_type,
            "title": a.assessment_title,
            "minPassingPercent": a.min_passing_percent,
        },
        "answers": [
            {
                "id": x["id"],
                "question": x["question"],
                "answer": x["answer"],
                "correct": bool(x["correct"]),
                "hasDefaultGrade": bool(x.get("has_default_grade", False)),
            }
            for x in a.answers
        ],
        "courseId": a.course.uuid,
        "course": course_object(a.course),
        "userId": a.user.uuid,
        "user": user_object(a.user),
        "score": a.score,
        "grade": a.score,
        "passed": a.passed,
        "status": "passed" if a.passed else "failed",
        "startedAt": iso_ms(a.started_at),
        "completedAt": iso_ms(a.submitted_at),
        "createdAt": iso_ms(a.created_at),
        "updatedAt": iso_ms(a.submitted_at),
    }


def assignment_submission(s: AssignmentSubmission) -> dict[str, Any]:
    assert s.user is not None and s.course is not None and s.lesson is not None
    return {
        "id": s.uuid,
        "assignment": {"id": s.lesson.uuid, "title": s.lesson.title, "description": None},
        "courseId": s.course.uuid,
        "course": course_object(s.course),
        "userId": s.user.uuid,
        "user": user_object(s.user),
        "body": s.body,
        "asset": s.attachment_url,
        "status": s.status,
        "grade": s.grade,
        "gradeFeedback": s.grade_feedback,
        "submittedAt": iso_ms(s.submitted_at),
        "gradedAt": iso_ms(s.graded_at),
        "createdAt": iso_ms(s.created_at),
        "updatedAt": iso_ms(s.updated_at),
    }


def meeting(m: Meeting, *, attendees: bool = False) -> dict[str, Any]:
    assert m.course is not None
    course = {
        **course_object(m.course),
        "seatsLimit": m.course.seats_limit,
        "waitlistCount": 0,
        "seatsLimitMet": m.course.seats_limit is not None
        and m.course.enrollment_count >= m.course.seats_limit,
        "waitlistingEnabled": False,
    }
    body: dict[str, Any] = {
        "id": m.uuid,
        "title": m.title,
        "description": m.description,
        "courseId": m.course.uuid,
        "course": course,
        "startDate": iso_ms(m.starts_at),
        "endDate": iso_ms(m.ends_at),
        "timeZone": m.time_zone,
        "location": None
        if not (m.location_name or m.location_address)
        else {"name": m.location_name, "address": m.location_address},
        "virtualUrl": m.virtual_url,
        "instructors": [{"name": name} for name in m.instructors],
        "seatsLimit": m.seats_limit,
        "attendedCount": sum(1 for a in m.attendees if a.attended),
        "recordedCount": len(m.attendees),
        "createdAt": iso_ms(m.created_at),
        "updatedAt": iso_ms(m.updated_at),
    }
    if attendees:
        body["attendees"] = [
            {
                "userId": a.user.uuid,
                "user": user_object(a.user),
                "attended": a.attended,
                "updatedAt": iso_ms(a.updated_at),
            }
            for a in m.attendees
        ]
    return body


# Client feature switches: wire name -> platform word.
CLIENT_FEATURES = {
    "enableSegmentation": "segmentation",
    "enableDiscussions": "discussions",
    "enableCommunitiesSegmentation": "communities_segmentation",
    "enableEcommerce": "ecommerce",
    "enableRecommendationAssessment": "recommendation_assessment",
    "enableBranding": "branding",
    "enableOnboardingSurvey": "onboarding_survey",
    "enableGlobalLinks": "global_links",
    "enableNavLinks": "nav_links",
    "enableContentDetailPage": "content_detail_page",
    "enableLicenseDashboards": "license_dashboards",
    "enableCreditPurchasing": "credit_purchasing",
}


def client(c: Client) -> dict[str, Any]:
    return {
        "id": c.uuid,
        "name": c.name,
        "slug": c.slug,
        "sku": c.sku,
        "status": c.status,
        "defaultLanguage": c.default_language,
        **{wire: bool(c.features.get(word, False)) for wire, word in CLIENT_FEATURES.items()},
        "panorama": True,
        "createdAt": iso_ms(c.created_at),
        "updatedAt": iso_ms(c.updated_at),
    }


def license_object(lic: License) -> dict[str, Any]:
    assert lic.client is not None
    return {
        "id": lic.uuid,
        "name": lic.name,
        "label": lic.label,
        "sku": lic.sku,
        "client": {"id": lic.client.uuid, "name": lic.client.name, "slug": lic.client.slug},
        "clientId": lic.client.uuid,
        "parentLicenseId": lic.parent_uuid,
        "seatsLimit": lic.seats_limit,
        "seatsUsed": lic.seats_used,
        "accessDays": lic.access_days,
        "expirationDate": iso_ms(lic.expiration_date),
        "courseIds": list(lic.course_uuids),
        "learningPathIds": list(lic.learning_path_uuids),
        "courseTagIds": list(lic.course_tag_uuids),
        "dashboardLayoutId": None,
        "createdAt": iso_ms(lic.created_at),
        "updatedAt": iso_ms(lic.updated_at),
    }


def sso_log(e: SsoLogEntry) -> dict[str, Any]:
    return {
        "id": e.uuid,
        "type": e.kind,
        "status": "success" if e.success else "failure",
        "email": e.email,
        "userId": e.user_uuid,
        "message": e.message,
        "details": dict(e.details),
        "createdAt": iso_ms(e.created_at),
    }
