"""Thought Industries certifications and certificate templates, and certificates earned by
completing a course."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests import builders
from tests.conftest import Tenant
from tests.sandbox_client import events_of, sb


def data(response: Any, operation: str) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["data"][operation]


async def test_certify_then_recertify_replaces_the_certificate(tenant: Tenant) -> None:
    ctx = tenant.ctx
    user = await builders.user(ctx)
    course = await builders.course(ctx)
    body = {
        "userId": user.uuid,
        "resourceType": "course",
        "resourceId": course.uuid,
        "expirationDate": "2099-01-01T00:00:00Z",
        "recertificationDate": "2098-06-01",
    }
    first = data(
        await tenant.ti("POST", f"/users/{user.uuid}/certify", json=body), "APICertifyUser"
    )
    assert first["resource"] == course.uuid and first["resourceType"] == "course"
    assert first["expirationDate"] == "2099-01-01T00:00:00.000Z"
    assert first["recertificationDate"] == "2098-06-01T00:00:00.000Z"
    assert first["certificateTemplate"] is None

    again = await tenant.ti("POST", f"/users/{user.email}/certify", json=body)
    assert again.status_code == 409
    assert "recertify" in again.json()["errors"][0]

    recertified = await tenant.ti(
        "POST",
        f"/users/{user.uuid}/recertify",
        json={"userId": user.uuid, "resourceType": "course", "resourceId": course.uuid},
    )
    assert recertified.status_code == 200 and recertified.json() == {
        "data": {"APIRecertifyUser": True}
    }

    shown = data(await tenant.ti("GET", f"/users/{user.uuid}"), "UserById")
    assert shown["purchasedCourses"] == []  # certified without an enrollment: no course access
    issued = await events_of(tenant, "certificate.issued")
    assert len(issued) == 2
    assert issued[1]["payload"]["replaces"]["uuid"] == first["id"]
    assert issued[1]["payload"]["source"] == "recertification"
    assert issued[1]["subject_uuid"] != first["id"]


async def test_certify_validation(tenant: Tenant) -> None:
    ctx = tenant.ctx
    user = await builders.user(ctx)
    other = await builders.user(ctx)
    course = await builders.course(ctx)
    path = f"/users/{user.uuid}/certify"
    cases = [
        ({"resourceId": course.uuid}, "resourceType"),
        ({"resourceType": "course"}, "resourceId"),
        ({"resourceType": "bundle", "resourceId": course.uuid}, "resourceType"),
        (
            {"resourceType": "course", "resourceId": "00000000-0000-0000-0000-000000000000"},
            "resourceId",
        ),
        (
            {"resourceType": "course", "resourceId": course.uuid, "expirationDate": "soon"},
            "expirationDate",
        ),
        (
            {
                "resourceType": "course",
                "resourceId": course.uuid,
                "issuedAt": "2030-01-01",
                "expirationDate": "2029-01-01",
            },
            "expirationDate",
        ),
        ({"userId": other.uuid, "resourceType": "course", "resourceId": course.uuid}, "userId"),
    ]
    for body, field in cases:
        response = await tenant.ti("POST", path, json=body)
        assert response.status_code == 400, (body, response.text)
        assert field in " ".join(response.json()["errors"]), (body, response.json())
    missing = await tenant.ti(
        "POST",
        "/users/00000000-0000-0000-0000-000000000000/certify",
        json={"resourceType": "course", "resourceId": course.uuid},
    )
    assert missing.status_code == 404
    not_held = await tenant.ti(
        "POST",
        f"/users/{user.uuid}/recertify",
        json={"resourceType": "course", "resourceId": course.uuid},
    )
    assert not_held.status_code == 404
    assert await events_of(tenant, "certificate.issued") == []


async def test_bulk_certify_grants_valid_records_and_reports_the_rest(tenant: Tenant) -> None:
    ctx = tenant.ctx
    alice = await builders.user(ctx, external_customer_id="ext-alice")
    bob = await builders.user(ctx)
    course = await builders.course(ctx)
    users = [
        {"userId": alice.uuid, "resourceType": "course", "resourceId": course.uuid},
        {"email": bob.email, "resourceType": "course", "resourceId": course.uuid},
        {"externalCustomerId": "ext-alice", "resourceType": "course", "resourceId": course.uuid},
        {"email": "nobody@example.com", "resourceType": "course", "resourceId": course.uuid},
        {
            "userId": bob.uuid,
            "resourceType": "course",
            "resourceId": course.uuid,
            "issuedAt": "yesterday",
        },
    ]
    result = data(
        await tenant.ti("POST", "/users/certify/bulk", json={"users": users}), "APIBulkCertifyUsers"
    )
    assert result["grantedCount"] == 2
    errors = result["errors"]
    assert [(e["externalCustomerId"], e["email"], e["userId"]) for e in errors] == [
        ("ext-alice", None, None),
        (None, "nobody@example.com", None),
        (None, None, bob.uuid),
    ]
    assert "recertify" in errors[0]["error"]
    assert "userId" in errors[1]["error"]
    assert "issuedAt" in errors[2]["error"]
    assert all(e["resourceId"] == course.uuid and e["record"].startswith("{") for e in errors)
    assert len(await events_of(tenant, "certificate.issued")) == 2

    too_many = await tenant.ti("POST", "/users/certify/bulk", json={"users": [users[0]] * 101})
    assert too_many.status_code == 400 and "users" in too_many.json()["errors"][0]
    not_a_list = await tenant.ti("POST", "/users/certify/bulk", json={"users": "alice"})
    assert not_a_list.status_code == 400


async def test_templates_bulk_create_and_update_and_their_use_on_completion(tenant: Tenant) -> None:
    ctx = tenant.ctx
    course = await builders.course(ctx)
    created = data(
        await tenant.ti(
            "POST",
            "/content/certificate-templates/bulk",
            json={
                "templates": [
                    {
                        "title": "Completion",
                        "resourceType": "course",
                        "resourceId": course.uuid,
                        "asset": "https://cdn.example.com/cert.png",
                        "supplementalAssets": ["https://cdn.example.com/s.png"],
                    },
                    {"asset": "https://cdn.example.com/untitled.png"},
                ]
            },
        ),
        "APIBulkCreateCertificateTemplates",
    )
    assert created["createdCount"] == 1 and created["updatedCount"] == 0
    assert len(created["createdIds"]) == 1
    assert [e["error"] for e in created["errors"]] == ["Field 'title' is required."]
    assert created["backgroundJob"]["status"] == "complete"
    assert created["backgroundJob"]["errorMessage"] == "1 templates failed"
    template_id = created["createdIds"][0]

    updated = data(
        await tenant.ti(
            "POST",
            "/content/certificate-templates/bulk/update",
            json={
                "templates": [
                    {"id": template_id, "title": "Certificate of Completion"},
                    {"id": "00000000-0000-0000-0000-000000000000", "title": "Ghost"},
                ]
            },
        ),
        "APIBulkUpdateCertificateTemplates",
    )
    assert (
        updated["updatedCount"] == 1
        and updated["createdCount"] == 0
        and updated["createdIds"] == []
    )
    assert len(updated["errors"]) == 1 and "id" in updated["errors"][0]["error"]

    # The template made for the course is the one its completion certificates use.
    user = await builders.user(ctx)
    chapter = await builders.chapter(ctx, course.id)
    lesson = await builders.lesson(ctx, chapter.id)
    await builders.enrollment(ctx, user.id, course.id, activated_at=datetime.now(UTC))
    done = await sb(tenant, "POST", f"/lessons/{lesson.id}/complete", json={"user_id": user.id})
    assert done.json()["certificate"]["template_id"] == template_id
    renewed = await tenant.ti(
        "POST",
        f"/users/{user.uuid}/recertify",
        json={"resourceType": "course", "resourceId": course.uuid},
    )
    assert renewed.status_code == 200
    issued = await events_of(tenant, "certificate.issued")
    assert [e["payload"]["template"]["title"] for e in issued] == ["Certificate of Completion"] * 2


async def test_course_without_certificate_issues_none_and_validity_sets_expiry(
    tenant: Tenant,
) -> None:
    ctx = tenant.ctx
    quiet = await builders.course(ctx, chapters=1, lessons=1)
    timed = await builders.course(ctx, chapters=1, lessons=1)
    await builders.certificate_rules(ctx, quiet.id, enabled=False)
    settings = await sb(
        tenant,
        "PUT",
        f"/courses/{timed.id}/certificate",
        json={"enabled": True, "certificate_valid_days": 30},
    )
    assert settings.status_code == 200
    assert settings.json() == {
        "course_id": timed.id,
        "enabled": True,
        "certificate_valid_days": 30,
        "template_id": None,
    }
    bad = await sb(
        tenant, "PUT", f"/courses/{timed.id}/certificate", json={"certificate_valid_days": 0}
    )
    assert bad.status_code == 422 and "certificate_valid_days" in bad.json()["error"]

    from coursegate.domain import catalog

    user = await builders.user(ctx)
    results = {}
    for course in (quiet, timed):
        await builders.enrollment(ctx, user.id, course.id, activated_at=datetime.now(UTC))
        lesson_id = (await catalog.get_chapter(ctx, course.chapter_ids[0])).lesson_ids[0]
        done = await sb(tenant, "POST", f"/lessons/{lesson_id}/complete", json={"user_id": user.id})
        results[course.id] = done.json()
    assert results[quiet.id]["enrollment"]["completed"] is True
    assert results[quiet.id]["certificate"] is None
    cert = results[timed.id]["certificate"]
    issued = datetime.fromisoformat(cert["issued_at"].replace("Z", "+00:00"))
    expires = datetime.fromisoformat(cert["expires_at"].replace("Z", "+00:00"))
    assert (expires - issued).days == 30


async def test_completion_criteria_and_last_activity(tenant: Tenant) -> None:
    ctx = tenant.ctx
    course = await builders.course(ctx)
    first = await tenant.ti("GET", f"/courses/{course.uuid}/completionCriteria")
    criteria = data(first, "APICourseCompletionCriteria")
    assert len(criteria) == 1
    assert criteria[0]["course"] == course.uuid
    assert (
        criteria[0]["type"] == "coursePercentViewed" and criteria[0]["coursePercentViewed"] == 100
    )
    again = data(
        await tenant.ti("GET", f"/courses/{course.slug}/completionCriteria"),
        "APICourseCompletionCriteria",
    )
    assert again == criteria
    missing = await tenant.ti(
        "GET", "/courses/00000000-0000-0000-0000-000000000000/completionCriteria"
    )
    assert missing.status_code == 404

    user = await builders.user(ctx)
    shown = data(await tenant.ti("GET", f"/users/{user.uuid}"), "UserById")
    assert shown["lastActiveAt"] is None
    await sb(tenant, "POST", f"/courses/{course.id}/view", json={"user_id": user.id})
    shown = data(await tenant.ti("GET", f"/users/{user.uuid}"), "UserById")
    assert shown["lastActiveAt"] is not None


async def test_openapi_documents_the_certification_endpoints(tenant: Tenant) -> None:
    spec = await tenant.http.get("/incoming/v2/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    for path in (
        "/users/{id}/certify",
        "/users/{id}/recertify",
        "/users/certify/bulk",
        "/content/certificate-templates/bulk",
        "/content/certificate-templates/bulk/update",
        "/courses/{courseId}/completionCriteria",
    ):
        assert "post" in paths[path] or "get" in paths[path], path
