"""Projections of lifecycle and commerce events (recorded the way their services record them)
onto Thinkific topics and Thought Industries feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from coursegate.domain.recording import record
from coursegate.domain.snapshots import enrollment_snapshot
from coursegate.events.worker import Worker
from tests import builders, webhooks_support
from tests.conftest import Tenant, TestClock
from tests.webhook_receiver import Receiver
from tests.webhooks_support import drain, subscribe

receiver = webhooks_support.receiver
worker = webhooks_support.worker
T0 = datetime(2026, 6, 1, 8, 30, 0, tzinfo=UTC)


async def emit(
    tenant: Tenant,
    event_type: str,
    subject: str,
    payload: dict[str, Any],
    user_uuid: str | None,
    course_uuid: str | None,
) -> None:
    """Record an event as another service does, in its own transaction."""
    async with tenant.ctx.writing() as u:
        await record(
            u,
            event_type,
            subject,
            payload.get("id"),
            payload.get("uuid"),
            payload,
            user_uuid=user_uuid,
            course_uuid=course_uuid,
        )


async def enrolled(tenant: Tenant) -> tuple[Any, Any, Any]:
    user = await builders.user(tenant.ctx, first_name="Ann", last_name="Lee")
    course = await builders.course(tenant.ctx)
    enrollment = await builders.enrollment(tenant.ctx, user.id, course.id, activated_at=T0)
    return user, course, enrollment


async def test_learning_events_become_thinkific_topics(
    clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    clock.pinned = T0
    user, course, enrollment = await enrolled(tenant)
    for topic in (
        "enrollment.progress",
        "enrollment.completed",
        "lesson.completed",
        "quiz.attempted",
    ):
        await subscribe(tenant, topic, receiver.url)
    snapshot = {**enrollment_snapshot(enrollment), "percentage_completed": 0.24}
    await emit(tenant, "enrollment.progressed", "enrollment", snapshot, user.uuid, course.uuid)
    done = {**snapshot, "percentage_completed": 1.0, "completed_at": T0}
    await emit(tenant, "enrollment.completed", "enrollment", done, user.uuid, course.uuid)
    chapter = await builders.chapter(tenant.ctx, course.id, "Basics")
    lesson = await builders.lesson(tenant.ctx, chapter.id, "Welcome")
    await emit(
        tenant,
        "lesson.completed",
        "lesson",
        {
            "id": lesson.id,
            "uuid": lesson.uuid,
            "lesson": {"id": lesson.id, "title": lesson.title, "position": 1, "kind": "video"},
            "chapter": {"id": chapter.id, "title": chapter.title},
            "course": {"id": course.id, "title": course.title},
            "enrollment": {"id": enrollment.id},
            "user": {"id": user.id, "email": user.email, "first_name": "Ann", "last_name": "Lee"},
        },
        user.uuid,
        course.uuid,
    )
    await emit(
        tenant,
        "quiz.attempted",
        "quiz",
        {"id": 7, "uuid": None, "score": 0.5, "user": {"id": user.id, "email": user.email}},
        user.uuid,
        course.uuid,
    )
    # Events without a Thinkific topic are not delivered.
    await emit(tenant, "course.viewed", "course", {"id": course.id}, user.uuid, course.uuid)
    await drain(worker)
    got = {r.headers["x-thinkific-topic"]: orjson.loads(r.body) for r in receiver.requests}
    assert set(got) == {
        "enrollment.progress",
        "enrollment.completed",
        "lesson.completed",
        "quiz.attempted",
    }
    progress = got["enrollment.progress"]
    assert (progress["resource"], progress["action"]) == ("enrollment", "progress")
    assert progress["payload"]["percentage_completed"] == "24.0"
    assert progress["payload"]["free_trial"] is False
    assert got["enrollment.completed"]["payload"]["percentage_completed"] == "100.0"
    assert got["enrollment.completed"]["payload"]["completed_at"] == "2026-06-01T08:30:00.000Z"
    lesson_done = got["lesson.completed"]["payload"]
    assert lesson_done["lesson"] == {
        "id": lesson.id,
        "name": lesson.title,
        "position": 1,
        "type": "video",
    }
    assert lesson_done["chapter"] == {"id": chapter.id, "name": chapter.title}
    assert lesson_done["enrollment"] == {"id": enrollment.id}
    assert lesson_done["user"]["email"] == user.email
    assert got["quiz.attempted"]["payload"]["score"] == 0.5
    ids = {body["id"] for body in got.values()}
    assert len(ids) == 4 and all(len(i) == 23 for i in ids)


async def test_learning_events_fill_the_ti_feeds(clock: TestClock, tenant: Tenant) -> None:
    clock.pinned = T0
    user, course, enrollment = await enrolled(tenant)
    snapshot = enrollment_snapshot(enrollment)
    await emit(tenant, "enrollment.started", "enrollment", snapshot, user.uuid, course.uuid)
    await emit(tenant, "enrollment.completed", "enrollment", snapshot, user.uuid, course.uuid)
    await emit(
        tenant,
        "certificate.issued",
        "certificate",
        {"id": 3, "uuid": None, "course": {"id": course.id, "title": course.title}},
        user.uuid,
        course.uuid,
    )
    await emit(tenant, "enrollment.expired", "enrollment", snapshot, user.uuid, course.uuid)
    await emit(tenant, "course.viewed", "course", {"id": course.id}, user.uuid, course.uuid)
    await emit(tenant, "quiz.attempted", "quiz", {"id": 9}, user.uuid, course.uuid)
    await emit(
        tenant,
        "order.created",
        "order",
        {"id": 5, "product_name": "Course pack"},
        user.uuid,
        course.uuid,
    )
    await emit(
        tenant, "order.created", "order", {"id": 6, "product_name": "Bundle"}, user.uuid, None
    )
    await emit(
        tenant,
        "redemption_code.redeemed",
        "redemption_code",
        {"id": 2, "code": "X1"},
        user.uuid,
        None,
    )

    async def events(name: str, **params: str) -> list[dict[str, Any]]:
        response = await tenant.ti("GET", f"/events/{name}", params=params)
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()["data"]["APIEvents"]["events"]
        return found

    action = await events("courseAction")
    assert [(e["type"], e["source"]) for e in action] == [
        ("enrollment", "course_enrolled"),
        ("status_change", "course_started"),
        ("status_change", "course_completed"),
        ("certificate", "certificate_granted"),
        ("access_revoked", "access_revoked"),
    ]
    assert all(e["user"] == user.email and e["title"] == course.title for e in action)
    assert [e["source"] for e in await events("courseAction", kind="started")] == ["course_started"]
    assert [e["source"] for e in await events("courseCompletion")] == ["course_completed"]
    assert [e["event"] for e in await events("courseCertificate")] == ["courseCertificate"]
    assert len(await events("activeCourseCertificate")) == 1
    assert [e["source"] for e in await events("courseView")] == ["course_viewed"]
    assert [e["source"] for e in await events("quizAttempt")] == ["quiz_attempted"]
    assert [e["title"] for e in await events("coursePurchase")] == ["Course pack"]
    assert [e["title"] for e in await events("productPurchase")] == ["Course pack", "Bundle"]
    redeemed = await events("redemptionCodeRedeem")
    assert [e["source"] for e in redeemed] == ["redemption_code_redeemed"]
    assert redeemed[0]["userDetail"]["firstName"] == "Ann"  # looked up: not in the payload


async def test_order_created_follows_the_order_sample(
    clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    clock.pinned = T0
    user = await builders.user(tenant.ctx)
    await subscribe(tenant, "order.created", receiver.url)
    snapshot = {
        "id": 41,
        "uuid": "8c7e0d3c-4b7a-4f32-9a49-3e1f1c2a9b10",
        "user_id": user.id,
        "user_email": user.email,
        "product_id": 3,
        "product_name": "Python 101",
        "list_price_cents": 5000,
        "discount_cents": 1000,
        "amount_cents": 4000,
        "currency": "USD",
        "coupon_id": 9,
        "coupon_code": "SAVE10",
        "promotion_id": 2,
        "status": "complete",
        "items": [{"product_id": 3, "product_name": "Python 101", "amount_cents": 4000}],
        "created_at": T0,
    }
    await emit(tenant, "order.created", "order", snapshot, user.uuid, None)
    await drain(worker)
    [request] = receiver.requests
    payload = orjson.loads(request.body)["payload"]
    assert payload["amount_dollars"] == 40.0 and payload["amount_cents"] == 4000
    assert payload["status"] == "Complete" and payload["order_number"] == 41
    assert payload["coupon"] == {"id": 9, "code": "SAVE10", "promotion_id": 2}
    assert payload["items"] == [
        {
            "product_id": 3,
            "product_name": "Python 101",
            "amount_dollars": 40.0,
            "amount_cents": 4000,
        }
    ]
    assert payload["user"]["email"] == user.email and payload["user"]["id"] == user.id
    assert payload["created_at"] == "2026-06-01T08:30:00.000Z"
