"""Queries for instructors, groups (members and analysts), custom profile fields and site
scripts. Every statement is scoped to the unit's site."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, delete, insert, select, update

from coursegate.domain.offering_models import (
    Group,
    Instructor,
    ProfileFieldDefinition,
    ProfileFieldValue,
    SiteScript,
)
from coursegate.store import direct
from coursegate.store.base import SITE, Repo
from coursegate.store.catalog import InstructorRepo
from coursegate.store.idempotent import insert_new
from coursegate.store.member_of import member_of
from coursegate.store.sites import announce_auth_change
from coursegate.store.tables.catalog import courses, instructors
from coursegate.store.tables.community import (
    group_analysts,
    group_users,
    groups,
    profile_field_definitions,
    profile_field_values,
    site_app_secrets,
    site_scripts,
)


class InstructorAdminRepo(InstructorRepo):
    """Instructor CRUD on top of the catalog's default-instructor lookup."""

    def all(self) -> Select[Any]:
        return self.scoped()

    async def get(self, instructor_id: int) -> Instructor | None:
        row = await self.first(instructors.c.id == instructor_id)
        return Instructor.from_row(row) if row is not None else None

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[Instructor]:
        return Instructor.from_rows(await self.page(stmt, [instructors.c.id], offset, limit))

    async def update(self, instructor_id: int, values: dict[str, Any]) -> None:
        await self.update_row(instructor_id, values)

    async def delete(self, instructor_id: int) -> None:
        await self.conn.execute(
            delete(instructors).where(
                instructors.c.site_id == self.site_id, instructors.c.id == instructor_id
            )
        )

    async def reassign_courses(self, from_id: int, to_id: int | None) -> list[int]:
        """Point the instructor's courses at another one; returns the course ids moved."""
        rows = await self.conn.execute(
            select(courses.c.id).where(
                courses.c.site_id == self.site_id, courses.c.instructor_id == from_id
            )
        )
        moved = [int(r.id) for r in rows]
        if moved:
            await self.conn.execute(
                update(courses)
                .where(courses.c.site_id == self.site_id, courses.c.id.in_(moved))
                .values(instructor_id=to_id)
            )
        return moved

    async def unlink_user(self, user_id: int) -> None:
        await self.conn.execute(
            update(instructors)
            .where(instructors.c.site_id == self.site_id, instructors.c.user_id == user_id)
            .values(user_id=None)
        )

    async def first_other(self, instructor_id: int) -> int | None:
        row = (
            await self.conn.execute(
                self.scoped(instructors.c.id)
                .where(instructors.c.id != instructor_id)
                .order_by(instructors.c.id)
                .limit(1)
            )
        ).first()
        return None if row is None else int(row.id)


class GroupRepo(Repo):
    table = groups

    def all(self) -> Select[Any]:
        return self.scoped()

    async def get(self, group_id: int) -> Group | None:
        row = await self.first(groups.c.id == group_id)
        return Group.from_row(row) if row is not None else None

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[Group]:
        return Group.from_rows(await self.page(stmt, [groups.c.id], offset, limit))

    async def by_names(self, names: list[str]) -> dict[str, Group]:
        if not names:
            return {}
        rows = await self.conn.execute(self.scoped().where(groups.c.name.in_(names)))
        return {r.name: Group.from_row(r) for r in rows}

    async def existing_ids(self, ids: list[int]) -> set[int]:
        if not ids:
            return set()
        rows = await self.conn.execute(self.scoped(groups.c.id).where(groups.c.id.in_(ids)))
        return {int(r.id) for r in rows}

    async def name_taken(self, name: str) -> bool:
        return await self.exists(groups.c.name == name)

    async def token_taken(self, token: str) -> bool:
        return await self.exists(groups.c.token == token)

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def delete(self, group_id: int) -> None:
        # Memberships and analyst assignments go with the group (removed explicitly rather
        # than trusting every connection to enforce ON DELETE CASCADE).
        for table in (group_users, group_analysts):
            await self.conn.execute(
                delete(table).where(table.c.site_id == self.site_id, table.c.group_id == group_id)
            )
        await self.conn.execute(
            delete(groups).where(groups.c.site_id == self.site_id, groups.c.id == group_id)
        )

    async def add_member(self, table: Any, group_id: int, user_id: int, now: Any) -> bool:
        """Link a user to a group in `group_users` or `group_analysts`; False if already there."""
        row = {"site_id": self.site_id, "group_id": group_id, "user_id": user_id, "created_at": now}
        return await insert_new(self.conn, table, [row]) == 1

    async def remove_member(self, table: Any, group_id: int, user_id: int) -> bool:
        result = await self.conn.execute(
            delete(table).where(
                table.c.site_id == self.site_id,
                table.c.group_id == group_id,
                table.c.user_id == user_id,
            )
        )
        return bool(result.rowcount)

    async def analyst_ids(self, group_id: int) -> list[int]:
        rows = await self.conn.execute(
            select(group_analysts.c.user_id)
            .where(group_analysts.c.site_id == self.site_id, group_analysts.c.group_id == group_id)
            .order_by(group_analysts.c.id)
        )
        return [int(r.user_id) for r in rows]

    async def remove_user_everywhere(self, user_id: int) -> None:
        for table in (group_users, group_analysts):
            await self.conn.execute(
                delete(table).where(table.c.site_id == self.site_id, table.c.user_id == user_id)
            )

    async def group_ids_of(self, user_id: int) -> list[int]:
        rows = await self.conn.execute(
            select(group_users.c.group_id)
            .where(group_users.c.site_id == self.site_id, group_users.c.user_id == user_id)
            .order_by(group_users.c.group_id)
        )
        return [int(r.group_id) for r in rows]


class ProfileFieldRepo(Repo):
    table = profile_field_definitions

    def all(self) -> Select[Any]:
        return self.scoped()

    async def list_page(
        self, stmt: Select[Any], offset: int, limit: int
    ) -> list[ProfileFieldDefinition]:
        rows = await self.page(
            stmt,
            [profile_field_definitions.c.position, profile_field_definitions.c.id],
            offset,
            limit,
        )
        return ProfileFieldDefinition.from_rows(rows)

    async def definitions(self) -> dict[int, ProfileFieldDefinition]:
        rows = await self.conn.execute(self.scoped())
        return {int(r.id): ProfileFieldDefinition.from_row(r) for r in rows}

    async def create(self, values: dict[str, Any]) -> int:
        created = await self.insert_row(values)
        # Key lookups carry whether the site has profile fields (store/sites.py).
        await announce_auth_change(self.conn)
        return created

    async def label_taken(self, label: str) -> bool:
        return await self.exists(profile_field_definitions.c.label == label)

    async def values_of(self, user_ids: list[int]) -> dict[int, list[ProfileFieldValue]]:
        found: dict[int, list[ProfileFieldValue]] = defaultdict(list)
        if not user_ids:
            return found
        rows = await direct.execute(
            self.conn, _VALUES_OF, {"site_id": self.site_id, "user_ids": user_ids}
        )
        for r in rows:
            found[int(r.user_id)].append(
                ProfileFieldValue(int(r.id), int(r.user_id), int(r.definition_id), r.label, r.value)
            )
        return found

    async def put_value(self, user_id: int, definition_id: int, value: str | None) -> None:
        where = (
            profile_field_values.c.site_id == self.site_id,
            profile_field_values.c.user_id == user_id,
            profile_field_values.c.definition_id == definition_id,
        )
        existing = (
            await self.conn.execute(select(profile_field_values.c.id).where(*where))
        ).first()
        if existing is None:
            await self.conn.execute(
                insert(profile_field_values).values(
                    site_id=self.site_id, user_id=user_id, definition_id=definition_id, value=value
                )
            )
        else:
            await self.conn.execute(update(profile_field_values).where(*where).values(value=value))

    async def remove_values_of(self, user_id: int) -> None:
        await self.conn.execute(
            delete(profile_field_values).where(
                profile_field_values.c.site_id == self.site_id,
                profile_field_values.c.user_id == user_id,
            )
        )


class SiteScriptRepo(Repo):
    table = site_scripts

    def all(self) -> Select[Any]:
        return self.scoped()

    async def get(self, script_uuid: str) -> SiteScript | None:
        row = await self.first(site_scripts.c.uuid == script_uuid)
        return SiteScript.from_row(row) if row is not None else None

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[SiteScript]:
        return SiteScript.from_rows(await self.page(stmt, [site_scripts.c.id], offset, limit))

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, row_id: int, values: dict[str, Any]) -> None:
        await self.update_row(row_id, values)

    async def delete(self, row_id: int) -> None:
        await self.conn.execute(
            delete(site_scripts).where(
                site_scripts.c.site_id == self.site_id, site_scripts.c.id == row_id
            )
        )


class AppSecretRepo(Repo):
    table = site_app_secrets

    async def get(self) -> str | None:
        row = await self.first()
        return None if row is None else str(row.secret)

    async def create(self, secret: str) -> None:
        await self.insert_row({"secret": secret, "created_at": self.unit.now})


# Read for every page of users (custom profile fields): built once (store/base.py).
_VALUES_OF = (
    select(profile_field_values, profile_field_definitions.c.label)
    .join(
        profile_field_definitions,
        profile_field_definitions.c.id == profile_field_values.c.definition_id,
    )
    .where(
        profile_field_values.c.site_id == SITE,
        member_of(profile_field_values.c.user_id, "user_ids"),
    )
    .order_by(profile_field_definitions.c.position, profile_field_definitions.c.id)
)
