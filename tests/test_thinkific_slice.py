"""The Thinkific slice: courses, chapters, contents, users, enrollments — validated against the
vendor's own OpenAPI file (with the deviations documented in tests/contract.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests import builders
from tests.conftest import Tenant
from tests.contract import thinkific_contract


@pytest.fixture
def check(shared_dir: Path):  # type: ignore[no-untyped-def]
    contract = thinkific_contract(shared_dir)

    def _check(method: str, path: str, response: httpx.Response) -> dict:  # type: ignore[type-arg]
        contract.check(method, path, response.status_code, response.content)
        return response.json() if response.content else {}

    return _check


async def test_courses_chapters_contents_read_through(tenant: Tenant, check) -> None:  # type: ignore[no-untyped-def]
    course = await builders.course(tenant.ctx, chapters=2, lessons=3, status="published")
    listed = check("GET", "/courses", await tenant.tk("GET", "/courses"))
    assert [c["id"] for c in listed["items"]] == [course.id]
    item = listed["items"][0]
    assert item["name"] == course.title and item["product_id"] == course.product_id
    assert item["chapter_ids"] == course.chapter_ids and item["instructor_id"] is not None

    one = check("GET", f"/courses/{course.id}", await tenant.tk("GET", f"/courses/{course.id}"))
    assert one == item
    chapters = check(
        "GET",
        f"/courses/{course.id}/chapters",
        await tenant.tk("GET", f"/courses/{course.id}/chapters"),
    )
    assert [c["position"] for c in chapters["items"]] == [1, 2]
    first = chapters["items"][0]
    assert len(first["content_ids"]) == 3 and first["duration_in_seconds"] == 180
    chapter = check(
        "GET", f"/chapters/{first['id']}", await tenant.tk("GET", f"/chapters/{first['id']}")
    )
    assert chapter == first
    contents = check(
        "GET",
        f"/chapters/{first['id']}/contents",
        await tenant.tk("GET", f"/chapters/{first['id']}/contents", params={"limit": 2}),
    )
    assert [c["id"] for c in contents["items"]] == first["content_ids"][:2]
    assert contents["meta"]["pagination"] == {
        "current_page": 1,
        "next_page": 2,
        "prev_page": None,
        "total_pages": 2,
        "total_items": 3,
        "entries_info": "1-2 of 3",
    }
    content_id = first["content_ids"][0]
    content = check(
        "GET", f"/contents/{content_id}", await tenant.tk("GET", f"/contents/{content_id}")
    )
    assert content["chapter_id"] == first["id"] and content["contentable_type"] == "Lesson"
    assert content["take_url"].startswith(
        f"http://testserver/courses/take/{course.slug}/lessons/{content_id}-"
    )
    for path in ("/courses/999999", "/chapters/999999", "/contents/999999", "/courses/abc"):
        missing = await tenant.tk("GET", path)
        assert missing.status_code == 404 and missing.json() == {"error": "Record not found."}


async def test_pagination_meta_and_limits(tenant: Tenant, check) -> None:  # type: ignore[no-untyped-def]
    for _ in range(7):
        await builders.user(tenant.ctx)
    page2 = check("GET", "/users", await tenant.tk("GET", "/users", params={"page": 2, "limit": 3}))
    assert page2["meta"]["pagination"] == {
        "current_page": 2,
        "next_page": 3,
        "prev_page": 1,
        "total_pages": 3,
        "total_items": 7,
        "entries_info": "4-6 of 7",
    }
    past = check("GET", "/users", await tenant.tk("GET", "/users", params={"page": 9, "limit": 3}))
    assert past["items"] == [] and past["meta"]["pagination"]["next_page"] is None
    clamped = check("GET", "/users", await tenant.tk("GET", "/users", params={"limit": 100000}))
    assert len(clamped["items"]) == 7
    default = check("GET", "/users", await tenant.tk("GET", "/users", params={"page": "1.0"}))
    assert default["meta"]["pagination"]["current_page"] == 1
    for bad in ({"limit": "abc"}, {"page": "0"}, {"limit": "-5"}, {"page": "2.5"}):
        response = await tenant.tk("GET", "/users", params=bad)
        assert response.status_code == 422, bad
        name = next(iter(bad))
        assert list(response.json()["errors"]) == [name]


async def test_user_lifecycle_with_validation(tenant: Tenant, check) -> None:  # type: ignore[no-untyped-def]
    body = {
        "first_name": "Bob",
        "last_name": "Smith",
        "email": "Bob@Example.com",
        "roles": ["affiliate"],
        "company": "A Company",
        "password": "secret1",
    }
    created = check("POST", "/users", await tenant.tk("POST", "/users", json=body))
    assert created["full_name"] == "Bob Smith" and created["roles"] == ["affiliate"]
    assert "password" not in created
    user_id = created["id"]
    duplicate = await tenant.tk("POST", "/users", json={**body, "email": "bob@example.COM"})
    assert duplicate.status_code == 422
    assert duplicate.json() == {"errors": {"email": ["has already been taken"]}}
    check("POST", "/users", duplicate)
    missing = await tenant.tk("POST", "/users", json={"email": "x@example.com"})
    assert missing.status_code == 422
    assert missing.json()["errors"] == {
        "first_name": ["can't be blank"],
        "last_name": ["can't be blank"],
    }
    short = await tenant.tk(
        "POST", "/users", json={**body, "email": "z@example.com", "password": "abc"}
    )
    assert short.json() == {"errors": {"password": ["is too short (minimum is 6 characters)"]}}
    wrong_type = await tenant.tk(
        "POST", "/users", json={**body, "email": "y@example.com", "roles": "admin"}
    )
    assert wrong_type.status_code == 422 and "roles" in wrong_type.json()["errors"]

    update = await tenant.tk(
        "PUT", f"/users/{user_id}", json={"last_name": "Jones", "headline": "CTO"}
    )
    assert update.status_code == 204 and update.content == b""
    check("PUT", f"/users/{user_id}", update)
    fetched = check("GET", f"/users/{user_id}", await tenant.tk("GET", f"/users/{user_id}"))
    assert (
        fetched["last_name"] == "Jones"
        and fetched["headline"] == "CTO"
        and fetched["email"] == "Bob@Example.com"
    )

    by_email = check(
        "GET",
        "/users",
        await tenant.tk("GET", "/users", params={"query[email]": "bob@example.com"}),
    )
    assert [u["id"] for u in by_email["items"]] == [user_id]
    by_role = check(
        "GET", "/users", await tenant.tk("GET", "/users", params={"query[role]": "affiliate"})
    )
    assert [u["id"] for u in by_role["items"]] == [user_id]
    wildcard = check("GET", "/users", await tenant.tk("GET", "/users", params={"query[role]": "%"}))
    assert wildcard["items"] == []

    deleted = await tenant.tk("DELETE", f"/users/{user_id}")
    assert deleted.status_code == 204
    assert (await tenant.tk("GET", f"/users/{user_id}")).status_code == 404
    again = await tenant.tk("POST", "/users", json=body)
    assert again.status_code == 201, "a deleted user's email is free again"


async def test_users_by_external_identity(tenant: Tenant, check) -> None:  # type: ignore[no-untyped-def]
    body = {
        "first_name": "Sam",
        "last_name": "Lee",
        "email": "sam@example.com",
        "external_id": "ext-77",
        "provider": "OPENID_CONNECT",
    }
    created = check("POST", "/users", await tenant.tk("POST", "/users", json=body))
    found = await tenant.tk("GET", "/users/ext-77", params={"provider": "OPENID_CONNECT"})
    assert check("GET", "/users/ext-77", found)["id"] == created["id"]
    auth = await tenant.tk("GET", f"/users/{created['id']}/authentications/OPENID_CONNECT")
    assert check("GET", f"/users/{created['id']}/authentications/OPENID_CONNECT", auth) == {
        "provider": "OPENID_CONNECT",
        "external_id": "ext-77",
    }
    assert (await tenant.tk("GET", "/users/ext-77", params={"provider": "SSO"})).status_code == 404
    assert (await tenant.tk("GET", "/users/ext-77")).status_code == 404
    taken = await tenant.tk("POST", "/users", json={**body, "email": "other@example.com"})
    assert taken.status_code == 422 and taken.json() == {
        "errors": {"external_id": ["has already been taken"]}
    }


async def test_enrollments_trial_full_expiry_and_filters(tenant: Tenant, check) -> None:  # type: ignore[no-untyped-def]
    course = await builders.course(tenant.ctx, chapters=1, lessons=2)
    other = await builders.course(tenant.ctx)
    alice = await builders.user(tenant.ctx)
    bob = await builders.user(tenant.ctx)
    now = datetime.now(UTC)

    trial = await tenant.tk(
        "POST", "/enrollments", json={"user_id": alice.id, "course_id": course.id}
    )
    trial_body = check("POST", "/enrollments", trial)
    assert (
        trial.status_code == 201
        and trial_body["is_free_trial"] is True
        and trial_body["activated_at"] is None
    )
    full = check(
        "POST",
        "/enrollments",
        await tenant.tk(
            "POST",
            "/enrollments",
            json={"user_id": bob.id, "course_id": course.id, "activated_at": now.isoformat()},
        ),
    )
    assert full["is_free_trial"] is False and full["percentage_completed"] == 0.0
    assert full["user_email"] == bob.email and full["course_name"] == course.title
    check(
        "POST",
        "/enrollments",
        await tenant.tk(
            "POST",
            "/enrollments",
            json={"user_id": bob.id, "course_id": other.id, "activated_at": "2021-04-27"},
        ),
    )

    duplicate = await tenant.tk(
        "POST", "/enrollments", json={"user_id": bob.id, "course_id": course.id}
    )
    assert duplicate.status_code == 422 and "course_id" in duplicate.json()["errors"]
    unknown = await tenant.tk("POST", "/enrollments", json={"user_id": 999999, "course_id": 999999})
    assert unknown.status_code == 422
    assert unknown.json() == {
        "errors": {
            "user_id": ["User could not be found."],
            "course_id": ["Course could not be found."],
        }
    }
    bad_date = await tenant.tk(
        "POST",
        "/enrollments",
        json={"user_id": bob.id, "course_id": course.id, "activated_at": "yesterday"},
    )
    assert bad_date.status_code == 422 and "activated_at" in bad_date.json()["errors"]

    async def ids(**params: str) -> list[int]:
        response = await tenant.tk("GET", "/enrollments", params=params)
        return [e["id"] for e in check("GET", "/enrollments", response)["items"]]

    assert await ids(**{"query[free_trial]": "true"}) == [trial_body["id"]]
    assert full["id"] in await ids(**{"query[full]": "true"})
    assert await ids(**{"query[user_id]": str(alice.id)}) == [trial_body["id"]]
    assert await ids(**{"query[email]": bob.email, "query[course_id]": str(course.id)}) == [
        full["id"]
    ]
    assert await ids(**{"query[expired]": "true"}) == []
    assert (
        len(
            await ids(
                **{"query[created_on_or_after]": (now - timedelta(days=1)).date().isoformat()}
            )
        )
        == 3
    )
    assert await ids(**{"query[created_before]": "2000-01-01"}) == []
    bad_bool = await tenant.tk("GET", "/enrollments", params={"query[completed]": "maybe"})
    assert bad_bool.status_code == 422

    # Expiry revokes access: there is no DELETE.
    revoke = await tenant.tk(
        "PUT", f"/enrollments/{full['id']}", json={"expiry_date": now.isoformat()}
    )
    assert revoke.status_code == 204
    check("PUT", f"/enrollments/{full['id']}", revoke)
    after = check(
        "GET", f"/enrollments/{full['id']}", await tenant.tk("GET", f"/enrollments/{full['id']}")
    )
    assert after["expired"] is True and after["expiry_date"] is not None
    assert await ids(**{"query[expired]": "true"}) == [full["id"]]
    assert (await tenant.tk("DELETE", f"/enrollments/{full['id']}")).status_code == 405

    activate = await tenant.tk(
        "PUT", f"/enrollments/{trial_body['id']}", json={"activated_at": now.isoformat()}
    )
    assert activate.status_code == 204
    fetched = await tenant.tk("GET", f"/enrollments/{trial_body['id']}")
    assert check("GET", f"/enrollments/{trial_body['id']}", fetched)["is_free_trial"] is False

    # Deleting a user erases their enrollments.
    await tenant.tk("DELETE", f"/users/{alice.id}")
    assert (await tenant.tk("GET", f"/enrollments/{trial_body['id']}")).status_code == 404
