"""Bundles: the bundle and its courses, and enrollments that fan out to every course."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from coursegate.domain import bundles
from tests import builders
from tests.catalog_support import Checked, event_types
from tests.conftest import Tenant


async def test_bundle_and_its_courses(tenant: Tenant, api: Checked) -> None:
    first = await builders.course(tenant.ctx, title="Basics")
    second = await builders.course(tenant.ctx, title="Advanced")
    bundle = await builders.bundle(
        tenant.ctx,
        [second.id, first.id],
        name="Everything",
        description="<p>All of it</p><script>x()</script>",
        card_image_url="https://cdn.example.com/b.png",
    )

    body = (await api(tenant, "GET", f"/bundles/{bundle.id}")).json()
    assert body["name"] == "Everything" and body["course_ids"] == [second.id, first.id]
    assert body["description"] == "<p>All of it</p>"
    assert body["bundle_card_image_url"] == "https://cdn.example.com/b.png"
    courses = (await api(tenant, "GET", f"/bundles/{bundle.id}/courses")).json()
    assert [c["name"] for c in courses["items"]] == ["Advanced", "Basics"]
    assert courses["meta"]["pagination"]["total_items"] == 2

    product = (await api(tenant, "GET", f"/products/{bundle.product_id}")).json()
    assert product["productable_type"] == "Bundle" and product["productable_id"] == bundle.id
    assert product["card_image_url"] == "https://cdn.example.com/b.png"


async def test_bundle_enrollment_fans_out_to_every_course(tenant: Tenant, api: Checked) -> None:
    a = await builders.course(tenant.ctx)
    b = await builders.course(tenant.ctx)
    outside = await builders.course(tenant.ctx)
    bundle = await builders.bundle(tenant.ctx, [a.id, b.id])
    learner = await builders.user(tenant.ctx)
    await builders.enrollment(tenant.ctx, learner.id, outside.id, activated_at=datetime.now(UTC))

    created = await api(
        tenant,
        "POST",
        f"/bundles/{bundle.id}/enrollments",
        json={"user_id": learner.id, "activated_at": "2026-01-05T10:00:00Z"},
    )
    assert created.status_code == 201 and created.content == b""

    listed = await api(tenant, "GET", f"/bundles/{bundle.id}/enrollments")
    items = listed.json()["items"]
    assert sorted(e["course_id"] for e in items) == sorted([a.id, b.id])
    assert all(e["user_id"] == learner.id and e["is_free_trial"] is False for e in items)
    assert all(e["activated_at"] == "2026-01-05T10:00:00.000Z" for e in items)
    everywhere = (await api(tenant, "GET", f"/enrollments?query[user_id]={learner.id}")).json()
    assert everywhere["meta"]["pagination"]["total_items"] == 3


async def test_bundle_enrollment_widens_but_never_narrows_existing_access(
    tenant: Tenant, api: Checked
) -> None:
    a = await builders.course(tenant.ctx)
    b = await builders.course(tenant.ctx)
    bundle = await builders.bundle(tenant.ctx, [a.id, b.id])
    learner = await builders.user(tenant.ctx)
    soon = datetime.now(UTC) + timedelta(days=10)
    trial = await builders.enrollment(tenant.ctx, learner.id, a.id, expiry_date=soon)
    full = await builders.enrollment(tenant.ctx, learner.id, b.id, activated_at=datetime.now(UTC))

    later = (soon + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = await api(
        tenant,
        "POST",
        f"/bundles/{bundle.id}/enrollments",
        json={"user_id": learner.id, "activated_at": "2026-02-01T00:00:00Z", "expiry_date": later},
    )
    assert response.status_code == 201
    widened = (await api(tenant, "GET", f"/enrollments/{trial.id}")).json()
    assert widened["is_free_trial"] is False and widened["expiry_date"].startswith(later[:19])
    kept = (await api(tenant, "GET", f"/enrollments/{full.id}")).json()
    assert kept["expiry_date"] is None  # no expiry is wider than any date
    assert (await api(tenant, "GET", f"/bundles/{bundle.id}/enrollments")).json()["meta"][
        "pagination"
    ]["total_items"] == 2


async def test_put_applies_dates_to_every_course_and_can_revoke(
    tenant: Tenant, api: Checked
) -> None:
    a = await builders.course(tenant.ctx)
    b = await builders.course(tenant.ctx)
    bundle = await builders.bundle(tenant.ctx, [a.id, b.id])
    learner = await builders.user(tenant.ctx)
    await api(tenant, "POST", f"/bundles/{bundle.id}/enrollments", json={"user_id": learner.id})
    assert all(
        e["is_free_trial"]
        for e in (await api(tenant, "GET", f"/bundles/{bundle.id}/enrollments")).json()["items"]
    )

    past = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    updated = await api(
        tenant,
        "PUT",
        f"/bundles/{bundle.id}/enrollments",
        json={"user_id": learner.id, "activated_at": "2026-01-01T00:00:00Z", "expiry_date": past},
    )
    assert updated.status_code == 204
    expired = await api(tenant, "GET", f"/bundles/{bundle.id}/enrollments?query[expired]=true")
    assert len(expired.json()["items"]) == 2
    assert all(not e["is_free_trial"] for e in expired.json()["items"])
    by_email = await api(
        tenant,
        "GET",
        f"/bundles/{bundle.id}/enrollments?query[email]={learner.email}&query[expired]=false",
    )
    assert by_email.json()["items"] == []


async def test_courses_added_later_reach_existing_bundle_students(
    tenant: Tenant, api: Checked
) -> None:
    a = await builders.course(tenant.ctx)
    late = await builders.course(tenant.ctx)
    bundle = await builders.bundle(tenant.ctx, [a.id])
    learner = await builders.user(tenant.ctx)
    async with tenant.ctx.writing() as u:
        enrolled = await bundles.enroll_in_bundle(
            u, learner.id, bundle.id, activated_at=u.now, expiry_date=None, source="purchase"
        )
    assert [e.course_id for e in enrolled] == [a.id]
    await bundles.add_course_to_bundle(tenant.ctx, bundle.id, late.id)
    body = (
        await api(tenant, "GET", f"/bundles/{bundle.id}/enrollments?query[user_id]={learner.id}")
    ).json()
    assert sorted(e["course_id"] for e in body["items"]) == sorted([a.id, late.id])
    assert (await api(tenant, "GET", f"/bundles/{bundle.id}")).json()["course_ids"] == [
        a.id,
        late.id,
    ]


async def test_bundle_errors(tenant: Tenant, other_tenant: Tenant, api: Checked) -> None:
    course = await builders.course(tenant.ctx)
    bundle = await builders.bundle(tenant.ctx, [course.id])
    theirs = await builders.bundle(other_tenant.ctx, [])
    learner = await builders.user(tenant.ctx)

    blank = await api(tenant, "POST", f"/bundles/{bundle.id}/enrollments", json={})
    assert blank.status_code == 422 and blank.json() == {"errors": {"user_id": ["can't be blank"]}}
    unknown_user = await api(
        tenant, "POST", f"/bundles/{bundle.id}/enrollments", json={"user_id": 99999}
    )
    assert unknown_user.status_code == 422
    assert unknown_user.json() == {"errors": {"user_id": ["User could not be found."]}}
    not_enrolled = await api(
        tenant, "PUT", f"/bundles/{bundle.id}/enrollments", json={"user_id": learner.id}
    )
    assert not_enrolled.status_code == 422

    for path in (f"/bundles/{theirs.id}", f"/bundles/{theirs.id}/courses", "/bundles/x"):
        response = await api(tenant, "GET", path)
        assert response.status_code == 404 and response.json() == {"error": "Record not found."}
    foreign = await api(
        tenant, "POST", f"/bundles/{theirs.id}/enrollments", json={"user_id": learner.id}
    )
    assert foreign.status_code == 422 and "bundle_id" in foreign.json()["errors"]
    listed = await api(tenant, "GET", f"/bundles/{theirs.id}/enrollments")
    assert listed.status_code == 200 and listed.json()["items"] == []
    theirs_after = await bundles.get_bundle(other_tenant.ctx, theirs.id)
    assert theirs_after.course_ids == []


async def test_concurrent_identical_bundle_enrollments(tenant: Tenant, api: Checked) -> None:
    a = await builders.course(tenant.ctx)
    b = await builders.course(tenant.ctx)
    bundle = await builders.bundle(tenant.ctx, [a.id, b.id])
    learner = await builders.user(tenant.ctx)
    body = {"user_id": learner.id, "activated_at": "2026-03-01T00:00:00Z"}
    answers = await asyncio.gather(
        *(api(tenant, "POST", f"/bundles/{bundle.id}/enrollments", json=body) for _ in range(3))
    )
    assert [r.status_code for r in answers] == [201, 201, 201]
    listed = (await api(tenant, "GET", f"/bundles/{bundle.id}/enrollments")).json()
    assert sorted(e["course_id"] for e in listed["items"]) == sorted([a.id, b.id])
    created = [t for t, _ in await event_types(tenant) if t.startswith("bundle_enrollment.")]
    assert created == [
        "bundle_enrollment.created",
        "bundle_enrollment.updated",
        "bundle_enrollment.updated",
    ]
