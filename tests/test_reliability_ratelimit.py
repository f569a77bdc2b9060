"""Rate limits shared through Redis by two server processes: a burst of ten times the limit,
split across both, is allowed exactly the configured allowance per window, with each vendor's
headers. Every run uses its own Redis key prefix (Redis is shared)."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections import defaultdict
from collections.abc import Iterator

import httpx
import pytest
import redis

from coursegate.platform import tenancy
from coursegate.platform.clock import SystemClock
from coursegate.store.database import Database
from tests.reliability_support import Server

REDIS_URL = "redis://127.0.0.1:6379/0"
LIMIT = 15
BURST = LIMIT * 10
# A long window makes a burst that straddles two windows rare; the checks below hold either way.
WINDOW = 3600


@pytest.fixture(scope="module")
def prefix() -> Iterator[str]:
    name = f"cgtest-{uuid.uuid4().hex}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)


@pytest.fixture(scope="module")
def servers(
    database_url: str, prefix: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Server]]:
    folder = tmp_path_factory.mktemp("ratelimit")
    env = {"COURSEGATE_REDIS_URL": REDIS_URL, "COURSEGATE_REDIS_PREFIX": prefix}
    first = Server(database_url, folder / "a.log", env=env)
    second = Server(database_url, folder / "b.log", env=env)
    with first, second:
        yield [first, second]


async def _limited_site(database_url: str) -> tuple[str, str]:
    db = Database(database_url, 1)
    try:
        subdomain = f"rl{uuid.uuid4().hex[:10]}"
        overrides = {"rate_limit": LIMIT, "rate_window_seconds": WINDOW}
        profile = {"thinkific": overrides, "thoughtindustries": overrides}
        await tenancy.create_site(db, SystemClock(), subdomain, rate_limits=True, profile=profile)
        return subdomain, await tenancy.create_key(db, SystemClock(), subdomain, "burst")
    finally:
        await db.dispose()


async def _burst(servers: list[Server], path: str, headers: dict[str, str]) -> list[httpx.Response]:
    clients = [httpx.AsyncClient(base_url=s.base_url, headers=headers, timeout=60) for s in servers]
    try:
        targets = itertools.cycle(clients)
        return list(await asyncio.gather(*(next(targets).get(path) for _ in range(BURST))))
    finally:
        for client in clients:
            await client.aclose()


def _check_windows(responses: list[httpx.Response], names: tuple[str, str, str]) -> None:
    limit_h, remaining_h, reset_h = names
    by_window: dict[str, list[httpx.Response]] = defaultdict(list)
    for response in responses:
        assert response.status_code in (200, 429), response.text
        assert response.headers[limit_h] == str(LIMIT)
        by_window[response.headers[reset_h]].append(response)
    for window in by_window.values():
        allowed = [r for r in window if r.status_code == 200]
        refused = [r for r in window if r.status_code == 429]
        assert len(allowed) == min(LIMIT, len(window)), (len(allowed), len(window))
        # Each allowed request saw a distinct count: remaining runs LIMIT-1 .. 0 exactly once.
        remaining = sorted(int(r.headers[remaining_h]) for r in allowed)
        assert remaining == list(range(LIMIT - len(allowed), LIMIT))
        for r in refused:
            assert r.headers[remaining_h] == "0" and int(r.headers["Retry-After"]) >= 1
    assert sum(r.status_code == 200 for r in responses) >= LIMIT


async def test_burst_across_two_processes_is_metered_once(
    servers: list[Server], database_url: str
) -> None:
    subdomain, key = await _limited_site(database_url)
    tk = await _burst(
        servers, "/api/public/v1/courses", {"X-Auth-API-Key": key, "X-Auth-Subdomain": subdomain}
    )
    _check_windows(tk, ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"))
    refused = next(r for r in tk if r.status_code == 429)
    assert refused.json() == {"error": "Rate limit exceeded. Please retry later."}

    ti = await _burst(servers, "/incoming/v2/ping", {"Authorization": f"Bearer {key}"})
    _check_windows(ti, ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"))
    body = next(r for r in ti if r.status_code == 429).json()
    assert body["error"] == "rate_limit_exceeded" and body["retryAfter"] >= 1
