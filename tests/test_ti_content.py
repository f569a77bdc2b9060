"""GET /content exactly as the "Content" reference page describes it."""

from __future__ import annotations

from typing import Any

from tests import builders
from tests.conftest import Tenant

SEED_ITEM_FIELDS = {
    "id",
    "createdAt",
    "updatedAt",
    "expiresAt",
    "courseGroup",
    "title",
    "sessionTitle",
    "ribbon",
    "slug",
    "kind",
    "metaTitle",
    "language",
    "metaDescription",
    "displayCourse",
    "displayCourseSlug",
    "displayDate",
    "availabilityStatus",
    "asset",
    "assetAltText",
    "freeWithRegistration",
    "priceInCents",
    "suggestedRetailPriceInCents",
    "alternativePricingType",
    "alternativePricingRef",
    "rating",
    "description",
    "sku",
    "hasChildren",
    "tags",
    "status",
    "customFields",
    "authors",
    "authorsAndInstructors",
    "contentTypeLabel",
    "contentTypeAssetAspectRatio",
    "waitlistCount",
    "seatsLimit",
    "enrollmentCount",
    "source",
    "publishDate",
    "courseStartDate",
    "courseEndDate",
    "enrollmentStartDate",
    "enrollmentEndDate",
    "timeZone",
    "meetingStartDate",
    "coursePresold",
    "courseGracePeriodEnded",
    "currentUserMayReschedule",
    "isActive",
    "embeddedEnabled",
    "altDescriptionBody",
    "hideCourseDescription",
    "annotationsEnabled",
    "currentUserUnmetCoursePrerequisites",
    "currentUserUnmetLearningPathPrerequisites",
    "currentUserDueDate",
    "url",
    "waitlistingEnabled",
    "waitlistingTriggered",
    "canAddToQueue",
    "bulkPurchasingEnabled",
    "prices",
    "location",
    "state",
    "acceptBadgeUrl",
    "issuedAt",
    "badgeUrl",
    "credlyBadgeExpiresAt",
    "imageUrl",
    "badgeName",
    "completedPassedDueDate",
}


async def _search(tenant: Tenant, **params: Any) -> dict[str, Any]:
    response = await tenant.ti("GET", "/content", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["data"] and list(body["data"]) == ["APIContentSearch"]
    return body["data"]["APIContentSearch"]


async def test_envelope_and_every_content_field(tenant: Tenant) -> None:
    course = await builders.course(
        tenant.ctx,
        chapters=1,
        lessons=1,
        status="published",
        tags=["Ops"],
        authors=["Ann"],
        price_cents=1500,
    )
    result = await _search(tenant, types="courseGroup")
    assert set(result["pageInfo"]) == {"perPage", "cursor", "total", "hasMore"}
    assert result["pageInfo"]["total"] == 1 and result["pageInfo"]["hasMore"] is False
    item = result["contentItems"][0]
    assert set(item) == SEED_ITEM_FIELDS
    assert (
        item["id"] == course.uuid and item["kind"] == "courseGroup" and item["slug"] == course.slug
    )
    assert item["priceInCents"] == 1500 and item["prices"][0]["unitAmount"] == 1500
    assert (
        item["tags"][0]["label"] == "Ops"
        and item["authors"] == ["Ann"]
        and item["hasChildren"] is True
    )
    assert item["status"] == "published" and item["isActive"] is True


async def test_types_filter_query_and_sort(tenant: Tenant) -> None:
    await builders.course(tenant.ctx, title="Kubernetes basics", course_type="course")
    await builders.course(
        tenant.ctx, title="Intro video", course_type="video", description="<p>About kubernetes</p>"
    )
    await builders.course(tenant.ctx, title="An article", course_type="article")
    await builders.course(tenant.ctx, title="100% literal_", course_type="article")
    assert (await _search(tenant, types="video"))["pageInfo"]["total"] == 1
    both = await _search(tenant, types=["courseGroup", "video"])
    assert both["pageInfo"]["total"] == 2
    assert (await _search(tenant, types="courseGroup,article"))["pageInfo"]["total"] == 3
    found = await _search(tenant, types="courseGroup,video,article", query="KUBERNETES")
    assert {i["title"] for i in found["contentItems"]} == {"Kubernetes basics", "Intro video"}
    literal = await _search(tenant, types="article", query="%")
    assert [i["title"] for i in literal["contentItems"]] == ["100% literal_"]
    underscore = await _search(tenant, types="article", query="l_")
    assert [i["title"] for i in underscore["contentItems"]] == ["100% literal_"]
    by_title = await _search(tenant, types="article,courseGroup,video", sort="title")
    titles = [i["title"] for i in by_title["contentItems"]]
    assert titles == sorted(titles)
    newest = await _search(tenant, types="article,courseGroup,video", sort="createdAt:desc")
    assert newest["contentItems"][0]["title"] == "100% literal_"


async def test_bad_parameters_get_the_errors_envelope(tenant: Tenant) -> None:
    for params, needle in (
        ({}, "'types'"),
        ({"types": "quiz"}, "quiz"),
        ({"types": "video", "perPage": "abc"}, "perPage"),
        ({"types": "video", "sort": "bogus"}, "sort"),
        ({"types": "video", "cursor": "!!!"}, "cursor"),
        ({"types": "video", "cursor": "eyJ4IjoxfQ"}, "cursor"),
    ):
        response = await tenant.ti("GET", "/content", params=params)
        assert response.status_code == 400, params
        body = response.json()
        assert list(body) == ["errors"] and needle in body["errors"][0], body


async def test_cursor_walk_is_stable_under_inserts(tenant: Tenant) -> None:
    for n in range(7):
        await builders.course(tenant.ctx, title=f"Walk {n}")
    # A first page reports every match, whether it holds them all or not.
    for per_page, shown in ((3, 3), (7, 7), (10, 7)):
        first = await _search(tenant, types="courseGroup", perPage=per_page, query="WALK")
        assert len(first["contentItems"]) == shown
        assert first["pageInfo"]["total"] == 7
        assert first["pageInfo"]["hasMore"] == (per_page < 7)
    seen: list[str] = []
    cursor = None
    inserted = 0
    while True:
        params: dict[str, Any] = {"types": "courseGroup", "perPage": 3, "sort": "createdAt:asc"}
        if cursor:
            params["cursor"] = cursor
        page = await _search(tenant, **params)
        seen += [i["id"] for i in page["contentItems"]]
        if inserted < 2:  # new courses arrive while the client pages
            await builders.course(tenant.ctx, title=f"Late {inserted}")
            inserted += 1
        if not page["pageInfo"]["hasMore"]:
            break
        cursor = page["pageInfo"]["cursor"]
    assert len(seen) == len(set(seen)) == 9
    clamped = await _search(tenant, types="courseGroup", perPage=100000)
    assert clamped["pageInfo"]["perPage"] == 100


async def test_observed_envelope_profile(db, clock, http) -> None:  # type: ignore[no-untyped-def]
    from coursegate.platform import tenancy
    from tests.conftest import make_tenant

    tenant = await make_tenant(db, clock, http)
    await tenancy.update_site(
        db, tenant.site.subdomain, {"profile": {"thoughtindustries": {"envelope": "observed"}}}
    )
    await builders.course(tenant.ctx)
    body = (await tenant.ti("GET", "/content", params={"types": "courseGroup"})).json()
    assert set(body) == {"pageInfo", "contentItems"} and len(body["contentItems"]) == 1


async def test_ribbon_and_schedule_flow_into_content_items(tenant: Tenant) -> None:
    created = await tenant.ti(
        "POST",
        "/courses",
        json={
            "title": "Scheduled cohort",
            "courseType": "course",
            "ribbonText": "New Cohort",
            "ribbonColor": "#FF6600",
            "courseStartDate": "2031-03-01T09:00:00Z",
            "courseEndDate": "1930813200000",  # Unix ms, as TI dates may be
            "enrollmentStartDate": "2031-01-01",
        },
    )
    assert created.status_code == 201, created.text
    [item] = (await _search(tenant, types="courseGroup"))["contentItems"]
    assert item["ribbon"] == {
        "label": "New Cohort",
        "slug": "new-cohort",
        "color": "#ff6600",
        "contrastColor": "#ffffff",
        "darkerColor": "#cc5200",
    }
    assert item["courseStartDate"] == "2031-03-01T09:00:00.000Z"
    assert item["courseEndDate"] == "2031-03-09T09:00:00.000Z"
    assert item["enrollmentStartDate"] == "2031-01-01T00:00:00.000Z"
    assert item["enrollmentEndDate"] is None
    backwards = await tenant.ti(
        "PUT",
        f"/courses/{created.json()['id']}",
        json={"courseEndDate": "2031-02-01T00:00:00Z"},
    )
    assert backwards.status_code == 400 and "'courseEndDate'" in backwards.json()["message"]
    bad_color = await tenant.ti(
        "PUT", f"/courses/{created.json()['id']}", json={"ribbonColor": "orange"}
    )
    assert bad_color.status_code == 400 and "'ribbonColor'" in bad_color.json()["message"]
    cleared = await tenant.ti("PUT", f"/courses/{created.json()['id']}", json={"ribbonText": ""})
    assert cleared.status_code == 200
    [item] = (await _search(tenant, types="courseGroup"))["contentItems"]
    assert item["ribbon"] is None
