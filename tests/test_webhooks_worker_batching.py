"""The worker's batching and wake-up: one pass records successes and failures of different
endpoints together, each with its own consequences; a committed change wakes a sleeping worker,
a rolled-back one neither wakes it nor is delivered."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import orjson

from coursegate.events.worker import Worker
from coursegate.platform import tenancy
from coursegate.store.database import Database
from tests import builders, webhooks_support
from tests.conftest import Tenant, TestClock
from tests.webhook_receiver import Receiver
from tests.webhooks_support import drain, subscribe, v2

receiver = webhooks_support.receiver
worker = webhooks_support.worker

T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


async def test_one_pass_settles_each_endpoint_on_its_own(
    clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    clock.pinned = T0
    receiver.status = lambda r: 500 if r.path.startswith("/failing") else 200
    base = f"http://127.0.0.1:{receiver.port}"
    good = [await subscribe(tenant, "course.created", f"{base}/ok{i}") for i in range(3)]
    bad = await subscribe(tenant, "course.created", f"{base}/failing")
    course = await builders.course(tenant.ctx)

    assert await worker.run_once() == 4  # all four queue heads in one pass
    assert sorted(r.path for r in receiver.requests) == ["/failing", "/ok0", "/ok1", "/ok2"]
    for hook in good:
        log = (await v2(tenant, "GET", f"/webhooks/{hook['id']}/deliveries")).json()
        [delivery] = log["items"]
        assert delivery["status"] == "delivered" and delivery["attempts"] == 1
        assert [a["response_status"] for a in delivery["log"]] == [200]
    log = (await v2(tenant, "GET", f"/webhooks/{bad['id']}/deliveries")).json()
    [delivery] = log["items"]
    assert delivery["status"] == "pending" and delivery["attempts"] == 1
    assert [a["response_status"] for a in delivery["log"]] == [500]
    # Nothing is due before the ladder's first step; every body carried the same event.
    assert await worker.run_once() == 0
    assert {orjson.loads(r.body)["payload"]["id"] for r in receiver.requests} == {course.id}


async def test_success_after_failures_resets_the_failure_count(
    db: Database, clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    # Without the reset, the fourth failure in a row would disable the hook.
    profile = {"webhook_retry_seconds": [0, 0, 0, 0, 0], "webhook_disable_after_failures": 4}
    await tenancy.update_site(db, tenant.site.subdomain, {"profile": {"thinkific": profile}})
    clock.pinned = T0
    answers = iter([500, 500, 200, 500, 500, 200])
    receiver.status = lambda _r: next(answers)
    hook = await subscribe(tenant, "course.created", receiver.url)
    await builders.course(tenant.ctx)
    await builders.course(tenant.ctx)
    await drain(worker)
    logs = (await v2(tenant, "GET", f"/webhooks/{hook['id']}/deliveries")).json()["items"]
    assert [d["status"] for d in logs] == ["delivered", "delivered"]
    assert [d["attempts"] for d in logs] == [3, 3]
    shown = (await v2(tenant, "GET", f"/webhooks/{hook['id']}")).json()
    assert shown["status"] == "active"


async def test_a_commit_wakes_a_sleeping_worker(
    db: Database, clock: TestClock, tenant: Tenant, receiver: Receiver
) -> None:
    await subscribe(tenant, "user.signup", receiver.url)
    stop = asyncio.Event()
    woken: list[bool] = []
    remove = db.on_outbox_commit(lambda: woken.append(True))
    async with httpx.AsyncClient() as client:
        runner = Worker(db, clock, client)
        # An idle interval far longer than the bounded wait below: only a wake-up delivers.
        task = asyncio.create_task(runner.run_forever(idle_seconds=600, stop=stop))
        try:
            await asyncio.sleep(0.2)  # let it find nothing and go to sleep
            # A change that fails (and rolls back) queues nothing and wakes nobody.
            failed = await tenant.ti(
                "POST",
                "/users",
                json={"email": "ghost@example.com", "firstName": "G", "lastName": "H",
                      "courseSlugs": ["nope"]},
            )  # fmt: skip
            assert failed.status_code in (400, 404)
            assert woken == []
            created = await tenant.ti(
                "POST",
                "/users",
                json={"email": "real@example.com", "firstName": "R", "lastName": "L"},
            )
            assert created.status_code == 201
            assert woken == [True]
            for _ in range(1000):  # bounded wait, far below the idle interval
                if receiver.requests:
                    break
                await asyncio.sleep(0.01)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            remove()
            await runner.aclose()
    [received] = receiver.requests
    assert orjson.loads(received.body)["payload"]["email"] == "real@example.com"
