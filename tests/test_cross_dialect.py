"""One model, two dialects: what one vendor's API writes, the other's reads."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Tenant
from tests.contract import thinkific_contract


async def test_ti_course_appears_in_thinkific_and_thinkific_enrollment_counts_in_ti(
    tenant: Tenant, shared_dir: Path
) -> None:
    contract = thinkific_contract(shared_dir)
    created = (
        await tenant.ti(
            "POST",
            "/courses",
            json={
                "title": "Cross Dialect 101",
                "courseType": "course",
                "description": "<p>Both ways</p>",
                "tags": ["alpha", "beta"],
                "publishedStatus": "published",
            },
        )
    ).json()

    listed = await tenant.tk("GET", "/courses")
    contract.check("GET", "/courses", 200, listed.content)
    [course] = [c for c in listed.json()["items"] if c["slug"] == created["slug"]]
    assert course["name"] == "Cross Dialect 101" and course["description"] == "<p>Both ways</p>"
    assert course["keywords"] == "alpha,beta" and isinstance(course["product_id"], int)

    user = (
        await tenant.tk(
            "POST",
            "/users",
            json={"first_name": "Kai", "last_name": "Ito", "email": "kai@example.com"},
        )
    ).json()
    enrolled = await tenant.tk(
        "POST",
        "/enrollments",
        json={
            "user_id": user["id"],
            "course_id": course["id"],
            "activated_at": "2026-01-01T00:00:00Z",
        },
    )
    assert enrolled.status_code == 201
    contract.check("POST", "/enrollments", 201, enrolled.content)

    content = (await tenant.ti("GET", "/content", params={"types": "courseGroup"})).json()
    [item] = content["data"]["APIContentSearch"]["contentItems"]
    assert item["id"] == created["id"] and item["enrollmentCount"] == 1

    ti_user = (await tenant.ti("GET", "/users/kai@example.com")).json()["data"]["UserById"]
    assert [c["courseId"] for c in ti_user["purchasedCourses"]] == [created["id"]]

    # Renamed through TI, the Thinkific view follows (course and its product).
    await tenant.ti("PUT", f"/courses/{created['id']}", json={"title": "Cross Dialect 201"})
    again = (await tenant.tk("GET", f"/courses/{course['id']}")).json()
    assert again["name"] == "Cross Dialect 201"
    enrollment = (await tenant.tk("GET", f"/enrollments/{enrolled.json()['id']}")).json()
    assert enrollment["course_name"] == "Cross Dialect 201"

    # Deleting the user through Thinkific drops the TI count.
    await tenant.tk("DELETE", f"/users/{user['id']}")
    content = (await tenant.ti("GET", "/content", params={"types": "courseGroup"})).json()
    assert content["data"]["APIContentSearch"]["contentItems"][0]["enrollmentCount"] == 0


async def test_users_are_shared(tenant: Tenant, shared_dir: Path) -> None:
    ti_created = (
        await tenant.ti(
            "POST",
            "/users",
            json={"email": "mo@example.com", "firstName": "Mo", "lastName": "Diaz"},
        )
    ).json()
    found = await tenant.tk("GET", "/users", params={"query[email]": "mo@example.com"})
    thinkific_contract(shared_dir).check("GET", "/users", 200, found.content)
    [user] = found.json()["items"]
    assert user["first_name"] == "Mo" and user["full_name"] == "Mo Diaz"
    await tenant.tk("PUT", f"/users/{user['id']}", json={"first_name": "Maurice"})
    again = (await tenant.ti("GET", f"/users/{ti_created['id']}")).json()["data"]["UserById"]
    assert again["firstName"] == "Maurice"
