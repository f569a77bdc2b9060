"""How the worker runs: in-process inside `serve` on SQLite, and the `coursegate webhooks` CLI."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx

from coursegate.events.signing import thinkific_signing_key
from coursegate.events.worker import Worker
from coursegate.platform.app import create_app
from coursegate.platform.ratelimit import MemoryRateLimiter
from coursegate.platform.settings import Settings
from coursegate.store.database import Database
from tests import builders, webhooks_support
from tests.conftest import Tenant, TestClock
from tests.webhook_receiver import Receiver
from tests.webhooks_support import deliveries, drain, subscribe

receiver = webhooks_support.receiver
worker = webhooks_support.worker
SRC = Path(__file__).resolve().parents[1] / "src"


async def test_serve_runs_the_worker_in_process_on_sqlite(
    settings: Settings, db: Database, clock: TestClock, tenant: Tenant, receiver: Receiver
) -> None:
    app = create_app(
        settings.model_copy(update={"in_process_worker": True}),
        clock=clock,
        database=db,
        limiter=MemoryRateLimiter(),
    )
    async with app.router.lifespan_context(app):
        task = app.state.webhook_worker
        if db.dialect != "sqlite":
            # PostgreSQL deployments run `coursegate worker` processes instead.
            assert task is None
            return
        assert task is not None and not task.done()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            headers = tenant.thinkific_headers
            created = await http.post(
                "/api/v2/webhooks",
                headers=headers,
                json={"topic": "course.created", "target_url": receiver.url},
            )
            assert created.status_code == 201
            await builders.course(tenant.ctx)
            for _ in range(1000):  # bounded wait for the background task
                if receiver.requests:
                    break
                await asyncio.sleep(0.01)
        assert len(receiver.requests) == 1
    assert task.done()


def cli(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "COURSEGATE_DATABASE_URL": database_url,
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "coursegate", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_cli_delivery_log_redeliver_and_signing_key(
    database_url: str, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    receiver.status = lambda _r: 500
    hook = await subscribe(tenant, "course.created", receiver.url)
    await builders.course(tenant.ctx)
    await drain(worker)
    site = tenant.site.subdomain
    listed = await asyncio.to_thread(
        cli, database_url, "webhooks", "deliveries", "--site", site, "--webhook", hook["id"]
    )
    assert listed.returncode == 0, listed.stderr
    log = await deliveries(tenant, hook)
    [delivery] = log
    assert delivery["id"] in listed.stdout and "pending" in listed.stdout and "500" in listed.stdout

    # An operator redelivers now instead of waiting for the ladder.
    receiver.status = lambda _r: 200
    again = await asyncio.to_thread(
        cli,
        database_url,
        "webhooks",
        "redeliver",
        "--site",
        site,
        "--webhook",
        hook["id"],
        "--delivery",
        delivery["id"],
    )
    assert again.returncode == 0, again.stderr
    assert await drain(worker) == 1
    assert receiver.requests[0].body == receiver.requests[1].body
    shown = (await deliveries(tenant, hook))[0]
    assert shown["status"] == "delivered"

    key = await asyncio.to_thread(cli, database_url, "webhooks", "signing-key", stdin=tenant.key)
    assert key.returncode == 0 and key.stdout.strip() == thinkific_signing_key(tenant.key)
    missing = await asyncio.to_thread(
        cli, database_url, "webhooks", "deliveries", "--site", site, "--webhook", "404"
    )
    assert missing.returncode == 1
