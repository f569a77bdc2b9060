"""Shared pieces of the webhook tests: calling /api/v2, a receiver, and a worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from coursegate.events.worker import Worker
from coursegate.platform import tenancy
from coursegate.store.database import Database
from tests.conftest import Tenant, TestClock
from tests.webhook_receiver import Receiver


async def v2(tenant: Tenant, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """Call the Thinkific Webhooks API v2 as the tenant."""
    headers = {**tenant.thinkific_headers, **kwargs.pop("headers", {})}
    return await tenant.http.request(method, f"/api/v2{path}", headers=headers, **kwargs)


async def drain(worker: Worker, passes: int = 20) -> int:
    """Run worker passes until nothing is due (bounded, so a bug cannot hang the test)."""
    total = 0
    for _ in range(passes):
        made = await worker.run_once()
        total += made
        if made == 0:
            break
    return total


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = await Receiver().start()
    yield r
    await r.stop()


@pytest.fixture
async def worker(db: Database, clock: TestClock) -> AsyncIterator[Worker]:
    runner = Worker(db, clock)
    yield runner
    await runner.aclose()


async def subscribe(tenant: Tenant, topic: str, url: str) -> dict[str, Any]:
    response = await v2(tenant, "POST", "/webhooks", json={"topic": topic, "target_url": url})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def deliveries(tenant: Tenant, hook: dict[str, Any]) -> list[dict[str, Any]]:
    """The subscription's deliveries as the Webhooks API v2 lists them, newest first."""
    response = await v2(tenant, "GET", f"/webhooks/{hook['id']}/deliveries")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def thinkific_profile(db: Database, tenant: Tenant, **values: Any) -> None:
    """Override the site's Thinkific profile (retry ladder, timeouts, disabling) with `values`."""
    await tenancy.update_site(db, tenant.site.subdomain, {"profile": {"thinkific": values}})
