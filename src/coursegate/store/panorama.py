"""Panorama clients, their licenses, and which users hold which license."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.orm import aliased

from coursegate.domain.models_ops import Client, License
from coursegate.store.base import Repo
from coursegate.store.tables.catalog import courses, tags
from coursegate.store.tables.panorama import clients, license_assignments, licenses
from coursegate.store.text_match import contains, pattern_for

_CLIENT_COLS = [c.label(f"k_{c.name}") for c in clients.columns]
_parent = aliased(licenses)


class ClientRepo(Repo):
    table = clients

    async def get(self, client_id: int) -> Client | None:
        row = await self.first(clients.c.id == client_id)
        return Client.from_row(row) if row is not None else None

    async def get_by_uuid(self, client_uuid: str) -> Client | None:
        row = await self.first(clients.c.uuid == client_uuid)
        return Client.from_row(row) if row is not None else None

    def search(self, text: str | None) -> Select[Any]:
        stmt = self.scoped()
        if text:
            pattern = pattern_for(text)
            stmt = stmt.where(
                or_(
                    contains(clients.c.name, pattern),
                    contains(clients.c.slug, pattern),
                )
            )
        return stmt

    async def list_page(
        self, stmt: Select[Any], sort: str, descending: bool, offset: int, limit: int
    ) -> list[Client]:
        column = {
            "name": func.lower(clients.c.name),
            "createdAt": clients.c.created_at,
            "updatedAt": clients.c.updated_at,
        }[sort]
        order = [column.desc(), clients.c.id.desc()] if descending else [column, clients.c.id]
        return Client.from_rows(await self.page(stmt, order, offset, limit))

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, client_id: int, values: dict[str, Any]) -> None:
        await self.update_row(client_id, values)


class LicenseRepo(Repo):
    table = licenses

    def joined(self) -> Select[Any]:
        return (
            select(licenses, *_CLIENT_COLS, _parent.c.uuid.label("parent_uuid"))
            .join(clients, clients.c.id == licenses.c.client_id)
            .outerjoin(_parent, _parent.c.id == licenses.c.parent_license_id)
            .where(licenses.c.site_id == self.site_id)
        )

    async def _hydrate(self, rows: list[Any]) -> list[License]:
        found = []
        for row in rows:
            m = row._mapping
            lic = License.from_row(m)
            lic.client = Client.from_row({k[2:]: v for k, v in m.items() if k.startswith("k_")})
            lic.parent_uuid = m["parent_uuid"]
            found.append(lic)
        # Content ids -> UUIDs in two queries for the whole page.
        course_ids = {i for lic in found for i in (*lic.course_ids, *lic.learning_path_ids)}
        tag_ids = {i for lic in found for i in lic.course_tag_ids}
        course_uuids = await self._uuids(courses, course_ids)
        tag_uuids = await self._uuids(tags, tag_ids)
        for lic in found:
            lic.course_uuids = [course_uuids[i] for i in lic.course_ids if i in course_uuids]
            lic.learning_path_uuids = [
                course_uuids[i] for i in lic.learning_path_ids if i in course_uuids
            ]
            lic.course_tag_uuids = [tag_uuids[i] for i in lic.course_tag_ids if i in tag_uuids]
        return found

    async def _uuids(self, table: Any, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = await self.conn.execute(
            select(table.c.id, table.c.uuid).where(
                table.c.site_id == self.site_id, table.c.id.in_(ids)
            )
        )
        return {int(r.id): str(r.uuid) for r in rows}

    async def get(self, license_id: int) -> License | None:
        rows = list(await self.conn.execute(self.joined().where(licenses.c.id == license_id)))
        found = await self._hydrate(rows)
        return found[0] if found else None

    async def id_by_uuid(self, license_uuid: str) -> int | None:
        found = (
            await self.conn.execute(
                self.scoped(licenses.c.id).where(licenses.c.uuid == license_uuid)
            )
        ).scalar()
        return int(found) if found is not None else None

    async def id_by_sku(self, sku: str) -> int | None:
        found = (
            await self.conn.execute(self.scoped(licenses.c.id).where(licenses.c.sku == sku))
        ).scalar()
        return int(found) if found is not None else None

    def of_client(self, client_id: int) -> Select[Any]:
        return self.joined().where(licenses.c.client_id == client_id)

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[License]:
        return await self._hydrate(await self.page(stmt, [licenses.c.id], offset, limit))

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, license_id: int, values: dict[str, Any]) -> None:
        await self.update_row(license_id, values)

    async def remove(self, license_id: int) -> None:
        await self.conn.execute(
            delete(license_assignments).where(
                license_assignments.c.site_id == self.site_id,
                license_assignments.c.license_id == license_id,
            )
        )
        await self.conn.execute(
            update(licenses)
            .where(licenses.c.site_id == self.site_id, licenses.c.parent_license_id == license_id)
            .values(parent_license_id=None)
        )
        await self.conn.execute(
            delete(licenses).where(licenses.c.site_id == self.site_id, licenses.c.id == license_id)
        )

    async def take_seat(self, license_id: int) -> bool:
        """Count one more seat unless the license is full. A single guarded UPDATE, so parallel
        assignments can never push seats_used past seats_limit."""
        result = await self.conn.execute(
            update(licenses)
            .where(
                licenses.c.site_id == self.site_id,
                licenses.c.id == license_id,
                or_(
                    licenses.c.seats_limit.is_(None), licenses.c.seats_used < licenses.c.seats_limit
                ),
            )
            .values(seats_used=licenses.c.seats_used + 1)
        )
        return bool(result.rowcount)

    async def release_seats(self, license_id: int, count: int) -> None:
        await self.conn.execute(
            update(licenses)
            .where(licenses.c.site_id == self.site_id, licenses.c.id == license_id)
            .values(seats_used=licenses.c.seats_used - count)
        )


class LicenseAssignmentRepo(Repo):
    table = license_assignments

    async def holds(self, license_id: int, user_id: int, role: str) -> bool:
        return await self.exists(
            license_assignments.c.license_id == license_id,
            license_assignments.c.user_id == user_id,
            license_assignments.c.role == role,
        )

    async def add(self, license_id: int, user_id: int, role: str, now: Any) -> None:
        await self.insert_row(
            {"license_id": license_id, "user_id": user_id, "role": role, "created_at": now}
        )

    async def of_user(self, user_id: int) -> list[tuple[int, str]]:
        rows = await self.conn.execute(
            self.scoped(license_assignments.c.license_id, license_assignments.c.role)
            .where(license_assignments.c.user_id == user_id)
            .order_by(license_assignments.c.id)
        )
        return [(int(r.license_id), str(r.role)) for r in rows]

    async def remove(self, license_id: int, user_id: int, role: str) -> None:
        await self.conn.execute(
            delete(license_assignments).where(
                license_assignments.c.site_id == self.site_id,
                license_assignments.c.license_id == license_id,
                license_assignments.c.user_id == user_id,
                license_assignments.c.role == role,
            )
        )


async def ids_for_uuids(repo: Repo, table: Any, uuids: list[str], **where: Any) -> dict[str, int]:
    """uuid -> id for rows of `table` in the repo's site (optionally matching column values)."""
    if not uuids:
        return {}
    stmt = select(table.c.uuid, table.c.id).where(
        table.c.site_id == repo.site_id, table.c.uuid.in_(uuids)
    )
    for name, value in where.items():
        stmt = stmt.where(table.c[name] == value)
    return {str(r.uuid): int(r.id) for r in await repo.conn.execute(stmt)}


async def course_ids(
    repo: Repo, uuids: list[str], course_type: str | None = None
) -> dict[str, int]:
    return await ids_for_uuids(
        repo, courses, uuids, **({"course_type": course_type} if course_type else {})
    )


async def tag_ids(repo: Repo, uuids: list[str]) -> dict[str, int]:
    return await ids_for_uuids(repo, tags, uuids)
