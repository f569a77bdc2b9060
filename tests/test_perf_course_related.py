"""A course's product, chapters and tags come as columns of the statement that reads the course
(store/catalog.py, `with_related`): a keyed read, a Thinkific page, a cursor page and a content
search are each one statement, and what they attach is what the course was given, in order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from coursegate.platform.wiretime import iso_ms
from tests import builders
from tests.conftest import Tenant, TestClock
from tests.test_perf_page_marks import statements

TAGGED_AT = datetime(2026, 3, 4, 5, 6, 7, 891234, tzinfo=UTC)


async def _one_statement(call: Callable[[], Awaitable[Any]], tenant: Tenant) -> Any:
    """The call's JSON, checked to have read in one statement (besides the API key's lookup, a
    page's maintained count and SQLite's BEGIN)."""
    with statements(tenant) as seen:
        response = await call()
    assert response.status_code == 200, response.text
    ignored = ("BEGIN", "FROM api_keys", "FROM counters")
    assert len([sql for sql in seen if not any(i in sql for i in ignored)]) == 1, seen
    return response.json()


async def _tagged_course(tenant: Tenant, clock: TestClock) -> dict[str, Any]:
    """A course tagged zeta then alpha, where alpha is the older tag (the lower id): the
    course's order is not the tags' id order."""
    clock.pinned = TAGGED_AT
    try:
        await builders.course(tenant.ctx, title="Older", tags=["alpha"])
        created = await tenant.ti(
            "POST",
            "/courses",
            json={"title": "Related Python", "courseType": "course", "tags": ["zeta", "alpha"]},
        )
    finally:
        clock.pinned = None
    assert created.status_code == 201, created.text
    return dict(created.json())


async def test_keyed_reads_and_searches_bring_tags_in_the_course_order(
    tenant: Tenant, clock: TestClock
) -> None:
    created = await _tagged_course(tenant, clock)
    assert created["tags"] == ["zeta", "alpha"]

    keyed = await _one_statement(lambda: tenant.ti("GET", f"/courses/{created['id']}"), tenant)
    assert keyed == created

    found = await _one_statement(
        lambda: tenant.ti("GET", "/content", params={"types": "courseGroup", "query": "ted pyt"}),
        tenant,
    )
    [item] = found["data"]["APIContentSearch"]["contentItems"]
    assert [t["label"] for t in item["tags"]] == ["zeta", "alpha"]
    # Through the JSON aggregate the tag's time keeps its milliseconds on both databases.
    assert {t["updatedAt"] for t in item["tags"]} == {iso_ms(TAGGED_AT)}
    assert item["hasChildren"] is False

    listed = (await tenant.ti("GET", "/courses", params={"perPage": 10})).json()
    by_id = {c["id"]: c for c in listed["data"]["APICourses"]["courses"]}
    assert by_id[created["id"]]["tags"] == ["zeta", "alpha"]
    assert [c["tags"] for c in by_id.values() if c["title"] == "Older"] == [["alpha"]]


async def test_pages_bring_product_and_chapters(tenant: Tenant) -> None:
    bare = await builders.course(tenant.ctx)
    built = await builders.course(tenant.ctx, chapters=3)
    chapters = (await tenant.tk("GET", f"/courses/{built.id}/chapters")).json()["items"]
    assert len(chapters) == 3

    keyed = await _one_statement(lambda: tenant.tk("GET", f"/courses/{built.id}"), tenant)
    assert keyed["chapter_ids"] == [c["id"] for c in chapters]
    product = (await tenant.tk("GET", f"/products/{keyed['product_id']}")).json()
    assert product["productable_type"] == "Course" and product["productable_id"] == built.id

    page = await _one_statement(lambda: tenant.tk("GET", "/courses", params={"limit": 2}), tenant)
    by_id = {c["id"]: c for c in page["items"]}
    assert by_id[built.id]["chapter_ids"] == keyed["chapter_ids"]
    assert by_id[built.id]["product_id"] == keyed["product_id"]
    # No chapters: an empty group (PostgreSQL's NULL, SQLite's []) is an empty list.
    assert by_id[bare.id]["chapter_ids"] == []
    assert isinstance(by_id[bare.id]["product_id"], int)
