"""Users and their SSO identities."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, String, bindparam, cast, delete, insert, select
from sqlalchemy.exc import IntegrityError

from coursegate.domain.models import User
from coursegate.store import direct
from coursegate.store.base import SITE, Repo, escape_like
from coursegate.store.counters import counted, counter_of
from coursegate.store.listing import PagedListing
from coursegate.store.tables.community import (
    group_users,
    profile_field_definitions,
    profile_field_values,
)
from coursegate.store.tables.people import user_identities, users

_LIVE = select(users).where(users.c.site_id == SITE, users.c.deleted_at.is_(None))
IDENTITY_PROVIDER, IDENTITY_EXTERNAL_ID = "identity_provider", "identity_external_id"
# A keyed user arrives with their SSO identities (one row each, or one row with none): one
# statement, where a second round trip for the identities cost as much as the user's.
_WITH_IDENTITIES = (
    select(
        users,
        user_identities.c.provider.label(IDENTITY_PROVIDER),
        user_identities.c.external_id.label(IDENTITY_EXTERNAL_ID),
    )
    .outerjoin(
        user_identities,
        (user_identities.c.site_id == users.c.site_id) & (user_identities.c.user_id == users.c.id),
    )
    .where(users.c.site_id == SITE, users.c.deleted_at.is_(None))
    .order_by(user_identities.c.id)
)
_KEYED = {
    name: _WITH_IDENTITIES.where(users.c[name] == bindparam("key"))
    for name in ("id", "uuid", "email_key")
}
# The listing of an email lookup (`query[email]`, TI `email=`), prebuilt: it only names the
# listing, its one row comes from `_KEYED["email_key"]` (building a select per request cost
# more than the lookup). Executable too, given `site_id` and `key`.
_EMAIL_LISTING = _LIVE.where(users.c.email_key == bindparam("key"))
# Live users' ids come from the (site_id, deleted_at, id) index alone.
_LISTING = PagedListing(
    "users",
    _LIVE,
    select(users.c.id).where(users.c.site_id == SITE, users.c.deleted_at.is_(None)),
    users.c.id,
)
_IDENTITIES = (
    select(user_identities.c.provider, user_identities.c.external_id)
    .where(user_identities.c.site_id == SITE, user_identities.c.user_id == bindparam("user_id"))
    .order_by(user_identities.c.id)
)


class UserRepo(Repo):
    table = users
    counter = "users"  # live users: erasing one counts it out
    # The address of the email lookup `filtered` made last (its listing is `_EMAIL_LISTING`).
    _email_key: str | None = None

    def live(self) -> Select[Any]:
        return self.scoped().where(users.c.deleted_at.is_(None))

    async def _load(self, stmt: Select[Any]) -> User | None:
        row = (await self.conn.execute(stmt.limit(1))).first()
        if row is None:
            return None
        user = User.from_row(row)
        user.identities = await self.identities(user.id)
        return user

    async def _keyed(self, column: str, key: Any) -> User | None:
        """The live user whose `column` is `key`, with their identities (prebuilt, direct)."""
        params = {"site_id": self.site_id, "key": key}
        rows = (await direct.execute(self.conn, _KEYED[column], params)).all()
        if not rows:
            return None
        user = User.from_rows(rows[:1])[0]
        user.identities = [
            (getattr(r, IDENTITY_PROVIDER), getattr(r, IDENTITY_EXTERNAL_ID))
            for r in rows
            if getattr(r, IDENTITY_PROVIDER) is not None
        ]
        return user

    async def get(self, user_id: int) -> User | None:
        return await self._keyed("id", user_id)

    async def get_by_uuid(self, user_uuid: str) -> User | None:
        return await self._keyed("uuid", user_uuid)

    async def get_by_email(self, email: str) -> User | None:
        return await self._keyed("email_key", email.strip().lower())

    async def get_by_external_customer_id(self, value: str) -> User | None:
        return await self._load(self.live().where(users.c.external_customer_id == value))

    async def get_by_identity(self, provider: str, external_id: str) -> User | None:
        owner = (
            select(user_identities.c.user_id)
            .where(
                user_identities.c.site_id == self.site_id,
                user_identities.c.provider == provider,
                user_identities.c.external_id == external_id,
            )
            .scalar_subquery()
        )
        return await self._load(self.live().where(users.c.id == owner))

    async def identities(self, user_id: int) -> list[tuple[str, str]]:
        rows = await direct.execute(
            self.conn, _IDENTITIES, {"site_id": self.site_id, "user_id": user_id}
        )
        return [(r.provider, r.external_id) for r in rows]

    async def add_identity(self, user_id: int, provider: str, external_id: str) -> None:
        try:
            await self.conn.execute(
                insert(user_identities).values(
                    site_id=self.site_id,
                    user_id=user_id,
                    provider=provider,
                    external_id=external_id,
                )
            )
        except IntegrityError as exc:
            raise self._translate(exc) from exc

    async def create(self, values: dict[str, Any]) -> int:
        values = {**values, "email_key": values["email"].strip().lower()}
        return await self.insert_row(values)

    async def update(self, user_id: int, values: dict[str, Any]) -> None:
        if "email" in values:
            values = {**values, "email_key": values["email"].strip().lower()}
        await self.update_row(user_id, values)

    async def erase(self, user_id: int, now: datetime) -> None:
        """Deletion erases personal data; the row stays so orders keep a (deleted) owner."""
        await self.update_row(
            user_id,
            {
                "email": "deleted",
                "email_key": None,
                "first_name": "(deleted)",
                "last_name": "(deleted)",
                "password_hash": None,
                "bio": None,
                "company": None,
                "headline": None,
                "avatar_url": None,
                "external_customer_id": None,
                "deleted_at": now,
                "updated_at": now,
            },
        )
        await self.uncount(1)
        await self.conn.execute(
            delete(user_identities).where(
                user_identities.c.site_id == self.site_id, user_identities.c.user_id == user_id
            )
        )

    def filtered(
        self,
        *,
        email: str | None = None,
        role: str | None = None,
        external_source: str | None = None,
        status: str | None = None,
        platform_role: str | None = None,
        group_id: int | None = None,
        profile_field: tuple[str, str] | None = None,
    ) -> Select[Any]:
        if (email, role, external_source, status, platform_role, group_id, profile_field) == (
            (None,) * 7
        ):
            return _unfiltered(self.site_id)
        if email is not None and (
            role,
            external_source,
            status,
            platform_role,
            group_id,
            profile_field,
        ) == ((None,) * 6):
            # An email lookup, the commonest filter (list_page/list_after/count answer it).
            self._email_key = email.strip().lower()
            return _EMAIL_LISTING
        base = stmt = self.live()
        if email is not None:
            stmt = stmt.where(users.c.email_key == email.strip().lower())
        if role is not None:
            # roles is a JSON list; match the quoted element literally.
            pattern = f'%"{escape_like(role)}"%'
            stmt = stmt.where(cast(users.c.roles, String).like(pattern, escape="\\"))
        if external_source is not None:
            stmt = stmt.where(users.c.external_source == external_source)
        if status is not None:
            stmt = stmt.where(users.c.status == status)
        if platform_role is not None:
            # Users without a platform role are learners.
            clause = users.c.platform_role == platform_role
            if platform_role == "learner":
                clause = clause | users.c.platform_role.is_(None)
            stmt = stmt.where(clause)
        if group_id is not None:
            members = select(group_users.c.user_id).where(
                group_users.c.site_id == self.site_id, group_users.c.group_id == group_id
            )
            stmt = stmt.where(users.c.id.in_(members))
        if profile_field is not None:
            # Exact label, exact value (compat notes: Thinkific leaves matching unspecified).
            label, value = profile_field
            holders = (
                select(profile_field_values.c.user_id)
                .join(
                    profile_field_definitions,
                    profile_field_definitions.c.id == profile_field_values.c.definition_id,
                )
                .where(
                    profile_field_values.c.site_id == self.site_id,
                    profile_field_definitions.c.label == label,
                    profile_field_values.c.value == value,
                )
            )
            stmt = stmt.where(users.c.id.in_(holders))
        return counted(stmt, base, "users")

    async def _looked_up(self, stmt: Select[Any]) -> list[User] | None:
        """The user of an email lookup made by `filtered` (at most one live user has an
        address), with the listing's count remembered; None for other listings."""
        if stmt is not _EMAIL_LISTING or self._email_key is None:
            return None
        user = await self._keyed("email_key", self._email_key)
        self.remember_count(stmt, 0 if user is None else 1)
        return [] if user is None else [user]

    async def count(self, stmt: Select[Any]) -> int:
        if stmt is _EMAIL_LISTING and (self._counted is None or self._counted[0] is not stmt):
            await self._looked_up(stmt)  # remembers the count (0 or 1)
        return await super().count(stmt)

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[User]:
        looked_up = await self._looked_up(stmt)
        if looked_up is not None:
            return looked_up if offset == 0 else []
        if counter_of(stmt) == "users":  # the unfiltered listing: prebuilt
            found, total = await _LISTING.page(self.conn, self.site_id, offset, limit)
            self.remember_count(stmt, total)
            return User.from_rows(found)
        rows = await self.page(stmt, [users.c.id], offset, limit)
        return User.from_rows(rows)

    async def count_live(self) -> int:
        live = self.live()
        return await self.count(counted(live, live, "users"))

    async def list_after(self, stmt: Select[Any], after_id: int | None, limit: int) -> list[User]:
        """Keyset page by id: stable while users are added."""
        looked_up = await self._looked_up(stmt)
        if looked_up is not None:
            return [u for u in looked_up if after_id is None or u.id > after_id]
        if counter_of(stmt) == "users":  # the unfiltered listing: prebuilt
            found, total = await _LISTING.keyset(self.conn, self.site_id, after_id, limit)
            self.remember_count(stmt, total)
            return User.from_rows(found)
        listing = stmt
        if after_id is not None:
            stmt = stmt.where(users.c.id > after_id)
        rows = list((await self.conn.execute(stmt.order_by(users.c.id).limit(limit))).all())
        if after_id is None:
            self.count_if_last(listing, rows, limit, 0)
        return User.from_rows(rows)


@lru_cache(maxsize=1024)
def _unfiltered(site_id: int) -> Select[Any]:
    """The site's whole listing, tagged for its counter: the same object every time, so the
    most common request builds no statement (its rows and count are prebuilt, above)."""
    live = select(users).where(users.c.site_id == site_id, users.c.deleted_at.is_(None))
    return counted(live, live, "users")
