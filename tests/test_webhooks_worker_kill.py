"""Crash safety: `coursegate worker` processes are SIGKILLed again and again while events are
produced; every event is still delivered at least once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import orjson

from coursegate.platform import tenancy
from coursegate.store.database import Database
from tests import builders, webhooks_support
from tests.conftest import Tenant
from tests.webhook_receiver import Receiver
from tests.webhooks_support import subscribe

receiver = webhooks_support.receiver
SRC = Path(__file__).resolve().parents[1] / "src"


async def start_worker(database_url: str) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "COURSEGATE_DATABASE_URL": database_url,
        "COURSEGATE_LOG_LEVEL": "warning",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "coursegate",
        "worker",
        "--idle",
        "0.05",
        "--batch",
        "5",
        "--lease-margin",
        "1",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def kill(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGKILL)
    await process.wait()


async def test_sigkilled_workers_lose_nothing(
    db: Database, database_url: str, tenant: Tenant, receiver: Receiver
) -> None:
    # A short timeout keeps a killed worker's lease short (timeout + margin); a quick retry
    # ladder keeps an attempt that timed out on this busy machine from waiting a minute.
    await tenancy.update_site(
        db,
        tenant.site.subdomain,
        {
            "profile": {
                "thinkific": {"webhook_timeout_seconds": 2, "webhook_retry_seconds": [0.2] * 20}
            }
        },
    )
    receiver.delay = 0.02  # slow enough that kills land mid-delivery
    await subscribe(tenant, "course.created", receiver.url)
    workers = [await start_worker(database_url), await start_worker(database_url)]
    produced: list[int] = []
    try:
        for round_number in range(4):
            for _ in range(8):
                produced.append((await builders.course(tenant.ctx)).id)
            # Let deliveries get under way, then kill one worker hard and start a new one.
            before = len(receiver.requests)
            for _ in range(200):
                if len(receiver.requests) > before:
                    break
                await asyncio.sleep(0.01)
            victim = round_number % len(workers)
            await kill(workers[victim])
            workers[victim] = await start_worker(database_url)

        def delivered() -> set[int]:
            return {orjson.loads(r.body)["payload"]["id"] for r in receiver.requests}

        # Bounded wait for the survivors to finish (a killed worker's lease lapses after 3 s).
        for _ in range(6000):
            if delivered() >= set(produced):
                break
            await asyncio.sleep(0.01)
    finally:
        for process in workers:
            await kill(process)
    assert set(produced) <= delivered()
    assert len(produced) == 32
