"""Wire schemas for course structure, completion criteria and course groups."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, StrictBool, StrictInt, StrictStr

from coursegate.dialects.thoughtindustries.schemas import WireModel


class SectionWrite(WireModel):
    """POST /courses/:courseId/sections."""

    title: StrictStr | None = None
    description: StrictStr | None = None


class LessonWrite(WireModel):
    """POST /sections/:sectionId/lessons."""

    title: StrictStr | None = None
    accessLevel: StrictStr | None = Field(
        default=None, json_schema_extra={"enum": ["studentsOnly", "openToAll"]}
    )


class TopicWrite(WireModel):
    """POST /lessons/:lessonId/topics."""

    title: StrictStr | None = None
    type: StrictStr | None = Field(
        default=None,
        json_schema_extra={"enum": ["ad", "quiz", "video", "text", "shareableContentObject"]},
    )
    quizQuestions: list[StrictStr] | None = None
    preTextBlock: StrictStr | None = None
    postTextBlock: StrictStr | None = None
    resultsMessage: StrictStr | None = None
    passMessage: StrictStr | None = None
    failMessage: StrictStr | None = None
    assetType: StrictStr | None = None
    navigationDisabled: StrictBool = False
    instructorAssessment: StrictBool = False
    questionSkipEnabled: StrictBool = False
    isProctored: StrictBool = False
    allowToResume: StrictBool = False
    editableByChildren: StrictBool = False

    def domain(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "topic_type": self.type,
            "quiz_question_ids": self.quizQuestions or [],
            "pre_text_block": self.preTextBlock,
            "post_text_block": self.postTextBlock,
            "results_message": self.resultsMessage,
            "pass_message": self.passMessage,
            "fail_message": self.failMessage,
            "asset_type": self.assetType,
            "navigation_disabled": self.navigationDisabled,
            "instructor_assessment": self.instructorAssessment,
            "question_skip_enabled": self.questionSkipEnabled,
            "is_proctored": self.isProctored,
            "allow_to_resume": self.allowToResume,
            "editable_by_children": self.editableByChildren,
        }


class CriterionWrite(WireModel):
    type: StrictStr
    description: StrictStr | None = None
    coursePercentViewed: StrictInt | None = None
    articlePercentViewed: StrictInt | None = None
    videoPercentViewed: StrictInt | None = None
    articleTimeViewedInSeconds: StrictInt | None = None
    courseTopicViewed: StrictStr | None = None
    courseAssessmentPassed: StrictStr | None = None

    def domain(self) -> dict[str, Any]:
        value = getattr(self, self.type, None) if self.type in type(self).model_fields else None
        key = {
            "articleTimeViewedInSeconds": "seconds",
            "courseTopicViewed": "target_uuid",
            "courseAssessmentPassed": "target_uuid",
        }.get(self.type, "percent")
        return {"criteria_type": self.type, "description": self.description, key: value}


class CriteriaWrite(WireModel):
    """PUT /courses/:courseId/completionCriteria: replaces the list."""

    completionCriteria: list[CriterionWrite]


class PageInfoB(BaseModel):
    perPage: int
    currentPage: int
    total: int
    hasMore: bool


class Wrapped(BaseModel):
    """`{"data": {"<Operation>": ...}}`; the operation key is named on each route."""

    data: dict[str, Any]
