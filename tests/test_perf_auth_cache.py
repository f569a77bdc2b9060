"""The key-lookup cache (platform/auth_cache.py): a change made in this process is seen by the
next request; one made by another process within COURSEGATE_AUTH_CACHE_SECONDS."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from coursegate.platform import keys, tenancy
from coursegate.platform.app import create_app
from coursegate.platform.auth_cache import AuthCache
from coursegate.platform.ratelimit import MemoryRateLimiter
from coursegate.platform.settings import Settings
from coursegate.store.database import Database
from tests.conftest import Tenant, TestClock, make_tenant

SRC = str(Path(__file__).resolve().parents[1] / "src")
TTL = 30.0


class Elapsed:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def other_process(database_url: str, *args: str) -> None:
    """Run the CLI in its own process: its writes do not move this process's write epoch."""
    done = subprocess.run(
        [sys.executable, "-m", "coursegate", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COURSEGATE_DATABASE_URL": database_url, "PYTHONPATH": SRC},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def revoke_elsewhere(database_url: str, tenant: Tenant) -> None:
    key_id = tenant.key.split("_")[2]
    other_process(database_url, "keys", "revoke", key_id, "--site", tenant.site.subdomain)


@asynccontextmanager
async def warm_tenant(app: Any, db: Database, clock: TestClock) -> AsyncIterator[Tenant]:
    """A new tenant served by `app`, its key lookup in the cache."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        tenant = await make_tenant(db, clock, http)
        # The first request records the key's use (a write), which already ends its entry.
        for _ in range(2):
            assert (await tenant.ti("GET", "/ping")).status_code == 200
        yield tenant


def make_app(settings: Settings, db: Database, clock: TestClock) -> Any:
    return create_app(settings, clock=clock, database=db, limiter=MemoryRateLimiter())


@pytest.fixture
async def cached(
    settings: Settings, db: Database, clock: TestClock
) -> AsyncIterator[tuple[Tenant, Elapsed]]:
    """A tenant served by an app whose cache keeps lookups for TTL seconds of `Elapsed`."""
    app = make_app(settings, db, clock)
    elapsed = Elapsed()
    app.state.services.auth_cache = AuthCache(TTL, monotonic=elapsed)
    async with warm_tenant(app, db, clock) as tenant:
        yield tenant, elapsed


async def test_another_process_revocation_is_seen_once_the_entry_ages_out(
    cached: tuple[Tenant, Elapsed], database_url: str
) -> None:
    tenant, elapsed = cached
    revoke_elsewhere(database_url, tenant)
    # Within the bound the lookup made before the revocation may still be used...
    elapsed.value += TTL - 1
    assert (await tenant.ti("GET", "/ping")).status_code == 200
    # ...and not past it.
    elapsed.value += 1
    assert (await tenant.ti("GET", "/ping")).status_code == 401
    assert (await tenant.tk("GET", "/courses")).status_code == 401


async def test_another_process_site_change_is_seen_once_the_entry_ages_out(
    cached: tuple[Tenant, Elapsed], database_url: str
) -> None:
    tenant, elapsed = cached
    other_process(
        database_url, "sites", "set", tenant.site.subdomain, "--rate-limits"
    )  # the vendor's rate-limit headers appear once the change is seen
    assert "RateLimit-Limit" not in (await tenant.tk("GET", "/courses")).headers
    elapsed.value += TTL
    assert "RateLimit-Limit" in (await tenant.tk("GET", "/courses")).headers


async def test_postgres_processes_hear_each_others_key_changes_at_once(
    settings: Settings, db: Database, clock: TestClock, database_url: str
) -> None:
    """On PostgreSQL the change is announced (NOTIFY at commit) and a serving process drops its
    entries when it hears it; SQLite has no such channel, so there only the bound above holds."""
    if not db.is_postgres:
        pytest.skip("NOTIFY/LISTEN is PostgreSQL's; SQLite relies on the lifetime bound")
    app = make_app(settings, db, clock)
    app.state.services.auth_cache = AuthCache(TTL, monotonic=Elapsed())  # never ages out
    async with app.router.lifespan_context(app), warm_tenant(app, db, clock) as tenant:
        revoke_elsewhere(database_url, tenant)
        statuses = []
        for _ in range(50):  # the notification arrives a moment after the other commit
            statuses.append((await tenant.ti("GET", "/ping")).status_code)
            if statuses[-1] == 401:
                break
            await asyncio.sleep(0.05)
        assert statuses[-1] == 401, statuses


async def test_this_process_revocation_is_seen_by_the_next_request(
    cached: tuple[Tenant, Elapsed], db: Database, clock: TestClock
) -> None:
    tenant, _ = cached
    await tenancy.revoke_key(db, clock, tenant.site.subdomain, tenant.key.split("_")[2])
    assert (await tenant.ti("GET", "/ping")).status_code == 401


async def test_a_cached_key_id_with_the_wrong_secret_is_refused(
    cached: tuple[Tenant, Elapsed],
) -> None:
    tenant, _ = cached
    prefix, mode, key_id, secret = tenant.key.split("_")
    forged = f"{prefix}_{mode}_{key_id}_{secret[:-1]}{'a' if secret[-1] != 'a' else 'b'}"
    response = await tenant.http.get(
        "/incoming/v2/ping", headers={"Authorization": f"Bearer {forged}"}
    )
    assert response.status_code == 401
    assert (await tenant.ti("GET", "/ping")).status_code == 200


async def test_a_kept_key_is_hashed_again_only_for_another_secret(
    cached: tuple[Tenant, Elapsed], monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant, _ = cached
    hashed: list[str] = []
    real_matches = keys.matches

    def counting(secret: str, salt: str, expected: str) -> bool:
        hashed.append(secret)
        return real_matches(secret, salt, expected)

    monkeypatch.setattr(keys, "matches", counting)
    for _ in range(3):
        assert (await tenant.ti("GET", "/ping")).status_code == 200
    assert hashed == []  # the secret this lookup already verified: compared, not hashed
    prefix, mode, key_id, secret = tenant.key.split("_")
    forged = f"{prefix}_{mode}_{key_id}_{secret[::-1]}"
    response = await tenant.http.get(
        "/incoming/v2/ping", headers={"Authorization": f"Bearer {forged}"}
    )
    assert response.status_code == 401 and hashed == [secret[::-1]]
    assert (await tenant.ti("GET", "/ping")).status_code == 200
    assert hashed == [secret[::-1]]


async def test_without_the_cache_another_process_revocation_is_seen_at_once(
    settings: Settings, db: Database, clock: TestClock, database_url: str
) -> None:
    app = make_app(settings.model_copy(update={"auth_cache_seconds": 0}), db, clock)
    async with warm_tenant(app, db, clock) as tenant:
        revoke_elsewhere(database_url, tenant)
        assert (await tenant.ti("GET", "/ping")).status_code == 401


def test_a_negative_cache_lifetime_is_refused() -> None:
    with pytest.raises(ValidationError, match="auth_cache_seconds"):
        Settings(auth_cache_seconds=-1)
