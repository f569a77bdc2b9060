"""Instructors: CRUD, and what deleting one assigned to courses does."""

from __future__ import annotations

from coursegate.domain import instructors
from tests import builders
from tests.catalog_support import Checked
from tests.conftest import Tenant


async def test_instructor_crud_and_course_link(tenant: Tenant, api: Checked) -> None:
    default = (await api(tenant, "GET", "/instructors")).json()["items"]
    assert len(default) == 1  # every site starts with its default instructor
    course = await builders.course(tenant.ctx)
    assert (await api(tenant, "GET", f"/courses/{course.id}")).json()["instructor_id"] == default[
        0
    ]["id"]

    teacher = await builders.user(tenant.ctx)
    created = await api(
        tenant,
        "POST",
        "/instructors",
        json={
            "first_name": "Ada",
            "last_name": "Lovelace",
            "slug": "ada",
            "title": "Dr.",
            "user_id": teacher.id,
            "email": "ada@example.com",
        },
    )
    assert created.status_code == 201
    ada = created.json()
    assert ada["first_name"] == "Ada" and ada["user_id"] == teacher.id and ada["title"] == "Dr."

    await instructors.assign_instructor(tenant.ctx, course.id, ada["id"])
    assert (await api(tenant, "GET", f"/courses/{course.id}")).json()["instructor_id"] == ada["id"]

    put = await api(
        tenant,
        "PUT",
        f"/instructors/{ada['id']}",
        json={"first_name": "Augusta", "last_name": "King", "slug": "augusta"},
    )
    assert put.status_code == 204
    shown = (await api(tenant, "GET", f"/instructors/{ada['id']}")).json()
    assert (shown["first_name"], shown["last_name"], shown["title"]) == ("Augusta", "King", None)

    deleted = await api(tenant, "DELETE", f"/instructors/{ada['id']}")
    assert deleted.status_code == 204
    assert (await api(tenant, "GET", f"/instructors/{ada['id']}")).status_code == 404
    # Her course falls back to the site's default instructor.
    assert (await api(tenant, "GET", f"/courses/{course.id}")).json()["instructor_id"] == default[
        0
    ]["id"]


async def test_deleting_the_last_instructor_leaves_courses_without_one(
    tenant: Tenant, api: Checked
) -> None:
    only = (await api(tenant, "GET", "/instructors")).json()["items"][0]
    course = await builders.course(tenant.ctx)
    assert (await api(tenant, "DELETE", f"/instructors/{only['id']}")).status_code == 204
    assert (await api(tenant, "GET", f"/courses/{course.id}")).json()["instructor_id"] is None


async def test_instructor_validation_and_isolation(
    tenant: Tenant, other_tenant: Tenant, api: Checked
) -> None:
    blank = await api(tenant, "POST", "/instructors", json={"first_name": "A", "last_name": " "})
    assert blank.status_code == 422
    assert blank.json() == {"errors": {"last_name": ["can't be blank"], "slug": ["can't be blank"]}}
    stranger = await builders.user(other_tenant.ctx)
    foreign_user = await api(
        tenant,
        "POST",
        "/instructors",
        json={"first_name": "A", "last_name": "B", "slug": "ab", "user_id": stranger.id},
    )
    assert foreign_user.status_code == 422 and "user_id" in foreign_user.json()["errors"]
    theirs = (await api(other_tenant, "GET", "/instructors")).json()["items"][0]
    for method in ("GET", "DELETE"):
        response = await api(tenant, method, f"/instructors/{theirs['id']}")
        assert response.status_code == 404
    put = await api(
        tenant,
        "PUT",
        f"/instructors/{theirs['id']}",
        json={"first_name": "A", "last_name": "B", "slug": "ab"},
    )
    assert put.status_code == 404
    assert (await api(other_tenant, "GET", f"/instructors/{theirs['id']}")).json()[
        "first_name"
    ] == theirs["first_name"]
