"""The worker's HTTP side: https to the checked address with the name's certificate, timeouts,
refused connections, bounded reply excerpts, and no state (cookies) kept between deliveries."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import trustme

from coursegate.events.worker import EXCERPT_CHARS, Worker
from coursegate.store.database import Database
from tests import builders, webhooks_support
from tests.conftest import Tenant, TestClock
from tests.webhook_receiver import Receiver
from tests.webhooks_support import deliveries, drain, subscribe, thinkific_profile, v2

receiver = webhooks_support.receiver
worker = webhooks_support.worker

T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


async def _log(tenant: Tenant, hook: dict[str, Any]) -> list[dict[str, Any]]:
    items = await deliveries(tenant, hook)
    return [attempt for item in items for attempt in item["log"]]


async def _unsubscribe(tenant: Tenant, hook: dict[str, Any]) -> None:
    """Leave no pending retry behind for later tests' workers (the database may be shared)."""
    assert (await v2(tenant, "DELETE", f"/webhooks/{hook['id']}")).status_code == 204


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
async def tls_receiver(ca: trustme.CA) -> AsyncIterator[Receiver]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    r = await Receiver(tls=context).start()
    yield r
    await r.stop()


async def test_https_goes_to_the_checked_address_with_the_names_certificate(
    db: Database, clock: TestClock, tenant: Tenant, ca: trustme.CA, tls_receiver: Receiver
) -> None:
    clock.pinned = T0
    hook = await subscribe(tenant, "course.created", f"https://localhost:{tls_receiver.port}/hook")
    await builders.course(tenant.ctx)

    # The system's trust store does not know the test CA: the attempt fails on the certificate.
    untrusting = Worker(db, clock)
    try:
        await drain(untrusting)
    finally:
        await untrusting.aclose()
    [refused] = await _log(tenant, hook)
    assert refused["response_status"] is None and "certificate" in refused["error"].lower()
    assert tls_receiver.requests == []

    trusting_context = ssl.create_default_context()
    ca.configure_trust(trusting_context)
    trusting = Worker(db, clock, tls=trusting_context)
    clock.pinned = T0.replace(minute=5)  # past the first retry
    try:
        await drain(trusting)
    finally:
        await trusting.aclose()
    [request] = tls_receiver.requests
    # Connected to 127.0.0.1 (resolved and checked); SNI and Host still carry the name.
    assert request.headers["host"] == f"localhost:{tls_receiver.port}"
    assert [a["response_status"] for a in await _log(tenant, hook)] == [None, 200]


async def test_a_kept_connection_is_not_reused_for_another_name(
    db: Database, clock: TestClock, tenant: Tenant, ca: trustme.CA, tls_receiver: Receiver
) -> None:
    """Both URLs resolve to 127.0.0.1: the connection checked for `localhost` must not carry a
    delivery to `127.0.0.1`, whose name the certificate does not hold (aiohttp keys its pool by
    the SNI name since 3.14's fix; older versions reused it)."""
    clock.pinned = T0
    named = await subscribe(tenant, "course.created", f"https://localhost:{tls_receiver.port}/h")
    await builders.course(tenant.ctx)
    trusting_context = ssl.create_default_context()
    ca.configure_trust(trusting_context)
    trusting = Worker(db, clock, tls=trusting_context)
    try:
        await drain(trusting)  # leaves a kept-alive connection to 127.0.0.1, checked as localhost
        by_address = await subscribe(
            tenant, "user.signup", f"https://127.0.0.1:{tls_receiver.port}/h"
        )
        await builders.user(tenant.ctx)
        await drain(trusting)
    finally:
        await trusting.aclose()
    assert [a["response_status"] for a in await _log(tenant, named)] == [200]
    [refused] = await _log(tenant, by_address)
    assert refused["response_status"] is None and "certificate" in refused["error"].lower()
    assert len(tls_receiver.requests) == 1
    await _unsubscribe(tenant, by_address)


async def test_a_slow_receiver_times_out_on_the_sites_timeout(
    db: Database, clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    clock.pinned = T0
    await thinkific_profile(db, tenant, webhook_timeout_seconds=0.2)
    receiver.delay = 1.0
    hook = await subscribe(tenant, "course.created", receiver.url)
    await builders.course(tenant.ctx)
    await drain(worker)
    [attempt] = await _log(tenant, hook)
    assert attempt["response_status"] is None
    assert attempt["error"] == "timed out after 0.2s"
    assert 200 <= attempt["duration_ms"] < 1000
    await _unsubscribe(tenant, hook)


async def test_a_closed_port_is_a_failed_attempt_with_the_reason(
    clock: TestClock, tenant: Tenant, worker: Worker
) -> None:
    clock.pinned = T0
    gone = await Receiver().start()
    await gone.stop()  # nothing listens on its port any more
    hook = await subscribe(tenant, "course.created", gone.url)
    await builders.course(tenant.ctx)
    await drain(worker)
    [attempt] = await _log(tenant, hook)
    assert attempt["response_status"] is None
    assert "connect" in attempt["error"].lower() and f":{gone.port}" in attempt["error"]
    [delivery] = await deliveries(tenant, hook)
    assert delivery["status"] == "pending" and delivery["next_attempt_at"] is not None
    await _unsubscribe(tenant, hook)


async def test_reply_excerpts_are_bounded_and_no_cookies_are_kept(
    clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    clock.pinned = T0
    receiver.reply = "é".encode() * EXCERPT_CHARS  # twice the bound, in bytes
    receiver.reply_headers = b"set-cookie: session=abc; Path=/\r\n"
    hook = await subscribe(tenant, "course.created", receiver.url)
    await builders.course(tenant.ctx)
    await builders.course(tenant.ctx)
    await drain(worker)
    attempts = await _log(tenant, hook)
    assert [a["response_status"] for a in attempts] == [200, 200]
    assert all(a["response_excerpt"] == "é" * (EXCERPT_CHARS // 2) for a in attempts)
    assert [r.headers.get("cookie") for r in receiver.requests] == [None, None]
