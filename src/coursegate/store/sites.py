"""Tenants and their API keys. The only queries not scoped by a site: they find the site."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from coursegate.store import counters, direct
from coursegate.store.database import notify
from coursegate.store.errors import unique_violation
from coursegate.store.tables.community import profile_field_definitions
from coursegate.store.tables.platform import api_keys, sites

HAS_PROFILE_FIELDS = "has_profile_fields"
# PostgreSQL NOTIFY channel: a key, a site's settings or clock, or the fact that it has profile
# fields changed; other processes drop what they kept of key lookups (platform/auth_cache.py).
AUTH_CHANNEL = "coursegate_auth"


async def announce_auth_change(conn: AsyncConnection) -> None:
    await notify(conn, AUTH_CHANNEL)


class SiteDirectory:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def create(self, values: dict[str, Any]) -> int:
        try:
            result = await self.conn.execute(insert(sites).values(**values).returning(sites.c.id))
        except IntegrityError as exc:
            violation = unique_violation(exc)
            raise (violation or exc) from exc
        site_id = int(result.scalar_one())
        # Its events are counted by type from birth (store/counters.py, event feeds' totals).
        await counters.bump(self.conn, site_id, counters.EVENTS_COUNTED, 1)
        return site_id

    async def by_subdomain(self, subdomain: str) -> Any:
        return (
            await self.conn.execute(select(sites).where(sites.c.subdomain == subdomain))
        ).first()

    async def by_id(self, site_id: int) -> Any:
        return (await self.conn.execute(select(sites).where(sites.c.id == site_id))).first()

    async def all(self) -> list[Any]:
        return list((await self.conn.execute(select(sites).order_by(sites.c.id))).all())

    async def update(self, site_id: int, values: dict[str, Any]) -> None:
        await self.conn.execute(update(sites).where(sites.c.id == site_id).values(**values))
        await announce_auth_change(self.conn)

    async def add_key(self, values: dict[str, Any]) -> int:
        result = await self.conn.execute(insert(api_keys).values(**values).returning(api_keys.c.id))
        return int(result.scalar_one())

    async def key_with_site(self, key_id: str) -> Any:
        """The key row joined with its site's row (columns of the site prefixed `s__`)."""
        return (await direct.execute(self.conn, _KEY_WITH_SITE, {"key_id": key_id})).first()

    async def keys_of(self, site_id: int) -> list[Any]:
        stmt = select(api_keys).where(api_keys.c.site_id == site_id).order_by(api_keys.c.id)
        return list((await self.conn.execute(stmt)).all())

    async def revoke_key(self, site_id: int, key_id: str, now: datetime) -> bool:
        result = await self.conn.execute(
            update(api_keys)
            .where(
                api_keys.c.site_id == site_id,
                api_keys.c.key_id == key_id,
                api_keys.c.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        await announce_auth_change(self.conn)
        return bool(result.rowcount)

    async def touch_key(self, key_row_id: int, now: datetime) -> None:
        await self.conn.execute(
            update(api_keys).where(api_keys.c.id == key_row_id).values(last_used_at=now)
        )

    async def by_id_for_update(self, site_id: int) -> Any:
        """The site row, locked until the transaction ends (PostgreSQL; SQLite writes are
        serialised anyway) so concurrent clock changes apply one after the other."""
        stmt = select(sites).where(sites.c.id == site_id).with_for_update()
        return (await self.conn.execute(stmt)).first()


# Every authenticated request runs this: built once, so neither the 30 labelled columns nor the
# statement's cache key are rebuilt per request.
_KEY_WITH_SITE = (
    select(
        api_keys,
        *[c.label(f"s__{c.name}") for c in sites.columns],
        # Whether the site defines custom profile fields: a read request that knows it has
        # none skips the profile-values statement for its users (one round trip fewer).
        exists().where(profile_field_definitions.c.site_id == sites.c.id).label(HAS_PROFILE_FIELDS),
    )
    .join(sites, sites.c.id == api_keys.c.site_id)
    .where(api_keys.c.key_id == bindparam("key_id"))
)
