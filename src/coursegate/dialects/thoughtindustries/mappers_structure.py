"""Course structure entities as Thought Industries objects (reference §7.1, §5.4)."""

from __future__ import annotations

from typing import Any

from coursegate.domain.models import Chapter, Course
from coursegate.domain.structure import LessonView, Outline
from coursegate.domain.structure_models import Criterion, Topic
from coursegate.platform.wiretime import iso_ms

# Criteria fields of the wire object: each type fills its own, the rest are null.
CRITERIA_FIELDS = (
    "coursePercentViewed",
    "courseAssignmentComplete",
    "bongoAssignmentCompleted",
    "courseAssessmentPassed",
    "courseTopicViewed",
    "courseMeetingAttended",
    "scormComplete",
    "surveyGizmoComplete",
    "xApiComplete",
    "articlePercentViewed",
    "articleTimeViewedInSeconds",
    "videoPercentViewed",
    "videoTopicId",
)


def access_level(free_preview: bool) -> str:
    return "openToAll" if free_preview else "studentsOnly"


def section_status(course: Course) -> str:
    """Sections have no status of their own on the platform: they show the course's."""
    return course.status


def section(c: Chapter, course: Course) -> dict[str, Any]:
    return {
        "id": c.uuid,
        "title": c.title,
        "slug": c.slug,
        "status": section_status(course),
        "releaseAt": iso_ms(c.release_at),
        "parentSectionId": None,
        "lessonCount": len(c.lesson_ids),
    }


def lesson(v: LessonView) -> dict[str, Any]:
    return {
        "id": v.lesson.uuid,
        "title": v.lesson.title,
        "slug": v.lesson.slug,
        "accessLevel": access_level(v.lesson.free_preview),
        "sectionId": v.chapter.uuid,
        "sectionTitle": v.chapter.title,
        "topicCount": v.topic_count,
    }


def topic_outline(t: Topic) -> dict[str, Any]:
    return {
        "id": t.uuid,
        "title": t.title,
        "type": t.topic_type,
        "editableByChildren": t.editable_by_children,
    }


def lesson_by_id(v: LessonView) -> dict[str, Any]:
    return {
        **lesson(v),
        "courseId": v.course.uuid,
        "courseTitle": v.course.title,
        "topicOutline": [topic_outline(t) for t in v.topics],
    }


def topic(t: Topic) -> dict[str, Any]:
    return {
        "id": t.uuid,
        "originalId": t.original_uuid,
        "title": t.title,
        "type": t.topic_type,
        "quizQuestions": list(t.quiz_question_ids),
        "preTextBlock": t.pre_text_block,
        "postTextBlock": t.post_text_block,
        "updatedAt": iso_ms(t.updated_at),
        "resultsMessage": t.results_message,
        "passMessage": t.pass_message,
        "failMessage": t.fail_message,
        "navigationDisabled": t.navigation_disabled,
        "instructorAssessment": t.instructor_assessment,
        "questionSkipEnabled": t.question_skip_enabled,
        "isProctored": t.is_proctored,
        "allowToResume": t.allow_to_resume,
        "assetType": t.asset_type,
    }


def criterion(c: Criterion, course: Course) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.uuid,
        "course": course.uuid,
        "type": c.criteria_type,
        "description": c.description,
    }
    out.update(dict.fromkeys(CRITERIA_FIELDS))
    if c.percent is not None:
        out[c.criteria_type] = c.percent
    elif c.seconds is not None:
        out[c.criteria_type] = c.seconds
    elif c.target_uuid is not None:
        out[c.criteria_type] = c.target_uuid
    return out


def structure(o: Outline) -> dict[str, Any]:
    return {
        "id": o.course.uuid,
        "title": o.course.title,
        "status": o.course.status,
        "sections": [
            {
                "id": c.uuid,
                "title": c.title,
                "releaseAt": iso_ms(c.release_at),
                "lessons": [
                    {
                        "id": v.lesson.uuid,
                        "title": v.lesson.title,
                        "accessLevel": access_level(v.lesson.free_preview),
                        "topics": [topic_outline(t) for t in v.topics],
                    }
                    for v in o.lessons_by_chapter.get(c.id, [])
                ],
            }
            for c in o.chapters
        ],
        "completionCriteria": [criterion(c, o.course) for c in o.criteria],
    }


def page_block(per: int, current: int, total: int) -> dict[str, Any]:
    """Page-number `pageInfo` (reference §2.2 model B)."""
    return {
        "perPage": per,
        "currentPage": current,
        "total": total,
        "hasMore": current * per < total,
    }
