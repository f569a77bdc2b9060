"""The in-process delivery worker `serve` runs on SQLite (PostgreSQL deployments run
`coursegate worker` processes instead)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from coursegate.events.worker import Worker
from coursegate.platform.gate import Services
from coursegate.platform.settings import Settings

log = logging.getLogger("coursegate.worker")


@asynccontextmanager
async def in_process_worker(
    settings: Settings, services: Services
) -> AsyncIterator[asyncio.Task[None] | None]:
    """Runs the worker for the app's lifetime; yields its task (None when not running here)."""
    if not (settings.in_process_worker and services.db.dialect == "sqlite"):
        yield None
        return
    stop = asyncio.Event()
    worker = Worker(
        services.db, services.clock, allow_private=settings.webhook_allow_private_targets
    )
    task = asyncio.create_task(worker.run_forever(stop=stop), name="coursegate-webhook-worker")
    log.info("in-process webhook worker started")
    try:
        yield task
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, 35)
        await worker.aclose()  # a cancelled run_forever has not closed its connections
