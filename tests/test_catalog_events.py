"""Every catalog and people mutation records its event in the same transaction; a refused
request records nothing."""

from __future__ import annotations

from coursegate.domain import site_scripts
from tests import builders
from tests.catalog_support import Checked, event_types
from tests.conftest import Tenant


async def test_mutations_record_events(tenant: Tenant, api: Checked) -> None:
    course = await builders.course(tenant.ctx)
    learner = await builders.user(tenant.ctx, roles=["group_analyst"])
    admin = await builders.user(tenant.ctx)
    await site_scripts.app_secret(tenant.ctx)
    before = len(await event_types(tenant))

    bundle = await builders.bundle(tenant.ctx, [course.id])
    await builders.price(tenant.ctx, bundle.product_id)
    request = await builders.publish_request(tenant.ctx, bundle.product_id, admin.id)
    await api(
        tenant,
        "POST",
        f"/product_publish_requests/{request.id}/approve",
        json={"user_id": admin.id},
    )
    await api(tenant, "POST", f"/bundles/{bundle.id}/enrollments", json={"user_id": learner.id})
    category = (
        await api(
            tenant, "POST", "/collections", json={"name": "C", "description": "", "slug": "c"}
        )
    ).json()
    await api(
        tenant,
        "POST",
        f"/collection_memberships/{category['id']}",
        json={"product_ids": [bundle.product_id]},
    )
    await api(tenant, "DELETE", f"/collections/{category['id']}")
    teacher = (
        await api(
            tenant, "POST", "/instructors", json={"first_name": "A", "last_name": "B", "slug": "ab"}
        )
    ).json()
    await api(
        tenant,
        "PUT",
        f"/instructors/{teacher['id']}",
        json={"first_name": "A", "last_name": "C", "slug": "ac"},
    )
    await api(tenant, "DELETE", f"/instructors/{teacher['id']}")
    await api(
        tenant,
        "POST",
        f"/course_reviews?course_id={course.id}",
        json={
            "rating": 5,
            "title": "t",
            "review_text": "r",
            "user_id": learner.id,
            "approved": True,
        },
    )
    group = (await api(tenant, "POST", "/groups", json={"name": "G"})).json()
    await api(tenant, "POST", "/group_users", json={"user_id": learner.id, "group_names": ["G"]})
    await api(tenant, "POST", f"/groups/{group['id']}/analysts", json={"user_ids": [learner.id]})
    await api(tenant, "DELETE", f"/groups/{group['id']}/analysts/{learner.id}")
    await api(tenant, "DELETE", f"/groups/{group['id']}")
    script = (
        await api(
            tenant,
            "POST",
            "/site_scripts",
            json={
                "name": "s",
                "description": "d",
                "page_scopes": ["all"],
                "category": "functional",
                "src": "https://cdn.example.com/s.js",
            },
        )
    ).json()
    await api(tenant, "DELETE", f"/site_scripts/{script['id']}")

    recorded = [t for t, _subject in (await event_types(tenant))[before:]]
    expected = [
        "product.created",
        "bundle.created",
        "product.updated",
        "product_publish_request.created",
        "product.updated",
        "product_publish_request.approved",
        "enrollment.trial",
        "bundle_enrollment.created",
        "category.created",
        "category.updated",
        "category.deleted",
        "instructor.created",
        "instructor.updated",
        "instructor.deleted",
        "course_review.created",
        "group.created",
        "group.user_added",
        "group.analyst_added",
        "group.analyst_removed",
        "group.deleted",
        "site_script.created",
        "site_script.deleted",
    ]
    assert recorded == expected


async def test_refused_requests_record_nothing(tenant: Tenant, api: Checked) -> None:
    user = await builders.user(tenant.ctx)
    course = await builders.course(tenant.ctx)
    bundle = await builders.bundle(tenant.ctx, [course.id])
    await builders.group(tenant.ctx, "Known")
    before = await event_types(tenant)
    refused = [
        await api(
            tenant,
            "POST",
            "/group_users",
            json={"user_id": user.id, "group_names": ["Known", "Unknown"]},
        ),
        await api(tenant, "POST", f"/bundles/{bundle.id}/enrollments", json={"user_id": 999999}),
        await api(
            tenant, "POST", "/collections", json={"name": "", "description": "", "slug": "x"}
        ),
        await api(
            tenant,
            "POST",
            "/site_scripts",
            json={
                "name": "n",
                "description": "",
                "page_scopes": ["all"],
                "category": "functional",
                "content": "x",
            },
        ),
    ]
    assert [r.status_code for r in refused] == [422, 422, 422, 422]
    assert await event_types(tenant) == before
