"""Thought Industries external activity: assignment (302), course and learning-path (200)."""

from __future__ import annotations

from typing import Any

from coursegate.domain import learning
from coursegate.domain.models import EnrollmentQuery
from coursegate.platform import tenancy
from tests import builders
from tests.conftest import Tenant


async def _enable(tenant: Tenant, db: Any, on: bool = True) -> None:
    profile = {"thoughtindustries": {"features": {"externalActivity": on}}}
    await tenancy.update_site(db, tenant.site.subdomain, {"profile": profile})


async def _enrollment(tenant: Tenant, user_id: int, course_id: int) -> Any:
    page = await learning.list_enrollments(
        tenant.ctx, EnrollmentQuery(user_id=user_id, course_id=course_id), 0, 5
    )
    return page.items[0] if page.items else None


async def test_feature_flag_is_off_by_default_and_checked_first(tenant: Tenant, db: Any) -> None:
    for path in (
        "/assignmentExternalActivity",
        "/courseExternalActivity",
        "/learningPathExternalActivity",
    ):
        response = await tenant.ti("POST", path, json={})
        assert response.status_code == 400
        assert response.json() == {"errors": ["externalActivity feature is not enabled"]}
    await _enable(tenant, db, on=False)
    response = await tenant.ti("POST", "/courseExternalActivity", json={"courseId": 5})
    assert response.json() == {"errors": ["externalActivity feature is not enabled"]}


async def test_course_completion_completes_the_enrollment(tenant: Tenant, db: Any) -> None:
    await _enable(tenant, db)
    course = await builders.course(tenant.ctx, sku="EXT-1")
    user = await builders.user(tenant.ctx)
    await builders.enrollment(tenant.ctx, user.id, course.id, activated_at=tenant.ctx.clock.now())
    response = await tenant.ti(
        "POST",
        "/courseExternalActivity",
        json={
            "courseId": course.uuid,
            "userId": user.uuid,
            "completionDate": "2026-01-02T03:04:05Z",
        },
    )
    assert response.status_code == 200 and response.content == b""
    enrollment = await _enrollment(tenant, user.id, course.id)
    assert enrollment.completed_at.isoformat() == "2026-01-02T03:04:05+00:00"
    assert enrollment.percentage_completed == 1.0
    [event] = await builders.events_of(tenant.ctx, "enrollment.completed", enrollment.uuid)
    assert event["payload"]["reported_by"] == "external_activity"
    # Visible through the Thinkific dialect as a completed enrollment.
    listed = await tenant.tk("GET", "/enrollments", params={"query[user_id]": user.id})
    assert listed.json()["items"][0]["completed"] is True


async def test_course_completion_by_sku_and_email_enrolls_when_needed(
    tenant: Tenant, db: Any
) -> None:
    await _enable(tenant, db)
    course = await builders.course(tenant.ctx, sku="EXT-2")
    user = await builders.user(tenant.ctx)
    response = await tenant.ti(
        "POST", "/courseExternalActivity", json={"courseSku": "EXT-2", "userEmail": user.email}
    )
    assert response.status_code == 200
    enrollment = await _enrollment(tenant, user.id, course.id)
    assert enrollment.completed and enrollment.source == "external_activity"
    assert len(await builders.events_of(tenant.ctx, "enrollment.created", enrollment.uuid)) == 1


async def test_course_completion_errors(tenant: Tenant, db: Any) -> None:
    await _enable(tenant, db)
    course = await builders.course(tenant.ctx)
    user = await builders.user(tenant.ctx)
    cases = [
        ({"userId": user.uuid}, "courseId or courseSku is required"),
        ({"courseId": course.uuid}, "userId or userEmail is required"),
        ({"courseSku": "nope", "userId": user.uuid}, "Course not found for field 'courseSku'."),
        (
            {"courseId": course.uuid, "userId": "ghost@example.com"},
            "User not found for field 'userId'.",
        ),
        (
            {"courseId": course.uuid, "userId": user.uuid, "completionDate": "soon"},
            "completionDate",
        ),
        ({"courseId": course.uuid, "userId": user.uuid, "completionDate": "2999-01-01"}, "future"),
        ({"courseId": 7, "userId": user.uuid}, "courseId"),
    ]
    for body, needle in cases:
        response = await tenant.ti("POST", "/courseExternalActivity", json=body)
        assert response.status_code == 400, body
        [message] = response.json()["errors"]
        assert needle in message, (body, message)
    assert await _enrollment(tenant, user.id, course.id) is None


async def test_learning_path_statuses(tenant: Tenant, db: Any) -> None:
    await _enable(tenant, db)
    path = await builders.course(tenant.ctx, course_type="learning_path")
    user = await builders.user(tenant.ctx)
    done = await tenant.ti(
        "POST",
        "/learningPathExternalActivity",
        json={"userId": user.uuid, "learningPathId": path.uuid},
    )
    assert done.status_code == 200 and done.content == b""
    assert (await _enrollment(tenant, user.id, path.id)).completed
    reopened = await tenant.ti(
        "POST",
        "/learningPathExternalActivity",
        json={
            "userId": user.uuid,
            "learningPathId": path.uuid,
            "status": "not-started",
            "timeStampDate": "2026-01-01T00:00:00Z",
        },
    )
    assert reopened.status_code == 200
    enrollment = await _enrollment(tenant, user.id, path.id)
    assert not enrollment.completed and enrollment.percentage_completed == 0.0
    updates = await builders.events_of(tenant.ctx, "enrollment.updated", enrollment.uuid)
    assert updates[-1]["payload"]["learning_path_status"] == "not_started"


async def test_learning_path_errors(tenant: Tenant, db: Any) -> None:
    await _enable(tenant, db)
    path = await builders.course(tenant.ctx, course_type="learning_path")
    plain = await builders.course(tenant.ctx)
    user = await builders.user(tenant.ctx)
    base = {"userId": user.uuid, "learningPathId": path.uuid}
    cases = [
        (
            {**base, "status": "started", "completionDate": "2026-01-01"},
            "completion date cannot be passed with non-completed status",
        ),
        (
            {**base, "timeStampDate": "2026-01-01"},
            "time stamp date cannot be passed with completed status",
        ),
        ({**base, "status": "finished"}, "Invalid status 'finished'"),
        ({"userId": user.uuid}, "Field 'learningPathId' is required."),
        ({**base, "learningPathId": plain.uuid}, "Learning path not found"),
        ({**base, "userId": "00000000-0000-0000-0000-000000000000"}, "User not found"),
    ]
    for body, needle in cases:
        response = await tenant.ti("POST", "/learningPathExternalActivity", json=body)
        assert response.status_code == 400, body
        [message] = response.json()["errors"]
        assert needle in message, (body, message)
    assert await _enrollment(tenant, user.id, path.id) is None


async def test_assignment_activity_redirects_and_grades(tenant: Tenant, db: Any) -> None:
    await _enable(tenant, db)
    essay = await builders.assessment_lesson(tenant.ctx, kind="Assignment")
    learner = await builders.user(tenant.ctx)
    body = {
        "status": "completed",
        "assignmentId": essay.uuid,
        "learnerId": learner.uuid,
        "grade": 88,
        "gradeFeedback": "Good",
    }
    response = await tenant.ti("POST", "/assignmentExternalActivity", json=body)
    assert response.status_code == 302 and response.headers["location"] == "/learn"
    again = await tenant.ti(
        "POST",
        "/assignmentExternalActivity",
        json={**body, "status": "incomplete", "returnUrl": "/learn/course/x"},
    )
    assert again.status_code == 302 and again.headers["location"] == "/learn/course/x"
    listed = await tenant.ti("GET", "/assignmentSubmissions")
    [item] = listed.json()["data"]["AssignmentSubmissions"]["assignmentSubmissions"]
    assert (
        item["status"] == "incomplete" and item["grade"] == 88.0 and item["gradeFeedback"] == "Good"
    )
    assert len(await builders.events_of(tenant.ctx, "assignment.graded", item["id"])) == 2


async def test_assignment_activity_errors(tenant: Tenant, other_tenant: Tenant, db: Any) -> None:
    await _enable(tenant, db)
    essay = await builders.assessment_lesson(tenant.ctx, kind="Assignment")
    quiz = await builders.assessment_lesson(tenant.ctx, kind="Quiz")
    learner = await builders.user(tenant.ctx)
    stranger = await builders.user(other_tenant.ctx)
    bad_ids = "Invalid assignmentId or learnerId (both are required)"
    base = {"status": "completed", "assignmentId": essay.uuid, "learnerId": learner.uuid}
    cases = [
        ({"status": "completed", "assignmentId": essay.uuid}, bad_ids),
        ({**base, "learnerId": "abc"}, bad_ids),
        ({**base, "assignmentId": quiz.uuid}, bad_ids),
        ({**base, "learnerId": stranger.uuid}, bad_ids),
        ({**base, "status": "done"}, "Invalid status 'done'"),
        ({**base, "returnUrl": "https://evil.example/"}, "returnUrl"),
        ({**base, "grade": 140}, "grade"),
        ({**base, "grade": "A"}, "grade"),
    ]
    for body, needle in cases:
        response = await tenant.ti("POST", "/assignmentExternalActivity", json=body)
        assert response.status_code == 400, body
        [message] = response.json()["errors"]
        assert needle in message, (body, message)
    assert (await tenant.ti("GET", "/assignmentSubmissions")).json()["data"][
        "AssignmentSubmissions"
    ]["pageInfo"]["total"] == 0
    jwt = await tenant.ti("POST", "/assignmentExternalActivity", params={"jwt": "x.y.z"})
    assert jwt.status_code == 400 and "jwt" in jwt.json()["errors"][0]
