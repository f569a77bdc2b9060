"""GET /courses (cursor paging, filters) and course groups (views of platform courses)."""

from __future__ import annotations

from tests import builders
from tests.conftest import Tenant


async def test_course_list_pages_with_cursor_and_filters(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    made = [await builders.course(tenant.ctx, title=f"Listed {i}") for i in range(3)]
    video = await builders.course(
        tenant.ctx, title="A video", course_type="video", status="published", external_id="EXT-9"
    )
    await builders.course(other_tenant.ctx, title="Elsewhere")

    first = (await tenant.ti("GET", "/courses", params={"perPage": "2"})).json()["data"][
        "APICourses"
    ]
    assert [c["title"] for c in first["courses"]] == ["Listed 0", "Listed 1"]
    assert first["pageInfo"]["total"] == 4 and first["pageInfo"]["hasMore"] is True
    second = await tenant.ti(
        "GET", "/courses", params={"perPage": "2", "cursor": first["pageInfo"]["cursor"]}
    )
    rest = second.json()["data"]["APICourses"]
    assert [c["id"] for c in rest["courses"]] == [made[2].uuid, video.uuid] and rest["pageInfo"][
        "hasMore"
    ] is False

    for params in (
        {"courseType": "video"},
        {"courseType": "video,article"},
        {"publishedStatus": "published"},
        {"externalId": "EXT-9"},
    ):
        only = (await tenant.ti("GET", "/courses", params=params)).json()["data"]["APICourses"][
            "courses"
        ]
        assert [c["id"] for c in only] == [video.uuid], params

    bad = await tenant.ti("GET", "/courses", params={"courseType": "quiz"})
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_FIELD_VALUE"
    assert "courseType" in bad.json()["message"]
    forged = await tenant.ti("GET", "/courses", params={"cursor": "not-a-cursor"})
    assert forged.status_code == 400 and "cursor" in forged.json()["message"]


async def test_course_groups_list_filters_and_pages(tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx, title="Group course", description="<p>About</p>")
    article = await builders.course(
        tenant.ctx, title="Group article", course_type="article", status="archived"
    )
    listed = (await tenant.ti("GET", "/courseGroups")).json()["data"]["APICourseGroups"]
    assert listed["pageInfo"] == {"perPage": 25, "currentPage": 1, "total": 2, "hasMore": False}
    first = listed["courseGroups"][0]
    assert first == {
        "id": course.uuid,
        "title": "Group course",
        "slug": course.slug,
        "kind": "courseGroup",
        "status": "draft",
        "isTemplate": False,
        "language": "en",
        "contentType": "Course",
        "authors": [],
        "description": "<p>About</p>",
        "displayCourseId": course.uuid,
        "courseCount": 1,
    }

    async def ids(**params: str) -> list[str]:
        body = (await tenant.ti("GET", "/courseGroups", params=params)).json()["data"][
            "APICourseGroups"
        ]
        return [g["id"] for g in body["courseGroups"]]

    assert await ids(kind="article") == [article.uuid]
    assert await ids(kind="courseGroup") == [course.uuid]
    assert await ids(kind="microCourse") == []
    assert await ids(archived="true") == [article.uuid]
    assert await ids(archived="false") == [course.uuid]
    assert await ids(isTemplate="true") == []
    assert await ids(perPage="1", page="2") == [article.uuid]
    bad = await tenant.ti("GET", "/courseGroups", params={"kind": "poster"})
    assert bad.status_code == 400 and bad.json()["errors"][0].startswith("Invalid kind 'poster'")
    not_bool = await tenant.ti("GET", "/courseGroups", params={"archived": "maybe"})
    assert not_bool.status_code == 400 and not_bool.json() == {
        "errors": ["Field 'archived' must be a boolean."]
    }


async def test_course_group_by_id_slug_and_its_courses(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    course = await builders.course(tenant.ctx, title="Detailed", status="published")
    user = await builders.user(tenant.ctx)
    await builders.enrollment(tenant.ctx, user.id, course.id)
    by_id = (await tenant.ti("GET", f"/courseGroups/{course.uuid}")).json()["data"][
        "APICourseGroupById"
    ]
    by_slug = (await tenant.ti("GET", f"/courseGroups/slug/{course.slug}")).json()["data"][
        "APICourseGroupBySlug"
    ]
    assert by_id == by_slug and by_id["metaTitle"] == "Detailed" and by_id["customFields"] == {}
    members = (await tenant.ti("GET", f"/courseGroups/{course.uuid}/courses")).json()["data"][
        "APICourseGroupCourses"
    ]
    assert members["pageInfo"]["total"] == 1
    assert members["courses"][0]["id"] == course.uuid and members["courses"][0]["seatsUsed"] == 1
    assert members["courses"][0]["isDisplayCourse"] is True

    draft = await builders.course(tenant.ctx, title="Still a draft")
    active = await tenant.ti(
        "GET", f"/courseGroups/{draft.uuid}/courses", params={"activeOnly": "true"}
    )
    assert active.json()["data"]["APICourseGroupCourses"]["courses"] == []

    for path in (f"/courseGroups/{course.uuid}", f"/courseGroups/slug/{course.slug}"):
        hidden = await other_tenant.ti("GET", path)
        assert hidden.status_code == 404 and hidden.json() == {
            "errors": ["Course group not found."]
        }
    assert (await tenant.ti("GET", f"/courseGroups/{course.id}")).status_code == 404


async def test_observed_profile_serves_lists_unwrapped_and_profile_limits_apply(
    tenant: Tenant, db
) -> None:  # type: ignore[no-untyped-def]
    from coursegate.platform import tenancy

    profile = {"thoughtindustries": {"envelope": "observed", "bulk_max_records": 2}}
    await tenancy.update_site(db, tenant.site.subdomain, {"profile": profile})
    course = await builders.course(tenant.ctx, chapters=1)
    groups = (await tenant.ti("GET", "/courseGroups")).json()
    assert groups["pageInfo"]["total"] == 1 and groups["courseGroups"][0]["id"] == course.uuid
    listed = (await tenant.ti("GET", "/courses")).json()
    assert listed["courses"][0]["id"] == course.uuid and "data" not in listed
    sections = (await tenant.ti("GET", f"/courses/{course.uuid}/sections")).json()
    assert sections["pageInfo"]["currentPage"] == 1 and len(sections["sections"]) == 1
    records = [{"title": f"P{i}", "courseType": "course"} for i in range(3)]
    refused = await tenant.ti("POST", "/courses/bulk", json={"courseAttributes": records})
    assert refused.status_code == 400 and "at most 2 records" in refused.json()["message"]
