"""Thought Industries GET /assessmentAttempts and GET /assignmentSubmissions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coursegate.domain import assessments
from coursegate.domain.assessments import Answer
from coursegate.domain.errors import Invalid
from tests import builders
from tests.conftest import Tenant, TestClock

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def _attempt(tenant: Tenant, clock: TestClock, at: datetime, **kwargs):  # type: ignore[no-untyped-def]
    clock.pinned = at
    lesson = kwargs.pop("lesson", None) or await builders.assessment_lesson(tenant.ctx)
    user = kwargs.pop("user", None) or await builders.user(tenant.ctx)
    answers = kwargs.pop(
        "answers", [Answer("2+2?", "4", True), Answer("Capital of France?", "Lyon", False)]
    )
    return await assessments.record_assessment_attempt(
        tenant.ctx, user.id, lesson.id, answers, **kwargs
    )


async def test_attempt_is_listed_with_documented_fields_and_event(
    tenant: Tenant, clock: TestClock
) -> None:
    attempt = await _attempt(tenant, clock, T0, min_passing_percent=70)
    response = await tenant.ti("GET", "/assessmentAttempts")
    assert response.status_code == 200
    body = response.json()["data"]["AssessmentAttempts"]
    assert body["pageInfo"] == {"perPage": 25, "cursor": None, "total": 1, "hasMore": False}
    [item] = body["assessmentAttempts"]
    assert item["id"] == attempt.uuid
    assert item["assessment"] == {
        "id": attempt.lesson_uuid,
        "type": "quiz",
        "title": "Final quiz",
        "minPassingPercent": 70.0,
    }
    assert [
        (a["question"], a["answer"], a["correct"], a["hasDefaultGrade"]) for a in item["answers"]
    ] == [
        ("2+2?", "4", True, False),
        ("Capital of France?", "Lyon", False, False),
    ]
    assert item["score"] == 50.0 and item["passed"] is False and item["status"] == "failed"
    assert item["course"]["id"] == item["courseId"] == attempt.course.uuid
    assert item["user"]["id"] == item["userId"] == attempt.user.uuid
    assert item["completedAt"] == "2026-03-01T12:00:00.000Z"
    [event] = await builders.events_of(tenant.ctx, "quiz.attempted", attempt.uuid)
    assert event["payload"]["score"] == 50.0 and event["user_uuid"] == attempt.user.uuid


async def test_attempt_without_passing_mark_passes_and_score_can_be_given(
    tenant: Tenant, clock: TestClock
) -> None:
    attempt = await _attempt(tenant, clock, T0, score=12.5)
    assert attempt.score == 12.5 and attempt.passed is True


async def test_attempt_rules(tenant: Tenant, clock: TestClock) -> None:
    plain = await builders.assessment_lesson(tenant.ctx, kind="Lesson")
    user = await builders.user(tenant.ctx)
    with pytest.raises(Invalid) as wrong_kind:
        await assessments.record_assessment_attempt(tenant.ctx, user.id, plain.id, [])
    assert wrong_kind.value.problems[0].field == "lesson_id"
    with pytest.raises(Invalid):
        await _attempt(tenant, clock, T0, score=101)
    assert await builders.events_of(tenant.ctx, "quiz.attempted") == []


async def test_cursor_paging_walks_every_attempt_once(tenant: Tenant, clock: TestClock) -> None:
    made = [await _attempt(tenant, clock, T0 + timedelta(minutes=i)) for i in range(5)]
    seen: list[str] = []
    cursor = ""
    for _ in range(4):
        response = await tenant.ti(
            "GET", "/assessmentAttempts", params={"perPage": 2, "cursor": cursor}
        )
        page = response.json()["data"]["AssessmentAttempts"]
        assert page["pageInfo"]["total"] == 5
        seen += [a["id"] for a in page["assessmentAttempts"]]
        if not page["pageInfo"]["hasMore"]:
            assert page["pageInfo"]["cursor"] is None
            break
        cursor = page["pageInfo"]["cursor"]
    assert seen == [a.uuid for a in made]
    numbered = await tenant.ti("GET", "/assessmentAttempts", params={"perPage": 2, "page": 3})
    info = numbered.json()["data"]["AssessmentAttempts"]
    assert info["pageInfo"]["currentPage"] == 3 and info["pageInfo"]["hasMore"] is False
    assert [a["id"] for a in info["assessmentAttempts"]] == [made[4].uuid]


async def test_filters_dates_inclusive_in_unix_ms_or_iso(tenant: Tenant, clock: TestClock) -> None:
    lesson = await builders.assessment_lesson(tenant.ctx)
    ada = await builders.user(tenant.ctx)
    early = await _attempt(tenant, clock, T0, lesson=lesson, user=ada)
    middle = await _attempt(tenant, clock, T0 + timedelta(days=1), lesson=lesson)
    late = await _attempt(tenant, clock, T0 + timedelta(days=2), user=ada)

    async def ids(**params: str) -> list[str]:
        response = await tenant.ti("GET", "/assessmentAttempts", params=params)
        assert response.status_code == 200, response.text
        return [
            a["id"] for a in response.json()["data"]["AssessmentAttempts"]["assessmentAttempts"]
        ]

    day1 = T0 + timedelta(days=1)
    assert await ids(startDate=str(int(day1.timestamp() * 1000))) == [middle.uuid, late.uuid]
    assert await ids(endDate=day1.isoformat()) == [early.uuid, middle.uuid]
    assert await ids(startDate="2026-03-02T12:00:00Z", endDate="2026-03-02T12:00:00.000Z") == [
        middle.uuid
    ]
    assert await ids(userId=ada.uuid) == [early.uuid, late.uuid]
    assert await ids(courseId=early.course.uuid) == [early.uuid, middle.uuid]
    assert await ids(courseId="00000000-0000-0000-0000-000000000000") == []


async def test_bad_parameters_answer_400_with_errors_array(tenant: Tenant) -> None:
    for params, needle in (
        ({"startDate": "yesterday"}, "startDate"),
        ({"userId": "not-a-uuid"}, "userId"),
        ({"cursor": "%%%"}, "cursor"),
        ({"perPage": "0"}, "perPage"),
        ({"startDate": "2026-03-02", "endDate": "2026-03-01"}, "startDate"),
    ):
        response = await tenant.ti("GET", "/assessmentAttempts", params=params)
        assert response.status_code == 400, params
        [message] = response.json()["errors"]
        assert needle in message


async def test_attempts_are_tenant_scoped(
    tenant: Tenant, other_tenant: Tenant, clock: TestClock
) -> None:
    attempt = await _attempt(tenant, clock, T0)
    response = await other_tenant.ti(
        "GET", "/assessmentAttempts", params={"userId": attempt.user.uuid}
    )
    assert response.json()["data"]["AssessmentAttempts"]["assessmentAttempts"] == []
    everything = await other_tenant.ti("GET", "/assessmentAttempts")
    assert everything.json()["data"]["AssessmentAttempts"]["pageInfo"]["total"] == 0


async def test_observed_profile_serves_unwrapped_page(tenant: Tenant, clock: TestClock, db) -> None:  # type: ignore[no-untyped-def]
    from coursegate.platform import tenancy

    await _attempt(tenant, clock, T0)
    await tenancy.update_site(
        db, tenant.site.subdomain, {"profile": {"thoughtindustries": {"envelope": "observed"}}}
    )
    body = (await tenant.ti("GET", "/assessmentAttempts")).json()
    assert set(body) == {"pageInfo", "assessmentAttempts"}


# --- assignment submissions ------------------------------------------------------------------


async def test_submissions_list_search_aggregations_and_paging(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    essay = await builders.assessment_lesson(tenant.ctx, kind="Assignment", title="Essay on rivers")
    report = await builders.assessment_lesson(tenant.ctx, kind="Assignment", title="Lab report")
    ada = await builders.user(tenant.ctx, first_name="Ada")
    bob = await builders.user(tenant.ctx, first_name="Bob")
    first = await assessments.submit_assignment(tenant.ctx, ada.id, essay.id, body="Rivers flow.")
    await assessments.submit_assignment(
        tenant.ctx, bob.id, essay.id, attachment_url="https://x.test/b.pdf"
    )
    await assessments.submit_assignment(tenant.ctx, ada.id, report.id, body="Results.")
    [event] = await builders.events_of(tenant.ctx, "assignment.submitted", first.uuid)
    assert event["payload"]["status"] == "submitted"

    response = await tenant.ti(
        "GET", "/assignmentSubmissions", params={"enableAggregations": "true"}
    )
    assert response.status_code == 200
    body = response.json()["data"]["AssignmentSubmissions"]
    assert body["pageInfo"] == {
        "perPage": 25,
        "cursor": None,
        "total": 3,
        "hasMore": False,
        "currentPage": 1,
    }
    [status] = body["aggregations"]
    assert {b["value"]: b["count"] for b in status["buckets"]} == {
        "submitted": 3,
        "completed": 0,
        "incomplete": 0,
    }
    item = body["assignmentSubmissions"][0]
    assert item["id"] == first.uuid
    assert item["assignment"] == {"id": essay.uuid, "title": "Essay on rivers", "description": None}
    assert item["courseId"] == item["course"]["id"] and item["user"]["id"] == ada.uuid
    assert item["status"] == "submitted" and item["grade"] is None

    searched = await tenant.ti("GET", "/assignmentSubmissions", params={"query": "RIVERS"})
    assert searched.json()["data"]["AssignmentSubmissions"]["pageInfo"]["total"] == 2
    plain = (await tenant.ti("GET", "/assignmentSubmissions")).json()["data"][
        "AssignmentSubmissions"
    ]
    assert plain["aggregations"] == []
    second = await tenant.ti("GET", "/assignmentSubmissions", params={"page": 2, "perPage": 2})
    page2 = second.json()["data"]["AssignmentSubmissions"]
    assert page2["pageInfo"]["currentPage"] == 2 and len(page2["assignmentSubmissions"]) == 1
    assert (await other_tenant.ti("GET", "/assignmentSubmissions")).json()["data"][
        "AssignmentSubmissions"
    ]["pageInfo"]["total"] == 0


async def test_submissions_filtered_by_panorama_client(tenant: Tenant) -> None:
    from coursegate.domain import panorama

    essay = await builders.assessment_lesson(tenant.ctx, kind="Assignment")
    acme = await builders.client(tenant.ctx)
    seat = await builders.license(tenant.ctx, acme.uuid)
    member = await builders.user(tenant.ctx)
    outsider = await builders.user(tenant.ctx)
    await panorama.grant_licenses(
        tenant.ctx, member.id, panorama.LicenseGrants({"student": [seat.uuid]}, {})
    )
    mine = await assessments.submit_assignment(tenant.ctx, member.id, essay.id, body="mine")
    await assessments.submit_assignment(tenant.ctx, outsider.id, essay.id, body="theirs")
    response = await tenant.ti("GET", "/assignmentSubmissions", params={"clientId": acme.uuid})
    assert [
        s["id"] for s in response.json()["data"]["AssignmentSubmissions"]["assignmentSubmissions"]
    ] == [mine.uuid]
    bad = await tenant.ti("GET", "/assignmentSubmissions", params={"clientId": "acme"})
    assert bad.status_code == 400 and "clientId" in bad.json()["errors"][0]


async def test_submission_needs_content_and_an_assignment_lesson(tenant: Tenant) -> None:
    quiz = await builders.assessment_lesson(tenant.ctx, kind="Quiz")
    user = await builders.user(tenant.ctx)
    with pytest.raises(Invalid):
        await assessments.submit_assignment(tenant.ctx, user.id, quiz.id, body="text")
    essay = await builders.assessment_lesson(tenant.ctx, kind="Assignment")
    with pytest.raises(Invalid):
        await assessments.submit_assignment(tenant.ctx, user.id, essay.id, body="  ")


async def test_deleted_users_records_leave_the_lists(tenant: Tenant, clock: TestClock) -> None:
    from coursegate.domain import people

    attempt = await _attempt(tenant, clock, T0)
    essay = await builders.assessment_lesson(tenant.ctx, kind="Assignment")
    await assessments.submit_assignment(tenant.ctx, attempt.user_id, essay.id, body="work")
    await people.delete_user(tenant.ctx, attempt.user_id)
    attempts = (await tenant.ti("GET", "/assessmentAttempts")).json()["data"]["AssessmentAttempts"]
    assert attempts["assessmentAttempts"] == [] and attempts["pageInfo"]["total"] == 0
    submissions = (await tenant.ti("GET", "/assignmentSubmissions")).json()["data"]
    assert submissions["AssignmentSubmissions"]["assignmentSubmissions"] == []
