"""Learner progress through the sandbox API, seen through Thinkific and Thought Industries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests import builders
from tests.conftest import Tenant
from tests.contract import thinkific_contract
from tests.sandbox_client import events_of, sb


async def full_course(tenant: Tenant, chapters: int = 2, lessons: int = 2):  # type: ignore[no-untyped-def]
    ctx = tenant.ctx
    user = await builders.user(ctx)
    course = await builders.course(ctx, chapters=chapters, lessons=lessons)
    enrollment = await builders.enrollment(ctx, user.id, course.id, activated_at=datetime.now(UTC))
    from coursegate.domain import catalog

    lesson_ids = []
    for chapter_id in course.chapter_ids:
        lesson_ids += (await catalog.get_chapter(ctx, chapter_id)).lesson_ids
    return user, course, enrollment, lesson_ids


async def test_completing_every_lesson_completes_the_enrollment_everywhere(
    tenant: Tenant, shared_dir: Path
) -> None:
    user, course, enrollment, lesson_ids = await full_course(tenant)
    assert len(lesson_ids) == 4
    contract = thinkific_contract(shared_dir)

    for n, lesson_id in enumerate(lesson_ids, start=1):
        response = await sb(
            tenant, "POST", f"/lessons/{lesson_id}/complete", json={"user_id": user.id}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["newly_completed"] is True
        assert body["enrollment"]["percentage_completed"] == n / 4
        assert body["previous_percentage_completed"] == (n - 1) / 4
        if n < 4:
            got = await tenant.tk("GET", f"/enrollments/{enrollment.id}")
            contract.check("GET", "/enrollments/{id}", got.status_code, got.content)
            assert got.json()["percentage_completed"] == n / 4
            assert got.json()["completed"] is False
    assert body["certificate"] is not None and body["certificate"]["expires_at"] is None
    assert body["events"] == [
        "lesson.completed",
        "enrollment.progressed",
        "enrollment.completed",
        "certificate.issued",
    ]

    got = await tenant.tk("GET", f"/enrollments/{enrollment.id}")
    contract.check("GET", "/enrollments/{id}", got.status_code, got.content)
    assert got.json()["percentage_completed"] == 1.0
    assert got.json()["completed"] is True
    assert got.json()["completed_at"] is not None

    ti = await tenant.ti("GET", f"/users/{user.uuid}")
    assert ti.status_code == 200
    purchased = ti.json()["data"]["UserById"]["purchasedCourses"]
    assert [(p["courseId"], p["status"]) for p in purchased] == [(course.uuid, "completed")]
    assert purchased[0]["certificate"] == body["certificate"]["uuid"]
    assert purchased[0]["certificateIssuedAt"] == body["certificate"]["issued_at"]

    log = await events_of(
        tenant,
        "enrollment.started",
        "lesson.completed",
        "enrollment.progressed",
        "enrollment.completed",
        "certificate.issued",
    )
    assert [e["type"] for e in log] == (
        ["enrollment.started"]
        + ["lesson.completed", "enrollment.progressed"] * 4
        + ["enrollment.completed", "certificate.issued"]
    )
    progressed = [e["payload"] for e in log if e["type"] == "enrollment.progressed"]
    assert [
        (p["previous_percentage_completed"], p["percentage_completed"]) for p in progressed
    ] == [(0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0)]
    lesson_event = next(e for e in log if e["type"] == "lesson.completed")
    assert lesson_event["payload"]["lesson"]["id"] == lesson_ids[0]
    assert lesson_event["payload"]["user"]["email"] == user.email
    cert_event = log[-1]["payload"]
    assert cert_event["course"]["uuid"] == course.uuid and cert_event["user"]["id"] == user.id


async def test_completing_again_changes_nothing_and_records_nothing(tenant: Tenant) -> None:
    user, _course, enrollment, lesson_ids = await full_course(tenant, chapters=1, lessons=3)
    first = await sb(
        tenant, "POST", f"/lessons/{lesson_ids[0]}/complete", json={"user_id": user.uuid}
    )
    assert first.status_code == 200
    before = await events_of(tenant)
    again = await sb(
        tenant, "POST", f"/lessons/{lesson_ids[0]}/complete", json={"user_id": user.id}
    )
    assert again.status_code == 200
    assert again.json()["newly_completed"] is False
    assert again.json()["events"] == []
    assert again.json()["enrollment"]["percentage_completed"] == round(1 / 3, 4)
    assert await events_of(tenant) == before
    got = await tenant.tk("GET", f"/enrollments/{enrollment.id}")
    assert got.json()["percentage_completed"] == round(1 / 3, 4)


async def test_access_rules_refuse_without_writing(tenant: Tenant, clock) -> None:  # type: ignore[no-untyped-def]
    ctx = tenant.ctx
    user = await builders.user(ctx)
    course = await builders.course(ctx)
    chapter = await builders.chapter(ctx, course.id)
    locked = await builders.lesson(ctx, chapter.id, "Paid")
    preview = await builders.lesson(ctx, chapter.id, "Preview", free_preview=True)
    stranger = await builders.user(ctx)

    not_enrolled = await sb(
        tenant, "POST", f"/lessons/{locked.id}/complete", json={"user_id": stranger.id}
    )
    assert not_enrolled.status_code == 403
    assert "not enrolled" in not_enrolled.json()["error"]

    trial = await builders.enrollment(ctx, user.id, course.id)  # no activated_at: a free trial
    refused = await sb(tenant, "POST", f"/lessons/{locked.id}/complete", json={"user_id": user.id})
    assert refused.status_code == 403
    assert "free-preview" in refused.json()["error"]
    allowed = await sb(tenant, "POST", f"/lessons/{preview.id}/complete", json={"user_id": user.id})
    assert allowed.status_code == 200
    assert allowed.json()["enrollment"]["percentage_completed"] == 0.5

    update = await tenant.tk(
        "PUT",
        f"/enrollments/{trial.id}",
        json={"activated_at": "2020-01-01T00:00:00Z", "expiry_date": "2020-06-01T00:00:00Z"},
    )
    assert update.status_code == 204
    expired = await sb(tenant, "POST", f"/lessons/{locked.id}/complete", json={"user_id": user.id})
    assert expired.status_code == 403
    assert "expired" in expired.json()["error"]
    got = await tenant.tk("GET", f"/enrollments/{trial.id}")
    assert got.json()["percentage_completed"] == 0.5 and got.json()["completed"] is False

    missing_user = await sb(
        tenant, "POST", f"/lessons/{locked.id}/complete", json={"user_id": 999999999}
    )
    assert missing_user.status_code == 422
    assert "user_id" in missing_user.json()["error"]
    missing_lesson = await sb(
        tenant, "POST", "/lessons/999999999/complete", json={"user_id": user.id}
    )
    assert missing_lesson.status_code == 404
    no_body = await sb(tenant, "POST", f"/lessons/{locked.id}/complete", json={})
    assert no_body.status_code == 422 and "user_id" in no_body.json()["error"]
    bad_json = await sb(
        tenant,
        "POST",
        f"/lessons/{locked.id}/complete",
        content=b"{nope",
        headers={"Content-Type": "application/json"},
    )
    assert bad_json.status_code == 400


async def test_drip_lessons_count_in_the_total_and_open_on_release(tenant: Tenant) -> None:
    ctx = tenant.ctx
    user = await builders.user(ctx)
    course = await builders.course(ctx)
    open_chapter = await builders.chapter(ctx, course.id, "Open")
    later = await builders.chapter(ctx, course.id, "Later")
    first = await builders.lesson(ctx, open_chapter.id)
    dripped = await builders.lesson(ctx, later.id)
    await builders.drip(ctx, later.id, datetime.now(UTC) + timedelta(days=7))
    await builders.enrollment(ctx, user.id, course.id, activated_at=datetime.now(UTC))

    done = await sb(tenant, "POST", f"/lessons/{first.id}/complete", json={"user_id": user.id})
    assert done.json()["enrollment"]["percentage_completed"] == 0.5
    locked = await sb(tenant, "POST", f"/lessons/{dripped.id}/complete", json={"user_id": user.id})
    assert locked.status_code == 403 and "released" in locked.json()["error"]

    advanced = await sb(tenant, "POST", "/clock/advance", json={"seconds": 8 * 86400})
    assert advanced.status_code == 200
    assert advanced.json()["advanced"]["chapters_released"] == 1
    released = await events_of(tenant, "chapter.released")
    assert [e["subject_id"] for e in released] == [later.id]
    opened = await sb(tenant, "POST", f"/lessons/{dripped.id}/complete", json={"user_id": user.id})
    assert opened.status_code == 200
    assert opened.json()["enrollment"]["completed"] is True


async def test_view_and_quiz(tenant: Tenant) -> None:
    ctx = tenant.ctx
    user = await builders.user(ctx)
    course = await builders.course(ctx)
    chapter = await builders.chapter(ctx, course.id)
    reading = await builders.lesson(ctx, chapter.id, "Reading")
    quiz = await builders.lesson(ctx, chapter.id, "Quiz", kind="Quiz")
    await builders.enrollment(ctx, user.id, course.id, activated_at=datetime.now(UTC))

    viewed = await sb(tenant, "POST", f"/courses/{course.uuid}/view", json={"user_id": user.id})
    assert viewed.status_code == 200
    assert viewed.json()["events"] == ["enrollment.started", "course.viewed"]
    again = await sb(tenant, "POST", f"/courses/{course.id}/view", json={"user_id": user.id})
    assert again.json()["events"] == ["course.viewed"]

    not_quiz = await sb(
        tenant,
        "POST",
        f"/quizzes/{reading.id}/attempt",
        json={"user_id": user.id, "score": 50, "passed": False},
    )
    assert not_quiz.status_code == 404
    out_of_range = await sb(
        tenant,
        "POST",
        f"/quizzes/{quiz.id}/attempt",
        json={"user_id": user.id, "score": 101, "passed": True},
    )
    assert out_of_range.status_code == 422 and "score" in out_of_range.json()["error"]

    failed = await sb(
        tenant,
        "POST",
        f"/quizzes/{quiz.uuid}/attempt",
        json={"user_id": user.id, "score": 40, "passed": False},
    )
    assert failed.status_code == 200
    assert failed.json()["events"] == ["quiz.attempted"]
    assert failed.json()["enrollment"]["percentage_completed"] == 0.0
    passed = await sb(
        tenant,
        "POST",
        f"/quizzes/{quiz.id}/attempt",
        json={"user_id": user.id, "score": 90.5, "passed": True},
    )
    assert passed.json()["events"] == [
        "quiz.attempted",
        "lesson.completed",
        "enrollment.progressed",
    ]
    assert passed.json()["enrollment"]["percentage_completed"] == 0.5
    attempts = await events_of(tenant, "quiz.attempted")
    assert [(e["payload"]["score"], e["payload"]["passed"]) for e in attempts] == [
        (40.0, False),
        (90.5, True),
    ]


async def test_sandbox_api_refuses_non_sandbox_sites(db, clock, http) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_tenant

    live = await make_tenant(db, clock, http, sandbox=False)
    for method, path in (("GET", "/clock"), ("POST", "/clock/freeze")):
        response = await sb(live, method, path)
        assert response.status_code == 403
        assert "sandbox" in response.json()["error"]
    unauthenticated = await http.get("/sandbox/v1/clock")
    assert unauthenticated.status_code == 401
    spec = await http.get("/sandbox/v1/openapi.json")
    assert spec.status_code == 200
    assert "/lessons/{lesson_id}/complete" in spec.json()["paths"]


async def test_one_site_cannot_move_another_sites_learners(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    user, course, enrollment, lesson_ids = await full_course(tenant, chapters=1, lessons=1)
    outsider = await builders.user(other_tenant.ctx)
    for path, body in (
        (f"/lessons/{lesson_ids[0]}/complete", {"user_id": outsider.id}),
        (f"/courses/{course.id}/view", {"user_id": outsider.id}),
        (f"/quizzes/{lesson_ids[0]}/attempt", {"user_id": outsider.id, "score": 1, "passed": True}),
    ):
        response = await sb(other_tenant, "POST", path, json=body)
        assert response.status_code == 404, (path, response.text)
    crossed = await sb(
        tenant, "POST", f"/lessons/{lesson_ids[0]}/complete", json={"user_id": outsider.id}
    )
    assert crossed.status_code == 422 and "user_id" in crossed.json()["error"]
    got = await tenant.tk("GET", f"/enrollments/{enrollment.id}")
    assert got.json()["percentage_completed"] == 0.0
    assert await events_of(other_tenant, "lesson.completed", "course.viewed") == []

    done = await sb(tenant, "POST", f"/lessons/{lesson_ids[0]}/complete", json={"user_id": user.id})
    assert done.json()["enrollment"]["completed"] is True
    completed = await tenant.tk("GET", "/enrollments", params={"query[completed]": "true"})
    assert [e["id"] for e in completed.json()["items"]] == [enrollment.id]
    elsewhere = await other_tenant.tk("GET", "/enrollments", params={"query[completed]": "true"})
    assert elsewhere.json()["items"] == []
