"""Test harness: one database per run (SQLite file or a fresh PostgreSQL database), one site
per test (so tests are isolated the way tenants are), HTTP through the real ASGI app."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from coursegate.domain.context import Ctx, Site
from coursegate.platform import tenancy
from coursegate.platform.app import create_app
from coursegate.platform.clock import SiteClock
from coursegate.platform.migrate import upgrade
from coursegate.platform.ratelimit import MemoryRateLimiter
from coursegate.platform.settings import Settings
from coursegate.store.database import Database

POSTGRES_ADMIN = os.environ.get(
    "COURSEGATE_TEST_POSTGRES_ADMIN", "postgresql://postgres@127.0.0.1:5432/test"
)


class TestClock:
    """The base clock for tests: real time unless a test pins or moves it."""

    __test__ = False

    def __init__(self) -> None:
        self.pinned: datetime | None = None
        self.shift = timedelta()

    def now(self) -> datetime:
        return (self.pinned or datetime.now(UTC)) + self.shift


def _backend() -> str:
    return os.environ.get("COURSEGATE_TEST_DATABASE", "sqlite")


async def _create_pg_database(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop_pg_database(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if _backend() == "postgresql":
        name = f"coursegate_test_{uuid.uuid4().hex[:12]}"
        asyncio.run(_create_pg_database(name))
        admin = make_url(POSTGRES_ADMIN)
        url = admin.set(drivername="postgresql+asyncpg", database=name).render_as_string(
            hide_password=False
        )
        upgrade(url)
        yield url
        asyncio.run(_drop_pg_database(name))
    else:
        path = tmp_path_factory.mktemp("db") / "coursegate.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        auto_migrate=False,
        redis_url=None,
        public_base_url="http://testserver",
    )


@pytest.fixture(scope="session")
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url, pool_size=5)
    yield database
    await database.dispose()


@pytest.fixture(scope="session")
def clock() -> TestClock:
    return TestClock()


@pytest.fixture(scope="session")
def app(settings: Settings, db: Database, clock: TestClock) -> Any:
    return create_app(settings, clock=clock, database=db, limiter=MemoryRateLimiter())


@pytest.fixture(scope="session")
async def http(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture(autouse=True)
def _reset_clock(clock: TestClock) -> Iterator[None]:
    yield
    clock.pinned = None
    clock.shift = timedelta()


@dataclass
class Tenant:
    """A site with a key, and shortcuts to call either dialect as that site."""

    site: Site
    key: str
    http: httpx.AsyncClient
    ctx: Ctx
    extra_headers: dict[str, str] = field(default_factory=dict)

    @property
    def thinkific_headers(self) -> dict[str, str]:
        return {
            "X-Auth-API-Key": self.key,
            "X-Auth-Subdomain": self.site.subdomain,
            **self.extra_headers,
        }

    @property
    def ti_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}", **self.extra_headers}

    async def tk(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Call the Thinkific dialect."""
        headers = {**self.thinkific_headers, **kwargs.pop("headers", {})}
        return await self.http.request(method, f"/api/public/v1{path}", headers=headers, **kwargs)

    async def ti(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Call the Thought Industries dialect."""
        headers = {**self.ti_headers, **kwargs.pop("headers", {})}
        return await self.http.request(method, f"/incoming/v2{path}", headers=headers, **kwargs)


async def make_tenant(
    db: Database,
    clock: TestClock,
    http: httpx.AsyncClient,
    *,
    sandbox: bool = True,
    rate_limits: bool = False,
) -> Tenant:
    subdomain = f"t{uuid.uuid4().hex[:12]}"
    site = await tenancy.create_site(db, clock, subdomain, sandbox=sandbox, rate_limits=rate_limits)
    key = await tenancy.create_key(db, clock, subdomain, "test")
    return Tenant(site, key, http, Ctx(db, site, SiteClock(clock)))


@pytest.fixture
async def tenant(db: Database, clock: TestClock, http: httpx.AsyncClient) -> Tenant:
    return await make_tenant(db, clock, http)


@pytest.fixture
async def other_tenant(db: Database, clock: TestClock, http: httpx.AsyncClient) -> Tenant:
    return await make_tenant(db, clock, http)


SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    specs = Path(os.environ.get("COURSEGATE_SHARED_DIR", SHARED))
    assert (specs / "specs").is_dir(), (
        f"vendor specs not found under {specs} (set COURSEGATE_SHARED_DIR)"
    )
    return specs


# Fixtures of the catalog and people tests (`api`).
pytest_plugins = ["tests.catalog_support"]
