"""Sites (tenants) and API keys: creation, listing, revocation and authentication."""

from __future__ import annotations

import hmac
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coursegate.domain.catalog import ensure_default_instructor
from coursegate.domain.context import Site
from coursegate.domain.errors import Duplicate, Invalid, NotFound, Problem
from coursegate.platform import keys
from coursegate.platform.clock import Clock, SiteClock
from coursegate.platform.ids import new_uuid
from coursegate.store.database import Database, Unit
from coursegate.store.errors import UniqueViolation
from coursegate.store.sites import HAS_PROFILE_FIELDS, SiteDirectory

SUBDOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def site_from_row(row: Any, prefix: str = "") -> Site:
    # Attributes, not `row._mapping`: that builds a dict of every column, on every request.
    def col(name: str) -> Any:
        return getattr(row, prefix + name)

    return Site(
        id=col("id"),
        uuid=col("uuid"),
        subdomain=col("subdomain"),
        name=col("name"),
        sandbox=col("sandbox"),
        rate_limits_enabled=col("rate_limits_enabled"),
        profile=col("profile") or {},
    )


def clock_from_row(base: Clock, row: Any, prefix: str = "") -> SiteClock:
    offset = getattr(row, prefix + "clock_offset_seconds")
    return SiteClock(base, offset or 0.0, getattr(row, prefix + "clock_frozen_at"))


async def create_site(
    db: Database,
    clock: Clock,
    subdomain: str,
    *,
    sandbox: bool = False,
    name: str | None = None,
    rate_limits: bool = True,
    profile: dict[str, Any] | None = None,
) -> Site:
    if not SUBDOMAIN.match(subdomain):
        raise Invalid.one("subdomain", "invalid", value=subdomain)
    async with db.write() as conn:
        directory = SiteDirectory(conn)
        try:
            site_id = await directory.create(
                {
                    "uuid": new_uuid(),
                    "subdomain": subdomain,
                    "name": name or subdomain.replace("-", " ").title(),
                    "sandbox": sandbox,
                    "rate_limits_enabled": rate_limits,
                    "profile": profile or {},
                    "clock_offset_seconds": 0.0,
                    "created_at": clock.now(),
                }
            )
        except UniqueViolation as exc:
            raise Duplicate(Problem("subdomain", "taken", {"value": subdomain})) from exc
        row = await directory.by_id(site_id)
        site = site_from_row(row)
        await ensure_default_instructor(Unit(conn, site.id, clock.now()), f"{site.name} Team")
        return site


async def get_site(db: Database, subdomain: str) -> Site:
    async with db.read() as conn:
        row = await SiteDirectory(conn).by_subdomain(subdomain)
    if row is None:
        raise NotFound("site", subdomain)
    return site_from_row(row)


async def list_sites(db: Database) -> list[Site]:
    async with db.read() as conn:
        return [site_from_row(r) for r in await SiteDirectory(conn).all()]


async def update_site(db: Database, subdomain: str, values: dict[str, Any]) -> Site:
    site = await get_site(db, subdomain)
    async with db.write() as conn:
        await SiteDirectory(conn).update(site.id, values)
    return await get_site(db, subdomain)


async def site_clock(db: Database, base: Clock, site_id: int) -> SiteClock:
    async with db.read() as conn:
        row = await SiteDirectory(conn).by_id(site_id)
    return clock_from_row(base, row)


async def create_key(db: Database, clock: Clock, subdomain: str, label: str = "") -> str:
    site = await get_site(db, subdomain)
    issued = keys.issue(site.sandbox)
    async with db.write() as conn:
        await SiteDirectory(conn).add_key(
            {
                "site_id": site.id,
                "key_id": issued.key_id,
                "salt": issued.salt,
                "secret_hash": issued.secret_hash,
                "label": label,
                "created_at": clock.now(),
            }
        )
    return issued.plaintext


@dataclass(frozen=True, slots=True)
class KeyInfo:
    key_id: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


async def list_keys(db: Database, subdomain: str) -> list[KeyInfo]:
    site = await get_site(db, subdomain)
    async with db.read() as conn:
        rows = await SiteDirectory(conn).keys_of(site.id)
    return [KeyInfo(r.key_id, r.label, r.created_at, r.last_used_at, r.revoked_at) for r in rows]


async def revoke_key(db: Database, clock: Clock, subdomain: str, key_id: str) -> None:
    site = await get_site(db, subdomain)
    async with db.write() as conn:
        if not await SiteDirectory(conn).revoke_key(site.id, key_id, clock.now()):
            raise NotFound("key", key_id)


@dataclass(frozen=True, slots=True)
class Authenticated:
    site: Site
    clock: SiteClock
    key_row_id: int
    key_id: str
    last_used_at: datetime | None
    has_profile_fields: bool


@dataclass(slots=True)
class Found:
    """A live key's row, before its secret is checked (platform/auth_cache.py keeps these)."""

    salt: str
    secret_hash: str
    authenticated: Authenticated
    # The secret that last matched `secret_hash`: while this lookup is kept (a second at
    # most, platform/auth_cache.py), the same key presented again is compared with it in
    # constant time instead of being hashed again (the HMAC was ~5 us of a keyed read).
    verified: bytes | None = None

    def verify(self, secret: str) -> Authenticated | None:
        presented = secret.encode()
        if self.verified is not None and hmac.compare_digest(presented, self.verified):
            return self.authenticated
        if not keys.matches(secret, self.salt, self.secret_hash):
            return None
        self.verified = presented
        return self.authenticated


async def find_key(db: Database, base: Clock, key_id: str) -> Found | None:
    """The unrevoked key `key_id` with its site, or None."""
    async with db.read() as conn:
        row = await SiteDirectory(conn).key_with_site(key_id)
    if row is None or row.revoked_at is not None:
        return None
    return Found(
        salt=row.salt,
        secret_hash=row.secret_hash,
        authenticated=Authenticated(
            site=site_from_row(row, "s__"),
            clock=clock_from_row(base, row, "s__"),
            key_row_id=row.id,
            key_id=row.key_id,
            last_used_at=row.last_used_at,
            has_profile_fields=bool(getattr(row, HAS_PROFILE_FIELDS)),
        ),
    )


Finder = Callable[[Database, Clock, str], Awaitable[Found | None]]


async def authenticate(
    db: Database, base: Clock, plaintext: str, find: Finder = find_key
) -> Authenticated | None:
    """The key's site and clock if `plaintext` is a live key; `find` may be a cache's."""
    parts = keys.split(plaintext)
    if parts is None:
        return None
    key_id, secret = parts
    found = await find(db, base, key_id)
    return found.verify(secret) if found is not None else None


async def touch_key(db: Database, key_row_id: int, now: datetime) -> None:
    async with db.write() as conn:
        await SiteDirectory(conn).touch_key(key_row_id, now)
