"""Fixed-window request counters per API key: in-process, or shared through Redis."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_epoch: int  # when the current window ends (Unix seconds)
    now: float = 0.0  # the instant the request was counted at (from the injected clock)

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.reset_epoch - (self.now or time.time())))


class RateLimiter(Protocol):
    async def hit(
        self, bucket: str, limit: int, window: int, now: float | None = None
    ) -> Verdict: ...


def _window(window: int, now: float) -> tuple[int, int]:
    start = int(now // window) * window
    return start, start + window


class MemoryRateLimiter:
    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], int] = {}

    async def hit(self, bucket: str, limit: int, window: int, now: float | None = None) -> Verdict:
        instant = time.time() if now is None else now
        start, end = _window(window, instant)
        key = (bucket, start)
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        if len(self._counts) > 50_000:  # drop windows that have ended
            self._counts = {k: v for k, v in self._counts.items() if k[1] >= start}
        return Verdict(count <= limit, limit, max(0, limit - count), end, instant)


class RedisRateLimiter:
    """INCR on a key per (bucket, window); every process sharing Redis shares the budget."""

    def __init__(self, url: str, prefix: str = "coursegate") -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(url)
        # Deployments (and test runs) sharing one Redis keep their counters apart by prefix.
        self._prefix = prefix

    async def hit(self, bucket: str, limit: int, window: int, now: float | None = None) -> Verdict:
        instant = time.time() if now is None else now
        start, end = _window(window, instant)
        key = f"{self._prefix}:rl:{bucket}:{start}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, window + 5)
            count, _ = await pipe.execute()
        return Verdict(int(count) <= limit, limit, max(0, limit - int(count)), end, instant)

    async def close(self) -> None:
        await self._redis.aclose()
