"""Thought Industries views of the same commerce data: coupons, course coupons, redemption
code groups and redeeming a code."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from coursegate.domain import learning
from coursegate.domain.models import EnrollmentQuery
from coursegate.store.tables.events import events
from tests import builders
from tests.conftest import Tenant


def unwrap(body: dict[str, Any], operation: str) -> dict[str, Any]:
    """The documented envelope: exactly {"data": {operation: payload}}."""
    assert list(body) == ["data"] and list(body["data"]) == [operation]
    payload: dict[str, Any] = body["data"][operation]
    return payload


async def test_coupons_made_through_thinkific_appear_in_ti(tenant: Tenant) -> None:
    course = await builders.priced_course(tenant.ctx, price_cents=4000)
    buyer = await builders.user(tenant.ctx)
    expires = tenant.ctx.clock.now() + timedelta(days=30)
    percent = (
        await tenant.tk(
            "POST",
            "/promotions",
            json={
                "name": "Ten percent",
                "discount_type": "percentage",
                "amount": 10,
                "expires_at": expires.isoformat(),
            },
        )
    ).json()
    fixed = await builders.promotion(tenant.ctx, discount_type="fixed", amount=12.5)
    await tenant.tk(
        "POST", f"/coupons?promotion_id={percent['id']}", json={"code": "TEN", "quantity": 3}
    )
    await builders.coupon(tenant.ctx, fixed.id, code="FLAT")
    await tenant.tk(
        "POST",
        "/orders",
        json={"user_id": buyer.id, "product_id": course.product_id, "coupon_code": "TEN"},
    )

    response = await tenant.ti("GET", "/coupons")
    assert response.status_code == 200
    payload = unwrap(response.json(), "APICoupons")
    assert payload["pageInfo"] == {
        "perPage": 25,
        "currentPage": 1,
        "total": 2,
        "hasMore": False,
        "cursor": None,
    }
    by_code = {c["code"]: c for c in payload["coupons"]}
    ten, flat = by_code["TEN"], by_code["FLAT"]
    assert set(ten) == {
        "id",
        "active",
        "allowMultipleInCart",
        "appliesToUser",
        "code",
        "timesRedeemed",
        "maxRedemptions",
        "redeemBy",
        "percentOff",
        "amountOffInCents",
        "multicurrencyAmountOff",
    }
    assert len(ten["id"]) == 36 and ten["active"] is True
    assert ten["timesRedeemed"] == 1 and ten["maxRedemptions"] == 3
    assert ten["percentOff"] == 10.0 and ten["amountOffInCents"] is None
    assert ten["redeemBy"] is not None
    assert flat["amountOffInCents"] == 1250 and flat["percentOff"] is None
    assert flat["maxRedemptions"] is None and flat["redeemBy"] is None

    # Counts agree with the Thinkific view of the same coupon.
    tk_coupons = (await tenant.tk("GET", f"/coupons?promotion_id={percent['id']}")).json()["items"]
    assert tk_coupons[0]["quantity_used"] == ten["timesRedeemed"]

    paged = unwrap((await tenant.ti("GET", "/coupons?perPage=1&page=2")).json(), "APICoupons")
    assert paged["pageInfo"] == {
        "perPage": 1,
        "currentPage": 2,
        "total": 2,
        "hasMore": False,
        "cursor": None,
    }
    assert len(paged["coupons"]) == 1


async def test_coupons_page_by_cursor_as_production_clients_do(tenant: Tenant) -> None:
    promo = await builders.promotion(tenant.ctx)
    made = [(await builders.coupon(tenant.ctx, promo.id)).code for _ in range(5)]
    seen: list[str] = []
    cursor = ""
    for _ in range(5):
        body = unwrap(
            (await tenant.ti("GET", f"/coupons?perPage=2&cursor={cursor}")).json(), "APICoupons"
        )
        seen += [c["code"] for c in body["coupons"]]
        if not body["pageInfo"]["hasMore"]:
            assert body["pageInfo"]["cursor"] is None
            break
        cursor = body["pageInfo"]["cursor"]
    assert seen == made
    forged = await tenant.ti("GET", "/coupons?cursor=eyJpIjoieCJ9")
    assert forged.status_code == 400


async def test_observed_profile_serves_the_payload_unwrapped(tenant: Tenant, db) -> None:  # type: ignore[no-untyped-def]
    from coursegate.platform import tenancy

    await builders.coupon(tenant.ctx, (await builders.promotion(tenant.ctx)).id, code="SEEN")
    await tenancy.update_site(
        db, tenant.site.subdomain, {"profile": {"thoughtindustries": {"envelope": "observed"}}}
    )
    body = (await tenant.ti("GET", "/coupons")).json()
    assert set(body) == {"pageInfo", "coupons"} and body["coupons"][0]["code"] == "SEEN"


async def test_course_coupons_cover_scoped_and_site_wide_promotions(tenant: Tenant) -> None:
    course = await builders.priced_course(tenant.ctx, days_until_expiry=60)
    other = await builders.priced_course(tenant.ctx)
    scoped = await builders.promotion(tenant.ctx, product_ids=[course.product_id])
    elsewhere = await builders.promotion(tenant.ctx, product_ids=[other.product_id])
    everywhere = await builders.promotion(tenant.ctx, discount_type="fixed", amount=3)
    await builders.coupon(tenant.ctx, scoped.id, code="SCOPED")
    await builders.coupon(tenant.ctx, elsewhere.id, code="OTHER")
    await builders.coupon(tenant.ctx, everywhere.id, code="ALL", quantity=0)

    response = await tenant.ti("GET", f"/course-coupons?courseIds={course.uuid}")
    assert response.status_code == 200
    payload = unwrap(response.json(), "APICourseCoupons")
    assert payload["pageInfo"]["total"] == 2
    by_code = {c["code"]: c for c in payload["courseCoupons"]}
    assert set(by_code) == {"SCOPED", "ALL"}
    assert by_code["SCOPED"]["courseId"] == course.uuid and by_code["SCOPED"]["accessDays"] == 60
    assert by_code["SCOPED"]["generated"] is False and by_code["SCOPED"]["active"] is True
    assert by_code["ALL"]["active"] is False and by_code["ALL"]["amountOffInCents"] == 300

    both = unwrap(
        (await tenant.ti("GET", f"/course-coupons?courseIds={course.uuid},{other.uuid}")).json(),
        "APICourseCoupons",
    )
    assert sorted((c["code"], c["courseId"] == course.uuid) for c in both["courseCoupons"]) == [
        ("ALL", False),
        ("ALL", True),
        ("OTHER", False),
        ("SCOPED", True),
    ]
    active = unwrap(
        (await tenant.ti("GET", f"/course-coupons?courseIds={course.uuid}&active=true")).json(),
        "APICourseCoupons",
    )
    assert [c["code"] for c in active["courseCoupons"]] == ["SCOPED"]
    by_filter = unwrap(
        (await tenant.ti("GET", f"/course-coupons?courseIds={course.uuid}&code=all")).json(),
        "APICourseCoupons",
    )
    assert [c["code"] for c in by_filter["courseCoupons"]] == ["ALL"]

    missing = await tenant.ti("GET", "/course-coupons")
    assert missing.status_code == 400
    assert missing.json() == {"errors": ["Field 'courseIds' is required."]}
    unknown = await tenant.ti(
        "GET", "/course-coupons?courseIds=00000000-0000-4000-8000-000000000000"
    )
    assert unknown.status_code == 400 and "courseIds" in unknown.json()["errors"][0]


async def test_redemption_code_group_create_get_list(tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx, title="Redeemable")
    path = await builders.course(tenant.ctx, course_type="learning_path", title="A path")
    body = {
        "label": "Partner codes",
        "codeLength": 8,
        "totalCodesCount": 10_000,
        "accessDays": 30,
        "courses": [course.uuid],
        "learningPaths": [path.uuid],
        "expirationDate": "2099-01-01T00:00:00Z",
    }
    response = await tenant.ti("POST", "/redemptionCodes", json=body)
    assert response.status_code == 201, response.text
    group = response.json()
    assert "data" not in group
    assert group["label"] == "Partner codes" and group["totalCodesCount"] == 10_000
    assert group["redeemedCodesCount"] == 0 and group["accessDays"] == 30
    assert (
        group["accessExpirationDate"] is None
        and group["expirationDate"] == "2099-01-01T00:00:00.000Z"
    )
    assert group["courses"] == [{"id": course.uuid, "title": "Redeemable"}]
    assert group["learningPaths"] == [{"id": path.uuid, "name": "A path"}]
    assert group["bundles"] == [] and group["licenses"] == [] and group["client"] is None
    codes = group["codes"]
    assert len(codes) == 10_000 and len(set(codes)) == 10_000 and all(len(c) == 8 for c in codes)

    got = await tenant.ti("GET", f"/redemptionCodes/{group['id']}")
    assert got.status_code == 200 and got.json()["id"] == group["id"]
    assert (
        await tenant.ti("GET", "/redemptionCodes/00000000-0000-4000-8000-000000000000")
    ).status_code == 404


async def test_redemption_code_group_validation(tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx)
    cases = [
        ({}, "Field 'label' is required."),
        (
            {"label": "x", "codeLength": 8, "totalCodesCount": 10_001, "courses": [course.uuid]},
            "Field 'totalCodesCount' must be between 1 and 10000.",
        ),
        (
            {"label": "x", "codeLength": 8, "totalCodesCount": 5},
            "At least one of courses, bundles, licenses or learning paths is required.",
        ),
        (
            {
                "label": "x",
                "codeLength": 8,
                "totalCodesCount": 5,
                "courses": [course.uuid],
                "accessDays": 3,
                "accessExpirationDate": "2099-01-01",
            },
            "Access days and an access expiration date cannot both be given.",
        ),
        (
            {"label": "x", "codeLength": 8, "totalCodesCount": 5, "learningPaths": [course.uuid]},
            "Learning path not found for field 'learningPaths'.",
        ),
        (
            {"label": "x", "codeLength": "8", "totalCodesCount": 5, "courses": [course.uuid]},
            "Field 'codeLength' must be an integer.",
        ),
    ]
    for body, message in cases:
        response = await tenant.ti("POST", "/redemptionCodes", json=body)
        assert response.status_code == 400, body
        assert message in response.json()["errors"], (body, response.json())
    listed = (await tenant.ti("GET", "/redemptionCodes")).json()
    assert listed["redemptionCodeGroups"] == []


async def test_redemption_groups_page_50_at_a_time_sorted_by_label(tenant: Tenant) -> None:
    from coursegate.domain import redemption

    course = await builders.course(tenant.ctx)
    for n in range(55):
        label = f"{'Alpha' if n % 2 else 'Beta'} {n:02d}"
        req = redemption.GroupRequest(
            label=label, code_length=6, total_codes_count=1, course_uuids=[course.uuid]
        )
        await redemption.create_group(tenant.ctx, req)

    first = (await tenant.ti("GET", "/redemptionCodes")).json()
    assert set(first) == {"redemptionCodeGroups", "pageInfo"}
    labels = [g["label"] for g in first["redemptionCodeGroups"]]
    assert len(labels) == 50 and labels == sorted(labels)
    assert first["pageInfo"]["total"] == 55 and first["pageInfo"]["hasMore"] is True
    assert "codes" not in first["redemptionCodeGroups"][0]
    second = (
        await tenant.ti("GET", f"/redemptionCodes?cursor={first['pageInfo']['cursor']}")
    ).json()
    rest = [g["label"] for g in second["redemptionCodeGroups"]]
    assert len(rest) == 5 and second["pageInfo"] == {"total": 55, "hasMore": False, "cursor": None}
    assert labels + rest == sorted(labels + rest)

    desc = (await tenant.ti("GET", "/redemptionCodes?sort=label:desc&query=alpha")).json()
    found = [g["label"] for g in desc["redemptionCodeGroups"]]
    assert (
        len(found) == 27
        and found == sorted(found, reverse=True)
        and all("Alpha" in x for x in found)
    )
    bad = await tenant.ti("GET", "/redemptionCodes?sort=size")
    assert bad.status_code == 400
    forged = await tenant.ti("GET", "/redemptionCodes?cursor=bm9wZQ")
    assert forged.status_code == 400


async def test_redeeming_a_code_enrolls_once(tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx)
    user = await builders.user(tenant.ctx)
    other = await builders.user(tenant.ctx)
    group = (
        await tenant.ti(
            "POST",
            "/redemptionCodes",
            json={
                "label": "Gift",
                "codeLength": 6,
                "totalCodesCount": 2,
                "accessDays": 10,
                "courses": [course.uuid],
            },
        )
    ).json()
    code = group["codes"][0]

    redeemed = await tenant.ti(
        "POST", "/redemptionCodes/redeem", json={"code": code.lower(), "userId": user.uuid}
    )
    assert redeemed.status_code == 200, redeemed.text
    body = redeemed.json()
    assert body["code"] == code and body["userId"] == user.uuid
    assert body["redemptionCodeGroup"]["redeemedCodesCount"] == 1
    assert body["courses"] == [{"id": course.uuid, "title": course.title}]

    page = await learning.list_enrollments(tenant.ctx, EnrollmentQuery(user_id=user.id), 0, 5)
    enrollment = page.items[0]
    assert page.total == 1 and enrollment.course_id == course.id and not enrollment.is_free_trial
    assert enrollment.expiry_date is not None and enrollment.activated_at is not None
    assert enrollment.expiry_date - enrollment.activated_at == timedelta(days=10)

    again = await tenant.ti(
        "POST", "/redemptionCodes/redeem", json={"code": code, "userId": other.uuid}
    )
    assert again.status_code == 400
    assert again.json() == {"errors": ["This redemption code has already been redeemed."]}
    unknown = await tenant.ti(
        "POST", "/redemptionCodes/redeem", json={"code": "ZZZZZZ", "userId": user.uuid}
    )
    assert unknown.status_code == 400
    no_user = await tenant.ti(
        "POST",
        "/redemptionCodes/redeem",
        json={"code": group["codes"][1], "userId": "nobody@example.com"},
    )
    assert no_user.status_code == 404

    async with tenant.ctx.db.read() as conn:
        rows = await conn.execute(
            select(events.c.type, events.c.payload).where(
                events.c.site_id == tenant.site.id, events.c.type == "redemption_code.redeemed"
            )
        )
        found = rows.all()
    assert len(found) == 1 and found[0].payload["code"] == code
    got = (await tenant.ti("GET", f"/redemptionCodes/{group['id']}")).json()
    assert got["redeemedCodesCount"] == 1


async def test_a_code_redeemed_concurrently_succeeds_once(tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx)
    users = [await builders.user(tenant.ctx) for _ in range(4)]
    group = (
        await tenant.ti(
            "POST",
            "/redemptionCodes",
            json={"label": "Race", "codeLength": 6, "totalCodesCount": 1, "courses": [course.uuid]},
        )
    ).json()
    code = group["codes"][0]
    responses = await asyncio.gather(
        *(
            tenant.ti("POST", "/redemptionCodes/redeem", json={"code": code, "userId": u.uuid})
            for u in users
        )
    )
    assert sorted(r.status_code for r in responses) == [200, 400, 400, 400]
    assert (await tenant.ti("GET", f"/redemptionCodes/{group['id']}")).json()[
        "redeemedCodesCount"
    ] == 1


async def test_ti_commerce_is_site_scoped(tenant: Tenant, other_tenant: Tenant) -> None:
    await builders.coupon(tenant.ctx, (await builders.promotion(tenant.ctx)).id, code="PRIVATE")
    course = await builders.course(tenant.ctx)
    group = (
        await tenant.ti(
            "POST",
            "/redemptionCodes",
            json={"label": "Mine", "codeLength": 6, "totalCodesCount": 1, "courses": [course.uuid]},
        )
    ).json()
    theirs = unwrap((await other_tenant.ti("GET", "/coupons")).json(), "APICoupons")
    assert theirs["coupons"] == []
    assert (await other_tenant.ti("GET", f"/redemptionCodes/{group['id']}")).status_code == 404
    assert (await other_tenant.ti("GET", "/redemptionCodes")).json()["redemptionCodeGroups"] == []
    stranger = await builders.user(other_tenant.ctx)
    taken = await other_tenant.ti(
        "POST", "/redemptionCodes/redeem", json={"code": group["codes"][0], "userId": stranger.uuid}
    )
    assert taken.status_code == 400


async def test_redemption_access_days_out_of_range_is_400(tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx)
    body = {
        "label": "x",
        "codeLength": 6,
        "totalCodesCount": 1,
        "accessDays": 10**9,
        "courses": [course.uuid],
    }
    response = await tenant.ti("POST", "/redemptionCodes", json=body)
    assert response.status_code == 400
    assert response.json() == {"errors": ["Field 'accessDays' must be between 1 and 36500."]}
