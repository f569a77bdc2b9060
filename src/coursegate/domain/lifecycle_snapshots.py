"""Dialect-free snapshots for lifecycle event payloads (state right after the change)."""

from __future__ import annotations

from typing import Any

from coursegate.domain.lifecycle_models import Certificate, CertificateTemplate, QuizAttempt
from coursegate.domain.models import Chapter, Course, Enrollment, Lesson, User


def person(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "uuid": user.uuid,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
    }


def course_ref(course: Course) -> dict[str, Any]:
    return {"id": course.id, "uuid": course.uuid, "title": course.title, "slug": course.slug}


def lesson_completed_snapshot(
    lesson: Lesson, chapter: Chapter, enrollment: Enrollment, completed_at: Any
) -> dict[str, Any]:
    assert enrollment.user is not None and enrollment.course is not None
    return {
        "lesson": {
            "id": lesson.id,
            "uuid": lesson.uuid,
            "title": lesson.title,
            "position": lesson.position,
            "kind": lesson.kind,
        },
        "chapter": {"id": chapter.id, "uuid": chapter.uuid, "title": chapter.title},
        "course": course_ref(enrollment.course),
        "enrollment": {"id": enrollment.id, "uuid": enrollment.uuid},
        "user": person(enrollment.user),
        "completed_at": completed_at,
    }


def template_snapshot(template: CertificateTemplate) -> dict[str, Any]:
    return {
        "id": template.id,
        "uuid": template.uuid,
        "title": template.title,
        "resource_type": template.resource_type,
        "course_uuid": template.course_uuid,
        "asset": template.asset,
        "supplemental_assets": list(template.supplemental_assets),
        "expiration_date": template.expiration_date,
        "updated_at": template.updated_at,
    }


def certificate_snapshot(cert: Certificate, user: User | None = None) -> dict[str, Any]:
    return {
        "id": cert.id,
        "uuid": cert.uuid,
        "resource_type": cert.resource_type,
        "user": person(user) if user is not None else {"id": cert.user_id, "uuid": cert.user_uuid},
        "course": {"id": cert.course_id, "uuid": cert.course_uuid, "title": cert.course_title},
        "template": None
        if cert.template is None
        else {
            "id": cert.template.id,
            "uuid": cert.template.uuid,
            "title": cert.template.title,
        },
        "issued_at": cert.issued_at,
        "expires_at": cert.expires_at,
        "recertify_by": cert.recertify_by,
        "source": cert.source,
    }


def quiz_attempt_snapshot(
    attempt: QuizAttempt, lesson: Lesson, enrollment: Enrollment
) -> dict[str, Any]:
    assert enrollment.user is not None and enrollment.course is not None
    return {
        "id": attempt.id,
        "uuid": attempt.uuid,
        "lesson": {
            "id": lesson.id,
            "uuid": lesson.uuid,
            "title": lesson.title,
            "kind": lesson.kind,
        },
        "course": course_ref(enrollment.course),
        "enrollment": {"id": enrollment.id, "uuid": enrollment.uuid},
        "user": person(enrollment.user),
        "score": attempt.score,
        "passed": attempt.passed,
        "attempted_at": attempt.attempted_at,
    }
