"""The worker's batching and wake-up: one pass records successes and failures of different
endpoints together, each with its own consequences; one pass sends several deliveries of an
endpoint in order, stopping at a failure; a committed change wakes a sleeping worker, a
rolled-back one neither wakes it nor is delivered."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import orjson

from coursegate.events.worker import Worker
from coursegate.store.database import Database, Unit
from coursegate.store.webhooks import DeliveryRepo
from tests import builders, webhooks_support
from tests.conftest import Tenant, TestClock
from tests.webhook_receiver import Receiver
from tests.webhooks_support import drain, subscribe, thinkific_profile, v2

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
    await thinkific_profile(
        db, tenant, webhook_retry_seconds=[0, 0, 0, 0, 0], webhook_disable_after_failures=4
    )
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
    runner = Worker(db, clock)
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


def _sent_ids(receiver: Receiver, path: str | None = None) -> list[int]:
    """Course ids of the deliveries received (to `path` only, when given), in arrival order."""
    return [
        orjson.loads(r.body)["payload"]["id"]
        for r in receiver.requests
        if path is None or r.path == path
    ]


async def _passes(db: Database, clock: TestClock, passes: int, **options: float) -> list[int]:
    """Attempts made by each of `passes` passes of a worker built with `options`."""
    runner = Worker(db, clock, **options)  # type: ignore[arg-type]
    try:
        return [await runner.run_once() for _ in range(passes)]
    finally:
        await runner.aclose()


async def test_one_pass_sends_an_endpoints_backlog_in_order(
    db: Database, clock: TestClock, tenant: Tenant, receiver: Receiver
) -> None:
    clock.pinned = T0
    base = f"http://127.0.0.1:{receiver.port}"
    for name in ("a", "b"):
        await subscribe(tenant, "course.created", f"{base}/{name}")
    courses = [(await builders.course(tenant.ctx)).id for _ in range(5)]
    # At most two per endpoint per pass; each endpoint's share in queue order.
    assert await _passes(db, clock, 4, per_endpoint=2) == [4, 4, 2, 0]
    assert _sent_ids(receiver, "/a") == courses
    assert _sent_ids(receiver, "/b") == courses


async def test_a_failure_ends_the_run_and_gives_back_the_rest(
    db: Database, clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    await thinkific_profile(db, tenant, webhook_retry_seconds=[1])
    clock.pinned = T0
    answers = iter([200, 500])
    receiver.status = lambda _r: next(answers, 200)
    hook = await subscribe(tenant, "course.created", receiver.url)
    courses = [(await builders.course(tenant.ctx)).id for _ in range(4)]

    assert await worker.run_once() == 2  # the first delivered, the second failed: stop there
    assert await worker.run_once() == 0  # the third waits behind the second's retry
    # One second later the retry is due. The third and fourth were given back when the pass
    # was recorded (their leases would otherwise hold them for the timeout and margin).
    clock.pinned = T0 + timedelta(seconds=1)
    assert await worker.run_once() == 3
    assert _sent_ids(receiver) == [courses[0], courses[1], courses[1], courses[2], courses[3]]
    logs = (await v2(tenant, "GET", f"/webhooks/{hook['id']}/deliveries")).json()
    assert [(d["status"], d["attempts"]) for d in reversed(logs["items"])] == [
        ("delivered", 1),
        ("delivered", 2),
        ("delivered", 1),
        ("delivered", 1),
    ]


async def test_a_run_posts_no_more_than_its_leases_cover(
    db: Database, clock: TestClock, tenant: Tenant, receiver: Receiver
) -> None:
    # With no margin beyond the timeout, a run has no time left to start a second post: each
    # pass sends only the head of the queue, and the order still holds.
    clock.pinned = T0
    await subscribe(tenant, "course.created", receiver.url)
    courses = [(await builders.course(tenant.ctx)).id for _ in range(3)]
    assert await _passes(db, clock, 4, lease_margin_seconds=0) == [1, 1, 1, 0]
    assert _sent_ids(receiver) == courses


async def test_no_claim_starts_behind_a_head_another_worker_holds(
    db: Database, clock: TestClock, tenant: Tenant
) -> None:
    clock.pinned = T0
    hook = await subscribe(tenant, "course.created", "http://127.0.0.1:9/hook")
    for _ in range(3):
        await builders.course(tenant.ctx)

    def lease(_vendor: str) -> datetime:
        return T0 + timedelta(seconds=35)

    async def claim(per_endpoint: int) -> list[int]:
        async with db.write() as conn:
            repo = DeliveryRepo(Unit(conn, tenant.site.id, T0))
            rows = await repo.claim(
                T0, T0, lease, 100, per_endpoint=per_endpoint, skip_locked=db.is_postgres
            )
        return [row.id for row in rows]

    [head] = await claim(1)  # one worker holds the head of the queue
    # The two behind it are due and unleased, but sending them now could overtake the head.
    assert await claim(10) == []
    async with db.write() as conn:
        await DeliveryRepo(Unit(conn, tenant.site.id, T0)).release([head])
    claimed = await claim(10)
    assert len(claimed) == 3 and claimed[0] == head and claimed == sorted(claimed)
    # Workers serve every site of the (shared) database: leave nothing for them to send.
    assert (await v2(tenant, "DELETE", f"/webhooks/{hook['id']}")).status_code == 204
