"""Course reviews: a rating out of 5 with a title and text, approved or awaiting approval."""

from __future__ import annotations

from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, NotFound
from coursegate.domain.models import Page
from coursegate.domain.offering_models import CourseReview
from coursegate.domain.recording import record
from coursegate.platform.ids import new_uuid
from coursegate.store.catalog import CourseRepo
from coursegate.store.offerings import CourseReviewRepo
from coursegate.store.people import UserRepo

RATING_MIN, RATING_MAX = 1, 5
TITLE_MAX = 255


def review_snapshot(r: CourseReview) -> dict[str, Any]:
    return {
        "id": r.id,
        "uuid": r.uuid,
        "course_id": r.course_id,
        "user_id": r.user_id,
        "rating": r.rating,
        "title": r.title,
        "approved": r.approved,
        "created_at": r.created_at,
    }


async def create_review(ctx: Ctx, course_id: int, data: dict[str, Any]) -> CourseReview:
    """Every field is required, `approved` included. One user may review a course more than
    once (each review is kept)."""
    problems = Collector()
    rating = data.get("rating")
    if rating is None:
        problems.add("rating", "required")
    elif (
        isinstance(rating, bool)
        or not float(rating).is_integer()
        or not RATING_MIN <= rating <= RATING_MAX
    ):
        problems.add("rating", "out_of_range", minimum=RATING_MIN - 1, maximum=RATING_MAX)
    for name in ("title", "review_text"):
        value = data.get(name)
        if value is None or not str(value).strip():
            problems.add(name, "required")
    title = data.get("title")
    if isinstance(title, str) and len(title) > TITLE_MAX:
        problems.add("title", "too_long", count=TITLE_MAX)
    if data.get("approved") is None:
        problems.add("approved", "required")
    if data.get("user_id") is None:
        problems.add("user_id", "required")
    async with ctx.writing() as u:
        course = await CourseRepo(u).get(course_id)
        if course is None:
            raise NotFound("course", course_id)
        user = None if data.get("user_id") is None else await UserRepo(u).get(data["user_id"])
        if data.get("user_id") is not None and user is None:
            problems.add("user_id", "not_found", resource="user")
        problems.raise_if_any()
        assert rating is not None and isinstance(title, str)
        repo = CourseReviewRepo(u)
        review_id = await repo.create(
            {
                "uuid": new_uuid(),
                "course_id": course_id,
                "user_id": data["user_id"],
                "rating": int(rating),
                "title": title.strip(),
                "review_text": data["review_text"],
                "approved": bool(data["approved"]),
                "created_at": u.now,
            }
        )
        review = await repo.get(review_id)
        assert review is not None and user is not None
        await record(
            u,
            "course_review.created",
            "course_review",
            review.id,
            review.uuid,
            review_snapshot(review),
            user_uuid=user.uuid,
            course_uuid=course.uuid,
        )
        return review


async def list_reviews(
    ctx: Ctx, course_id: int | None, approved: bool | None, offset: int, limit: int
) -> Page[CourseReview]:
    """Reviews of one course (no course given, or an unknown one, has no reviews)."""
    if course_id is None:
        return Page([], 0)
    async with ctx.reading() as u:
        repo = CourseReviewRepo(u)
        stmt = repo.of_course(course_id, approved)
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


async def get_review(ctx: Ctx, review_id: int) -> CourseReview:
    async with ctx.reading() as u:
        review = await CourseReviewRepo(u).get(review_id)
    if review is None:
        raise NotFound("course_review", review_id)
    return review
