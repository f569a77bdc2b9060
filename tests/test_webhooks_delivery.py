"""Delivery: signed POSTs, the retry ladder on the site clock, disabling, ordering, the delivery
log and redelivery, and nothing delivered for a rolled-back change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest

from coursegate.events.targets import Policy, TargetRefused, resolve
from coursegate.events.worker import Worker
from coursegate.store.database import Database
from tests import builders, webhooks_support
from tests.conftest import Tenant, TestClock
from tests.webhook_receiver import Receiver, independent_hmac_hex
from tests.webhooks_support import deliveries, drain, subscribe, thinkific_profile, v2

receiver = webhooks_support.receiver
worker = webhooks_support.worker

T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
LADDER = (60, 300, 1800, 7200, 86400)


async def test_thinkific_delivery_is_signed_and_labelled(
    tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    await subscribe(tenant, "user.signup", receiver.url)
    user = await builders.user(tenant.ctx)
    assert await drain(worker) == 1
    [request] = receiver.requests
    assert request.method == "POST" and request.path == "/hook"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-thinkific-topic"] == "user.signup"
    assert request.headers["x-thinkific-subdomain"] == tenant.site.subdomain
    from coursegate.events.signing import thinkific_signing_key

    key = thinkific_signing_key(tenant.key)
    assert request.headers["x-thinkific-hmac-sha256"] == independent_hmac_hex(key, request.body)
    envelope = orjson.loads(request.body)
    assert set(envelope) == {"id", "resource", "action", "tenant_id", "created_at", "payload"}
    assert (envelope["resource"], envelope["action"]) == ("user", "signup")
    assert len(envelope["id"]) == 23 and envelope["id"].isdigit()
    assert envelope["payload"]["email"] == user.email
    assert "full_name" not in envelope["payload"] and "uuid" not in envelope["payload"]


async def test_enrollment_payload_follows_the_webhook_samples(
    tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    await subscribe(tenant, "enrollment.trial", receiver.url)
    await subscribe(tenant, "enrollment.created", receiver.url)
    user = await builders.user(tenant.ctx)
    course = await builders.course(tenant.ctx)
    await builders.enrollment(tenant.ctx, user.id, course.id)  # no activated_at: a trial
    other = await builders.course(tenant.ctx)
    await builders.enrollment(tenant.ctx, user.id, other.id, activated_at=datetime.now(UTC))
    await drain(worker)
    by_topic = {r.headers["x-thinkific-topic"]: orjson.loads(r.body) for r in receiver.requests}
    assert set(by_topic) == {"enrollment.trial", "enrollment.created"}
    trial = by_topic["enrollment.trial"]["payload"]
    assert trial["free_trial"] is True and trial["percentage_completed"] == "0.0"
    assert trial["course"] == {"id": course.id, "name": course.title}
    assert trial["user"]["email"] == user.email and trial["course_id"] == course.id
    full = by_topic["enrollment.created"]["payload"]
    assert full["free_trial"] is False and full["activated_at"].endswith("Z")


async def test_ti_delivery_envelope_and_signature(
    tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    secret = "whsec_test_secret_123"
    body = {"url": receiver.url, "events": ["courseEnrollment"], "secret": secret, "active": True}
    assert (await tenant.ti("POST", "/webhooks", json=body)).status_code == 201
    user = await builders.user(tenant.ctx, first_name="Ada", last_name="Byron")
    course = await builders.course(tenant.ctx)
    await builders.enrollment(tenant.ctx, user.id, course.id, activated_at=datetime.now(UTC))
    await drain(worker)
    [request] = receiver.requests
    assert request.headers["x-ti-signature"] == independent_hmac_hex(secret, request.body)
    assert "x-thinkific-topic" not in request.headers
    envelope = orjson.loads(request.body)
    assert set(envelope) == {"event", "timestamp", "data"}
    assert envelope["event"] == "courseEnrollment"
    data = envelope["data"]
    assert data["type"] == "enrollment" and data["source"] == "course_enrolled"
    assert data["user"] == user.email and data["notifiableId"] == course.uuid
    assert data["companyId"] == tenant.site.uuid and data["title"] == course.title
    assert data["userDetail"]["firstName"] == "Ada" and data["userDetail"]["id"] == user.uuid


async def test_retry_ladder_on_the_site_clock_then_disabled(
    db: Database, clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    await thinkific_profile(db, tenant, webhook_disable_after_failures=6)
    clock.pinned = T0
    receiver.status = lambda _r: 503
    hook = await subscribe(tenant, "course.created", receiver.url)
    await builders.course(tenant.ctx)

    assert await worker.run_once() == 1
    at = T0
    for wait in LADDER:
        clock.pinned = at + timedelta(seconds=wait) - timedelta(milliseconds=1)
        assert await worker.run_once() == 0, f"retried before {wait}s"
        at += timedelta(seconds=wait)
        clock.pinned = at
        assert await worker.run_once() == 1, f"no retry after {wait}s"
    clock.pinned = at + timedelta(days=30)
    assert await worker.run_once() == 0

    assert len(receiver.requests) == 6
    assert len({orjson.loads(r.body)["id"] for r in receiver.requests}) == 1
    assert len({r.body for r in receiver.requests}) == 1
    shown = (await v2(tenant, "GET", f"/webhooks/{hook['id']}")).json()
    assert shown["status"] == "disabled"
    log = (await v2(tenant, "GET", f"/webhooks/{hook['id']}/deliveries")).json()
    [delivery] = log["items"]
    assert delivery["status"] == "undeliverable" and delivery["attempts"] == 6
    expected, t = [T0], T0
    for wait in LADDER:
        t += timedelta(seconds=wait)
        expected.append(t)
    attempted = [
        datetime.fromisoformat(a["attempted_at"].replace("Z", "+00:00")) for a in delivery["log"]
    ]
    assert attempted == expected
    assert all(a["response_status"] == 503 for a in delivery["log"])
    assert delivery["event_id"] == orjson.loads(receiver.requests[0].body)["id"]

    # A disabled endpoint is not fed (events meanwhile are not queued for it); editing it
    # turns it back on for what happens next.
    await builders.course(tenant.ctx)
    assert await worker.run_once() == 0
    receiver.status = lambda _r: 200
    put = await v2(
        tenant,
        "PUT",
        f"/webhooks/{hook['id']}",
        json={"topic": "course.created", "target_url": receiver.url},
    )
    assert put.json()["status"] == "active"
    assert await drain(worker) == 0
    later = await builders.course(tenant.ctx)
    assert await drain(worker) == 1
    assert orjson.loads(receiver.requests[-1].body)["payload"]["id"] == later.id


async def test_endpoint_order_is_preserved(
    clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    clock.pinned = T0
    failures = {"left": 1}

    def status(_r: object) -> int:
        if failures["left"]:
            failures["left"] -= 1
            return 500
        return 204

    receiver.status = status
    await subscribe(tenant, "course.created", receiver.url)
    first = await builders.course(tenant.ctx)
    second = await builders.course(tenant.ctx)
    await drain(worker)
    # The first failed; the second waits behind it instead of overtaking.
    assert [orjson.loads(r.body)["payload"]["id"] for r in receiver.requests] == [first.id]
    clock.pinned = T0 + timedelta(seconds=60)
    await drain(worker)
    ids = [orjson.loads(r.body)["payload"]["id"] for r in receiver.requests]
    assert ids == [first.id, first.id, second.id]


async def test_abandoned_delivery_lets_the_next_one_through(
    db: Database, clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    await thinkific_profile(db, tenant, webhook_retry_seconds=[10])
    clock.pinned = T0
    first_body: list[bytes] = []

    def status(r: object) -> int:
        body = r.body  # type: ignore[attr-defined]
        if not first_body:
            first_body.append(body)
        return 500 if body == first_body[0] else 200

    receiver.status = status
    await subscribe(tenant, "course.created", receiver.url)
    await builders.course(tenant.ctx)
    await builders.course(tenant.ctx)
    await drain(worker)
    clock.pinned = T0 + timedelta(seconds=10)
    await drain(worker)
    assert len(receiver.requests) == 3
    assert receiver.requests[2].body != first_body[0]


async def test_redelivery_sends_the_same_event_again(
    tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    hook = await subscribe(tenant, "course.created", receiver.url)
    await builders.course(tenant.ctx)
    await drain(worker)
    log = (await v2(tenant, "GET", f"/webhooks/{hook['id']}/deliveries")).json()
    [delivery] = log["items"]
    assert delivery["status"] == "delivered" and delivery["log"][0]["response_status"] == 200
    again = await v2(
        tenant, "POST", f"/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver"
    )
    assert again.status_code == 200 and again.json()["status"] == "pending"
    await drain(worker)
    assert len(receiver.requests) == 2 and receiver.requests[0].body == receiver.requests[1].body
    missing = await v2(tenant, "POST", f"/webhooks/{hook['id']}/deliveries/999999999/redeliver")
    assert missing.status_code == 404


async def test_rolled_back_change_is_never_delivered(
    tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    hook = await subscribe(tenant, "user.signup", receiver.url)
    body = {
        "email": "ghost@example.com",
        "firstName": "G",
        "lastName": "H",
        "courseSlugs": ["nope"],
    }
    response = await tenant.ti("POST", "/users", json=body)
    assert response.status_code in (400, 404)
    assert await drain(worker) == 0
    assert receiver.requests == []
    log = (await v2(tenant, "GET", f"/webhooks/{hook['id']}/deliveries")).json()
    assert log["items"] == [] and log["meta"]["page"]["total_items"] == 0
    # The same change, committed, is delivered.
    ok = await tenant.ti("POST", "/users", json={**body, "courseSlugs": []})
    assert ok.status_code == 201
    assert await drain(worker) == 1


async def test_unsubscribed_topics_and_other_sites_get_nothing(
    tenant: Tenant, other_tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    await subscribe(tenant, "order.created", receiver.url)
    await subscribe(other_tenant, "course.created", receiver.url)
    await builders.course(tenant.ctx)
    await drain(worker)
    assert receiver.requests == []


async def test_targets_are_checked_again_at_delivery() -> None:
    live = Policy(sandbox=False, allow_private=False)
    for url in ("https://localhost/x", "https://127.0.0.1/x", "https://10.0.0.1/x"):
        with pytest.raises(TargetRefused):
            await resolve(url, live)
    assert (
        await resolve("https://10.0.0.1/x", Policy(sandbox=False, allow_private=True)) == "10.0.0.1"
    )
    assert await resolve("http://localhost:8080/x", Policy(sandbox=True, allow_private=False)) in (
        "127.0.0.1",
        "::1",
    )


async def test_redirects_are_failures_and_responses_are_truncated(
    clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    clock.pinned = T0
    receiver.status = lambda _r: 302
    hook = await subscribe(tenant, "course.created", receiver.url)
    await builders.course(tenant.ctx)
    await drain(worker)
    assert len(receiver.requests) == 1
    [delivery] = await deliveries(tenant, hook)
    assert delivery["status"] == "pending" and delivery["log"][0]["response_status"] == 302
    assert delivery["next_attempt_at"] == "2026-03-02T09:01:00.000Z"
