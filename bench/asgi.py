"""Pieces the bench's raw ASGI apps (baselines, webhook receiver) share."""

from __future__ import annotations

from typing import Any


async def plain_lifespan(receive: Any, send: Any) -> None:
    """Answer uvicorn's lifespan start and stop with nothing to set up."""
    await receive()
    await send({"type": "lifespan.startup.complete"})
    await receive()
    await send({"type": "lifespan.shutdown.complete"})
