"""Hot statements run straight on the driver (store/direct.py) must answer exactly what
SQLAlchemy's execution answers: same rows, same values (types converted the same way), same
column names; and connections kept between units must come back clean."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from coursegate.domain import people as people_domain
from coursegate.platform import keys
from coursegate.platform.seeding import Scale, seed_scale
from coursegate.store import catalog, community, counters, direct, learning, people, sites
from coursegate.store.database import Database
from tests import builders
from tests.conftest import Tenant
from tests.test_perf_page_marks import statements


def _listing_statements(listing: Any, site_id: int, last_id: int) -> list[tuple[Any, dict]]:
    page = {"site_id": site_id, "offset": 2, "limit": 5}
    return [
        (listing.first, page),
        (listing.shallow, page),
        (listing.deep, page),
        (listing.from_mark, page | {"mark": 1, "last_id": last_id}),
        (listing.after, {"site_id": site_id, "after_id": 3, "limit": 5}),
        (listing.check, {"site_id": site_id, "last_id": last_id}),
        (listing.fresh, {"site_id": site_id}),
    ]


async def _hot_statements(tenant: Tenant) -> list[tuple[Any, dict]]:
    site_id = tenant.site.id
    course = await builders.course(tenant.ctx, chapters=2, lessons=1, tags=["Ops", "Dev"])
    user = await builders.user(tenant.ctx)
    field = await builders.profile_field(tenant.ctx, "Team")
    assert (
        await tenant.tk(
            "PUT",
            f"/users/{user.id}",
            json={"custom_profile_fields": [{"custom_profile_field_definition_id": field.id,
                                             "value": "blue"}]},
        )
    ).status_code == 204  # fmt: skip
    await builders.enrollment(tenant.ctx, user.id, course.id)
    data = {"first_name": "Linked", "last_name": "User", "email": "linked@example.com"}
    linked = await people_domain.create_user(tenant.ctx, data, ("SSO", "ext-1"))
    _, rows = catalog._search(True, "title", False, False)  # a first page counts in its scan
    count, after_rows = catalog._search(True, "published_at", False, True)
    search = {"site_id": site_id, "types": ["course", "webinar"], "pattern": "%e%", "limit": 10}
    return [
        (sites._KEY_WITH_SITE, {"key_id": keys.split(tenant.key)[0]}),  # type: ignore[index]
        (people._KEYED["id"], {"site_id": site_id, "key": user.id}),  # no identity: one row
        (people._KEYED["uuid"], {"site_id": site_id, "key": linked.uuid}),  # with its identity
        (people._KEYED["email_key"], {"site_id": site_id, "key": linked.email}),
        (people._IDENTITIES, {"site_id": site_id, "user_id": linked.id}),
        (community._VALUES_OF, {"site_id": site_id, "user_ids": [user.id, user.id + 1]}),
        (counters._READ, {"site_id": site_id, "name": "users"}),
        (counters._READ_MANY, {"site_id": site_id, "names": ["users", "courses", "nothing"]}),
        (catalog._BY["id"], {"site_id": site_id, "key": course.id}),
        (catalog._BY["uuid"], {"site_id": site_id, "key": course.uuid}),  # with its relations
        (rows, search),
        # A bound timestamp (aware, converted by the column type's bind processor).
        (count, search | {"after_value": course.created_at, "after_id": 0}),
        (after_rows, search | {"after_value": course.created_at, "after_id": 0}),
        *_listing_statements(people._LISTING, site_id, user.id),
        *_listing_statements(learning._LISTING, site_id, 1),
    ]


async def test_direct_rows_equal_sqlalchemy_rows(tenant: Tenant) -> None:
    await seed_scale(tenant.ctx, Scale(users=12, courses=2, lessons_per_course=1, enrollments=9))
    statements = await _hot_statements(tenant)
    db = tenant.ctx.db
    went_direct = 0
    async with db.read() as conn:
        for stmt, params in statements:
            expected = (await conn.execute(stmt, params)).all()
            found = await direct.execute(conn, stmt, params)
            went_direct += isinstance(found, direct.DirectResult)
            found_rows = found.all()
            assert [tuple(r) for r in found_rows] == [tuple(r) for r in expected], stmt
            assert [type(v) for r in found_rows for v in r] == [
                type(v) for r in expected for v in r
            ], stmt
            if expected:
                assert tuple(found_rows[0]._fields) == tuple(expected[0]._fields)
                assert found_rows[0]._mapping == dict(expected[0]._mapping)
    # Every hot statement of a read unit goes direct (on both databases).
    assert went_direct == len(statements)


async def test_writes_on_postgres_keep_sqlalchemys_transaction(tenant: Tenant) -> None:
    db = tenant.ctx.db
    stmt, params = counters._READ, {"site_id": tenant.site.id, "name": "users"}
    async with db.write() as conn:
        found = await direct.execute(conn, stmt, params)
    # PostgreSQL's adapter opens a write transaction on its first statement: direct
    # statements there would run outside it, so writes go through SQLAlchemy.
    assert isinstance(found, direct.DirectResult) == (not db.is_postgres)


async def test_in_list_shapes_are_bounded(tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite expands a list into one placeholder per value (a plan per length, bounded);
    PostgreSQL binds it as one array (store/member_of.py): one plan for every length."""
    monkeypatch.setattr(direct, "SHAPES_PER_STATEMENT", 2)
    monkeypatch.setattr(direct, "_STATEMENTS", {})
    stmt = counters._READ_MANY
    kinds = []
    async with tenant.ctx.db.read() as conn:
        for names in (["a"], ["a", "b"], ["a", "b", "c"], ["a"], []):
            params = {"site_id": tenant.site.id, "names": names}
            kinds.append(isinstance(await direct.execute(conn, stmt, params), direct.DirectResult))
            assert (await direct.execute(conn, stmt, params)).all() == (
                await conn.execute(stmt, params)
            ).all()
    plans = direct._STATEMENTS[id(stmt)][1].plans
    if tenant.ctx.db.is_postgres:
        assert kinds == [True] * 5
        assert len(plans) == 1 and "= ANY(" in next(iter(plans.values())).sql  # type: ignore[union-attr]
    else:
        assert kinds == [True, True, False, True, False]  # lengths 3 and 0: past the bound
        assert len(plans) == 2


async def test_a_failed_unit_leaves_no_transaction_behind(db: Database) -> None:
    with pytest.raises(ZeroDivisionError):
        async with db.read() as conn:
            await conn.execute(text("SELECT 1"))
            assert conn.in_transaction()
            raise ZeroDivisionError
    with pytest.raises(ZeroDivisionError):
        async with db.write() as conn:
            await conn.execute(text("SELECT 1"))
            raise ZeroDivisionError
    async with db.read() as conn:
        assert not conn.in_transaction()
    async with db.write() as conn:
        assert (await conn.execute(text("SELECT 1"))).scalar_one() == 1


async def test_first_pages_write_their_size_into_the_sql(tenant: Tenant) -> None:
    """PostgreSQL keeps one plan for a prepared statement only when its LIMIT and OFFSET are
    known (docs/performance.md): a first page has its size written in and no OFFSET."""
    await seed_scale(tenant.ctx, Scale(users=4, courses=1, lessons_per_course=1, enrollments=4))
    for size in (3, 2, 3):
        with statements(tenant) as seen:
            page = await tenant.tk("GET", f"/enrollments?limit={size}")
        assert page.status_code == 200 and len(page.json()["items"]) == size
        listings = [sql for sql in seen if "FROM enrollments" in sql]
        assert len(listings) == 1, seen
        listing = listings[0]
        assert f"LIMIT {size}" in listing
        # SQLAlchemy writes SQLite's LIMIT with an OFFSET always (no plan cache there to mind).
        assert "OFFSET" not in listing.upper() or not tenant.ctx.db.is_postgres
    later = await tenant.tk("GET", "/enrollments?limit=3&page=2")
    assert [item["id"] for item in later.json()["items"]] == [
        item["id"] for item in (await tenant.tk("GET", "/enrollments?limit=6")).json()["items"][3:]
    ]
