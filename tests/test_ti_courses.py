"""Thought Industries course creation exactly as the "Creating Courses via API" guide shows it."""

from __future__ import annotations

from tests import builders
from tests.conftest import Tenant

FULL_EXAMPLE = {
    "title": "Advanced Integration Patterns",
    "courseType": "course",
    "slug": "advanced-integration-patterns",
    "description": "<p>Learn how to build robust, production-grade integrations with the Thought Industries platform.</p>",
    "publishedStatus": "draft",
    "authors": ["Jane Doe", "John Smith"],
    "tags": ["integration", "advanced", "api"],
    "externalId": "EXT-COURSE-042",
    "isFree": False,
    "customFields": {"difficulty": "advanced", "estimatedHours": 4},
}


async def _with_fields(tenant: Tenant) -> None:
    await builders.custom_field(tenant.ctx, "difficulty")
    await builders.custom_field(tenant.ctx, "estimatedHours")


async def test_minimal_creation_gives_a_draft_with_a_generated_slug(tenant: Tenant) -> None:
    response = await tenant.ti(
        "POST", "/courses", json={"title": "Introduction to Platform APIs", "courseType": "course"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "introduction-to-platform-apis"
    assert body["publishedStatus"] == "draft" and body["isFree"] is False
    assert (
        len(body["id"]) == 36
        and body["createdAt"].endswith("Z")
        and body["createdAt"] == body["updatedAt"]
    )


async def test_full_example_round_trips_every_field(tenant: Tenant) -> None:
    await _with_fields(tenant)
    response = await tenant.ti("POST", "/courses", json=FULL_EXAMPLE)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {*FULL_EXAMPLE, "id", "createdAt", "updatedAt", "source"}
    for name, value in FULL_EXAMPLE.items():
        assert body[name] == value, name
    fetched = await tenant.ti("GET", f"/courses/{body['id']}")
    assert fetched.json() == body


async def test_documented_error_bodies(tenant: Tenant) -> None:
    missing = await tenant.ti("POST", "/courses", json={"courseType": "course"})
    assert missing.status_code == 400
    assert missing.json() == {
        "error": "Validation Error",
        "message": "Field 'title' is required.",
        "code": "MISSING_REQUIRED_FIELD",
        "statusCode": 400,
    }
    blank = await tenant.ti("POST", "/courses", json={"title": "   ", "courseType": "course"})
    assert blank.json()["code"] == "MISSING_REQUIRED_FIELD"
    no_type = await tenant.ti("POST", "/courses", json={"title": "X"})
    assert no_type.json()["message"] == "Field 'courseType' is required."
    quiz = await tenant.ti("POST", "/courses", json={"title": "Quiz course", "courseType": "quiz"})
    assert quiz.status_code == 400
    assert quiz.json() == {
        "error": "Validation Error",
        "message": "Invalid courseType 'quiz'. Accepted values: course, learning_path, webinar, video, article, scorm, xapi.",
        "code": "INVALID_FIELD_VALUE",
        "statusCode": 400,
    }
    await tenant.ti("POST", "/courses", json=FULL_EXAMPLE)
    dup = await tenant.ti(
        "POST", "/courses", json={**FULL_EXAMPLE, "title": "Another title", "externalId": None}
    )
    assert dup.status_code == 422
    assert dup.json() == {
        "error": "Validation Error",
        "message": "A course with slug 'advanced-integration-patterns' already exists.",
        "code": "DUPLICATE_SLUG",
        "statusCode": 422,
    }
    ext = await tenant.ti(
        "POST",
        "/courses",
        json={"title": "Third", "courseType": "course", "externalId": "EXT-COURSE-042"},
    )
    assert ext.status_code == 422 and ext.json()["code"] == "DUPLICATE_EXTERNAL_ID"
    title = await tenant.ti(
        "POST", "/courses", json={"title": FULL_EXAMPLE["title"], "courseType": "video"}
    )
    assert title.status_code == 422 and title.json()["code"] == "DUPLICATE_TITLE"
    too_long = await tenant.ti(
        "POST", "/courses", json={"title": "x" * 256, "courseType": "course"}
    )
    assert too_long.status_code == 400 and too_long.json()["code"] == "INVALID_FIELD_VALUE"
    assert "'title'" in too_long.json()["message"]
    wrong_type = await tenant.ti(
        "POST", "/courses", json={"title": "T", "courseType": "course", "tags": "a,b"}
    )
    assert wrong_type.status_code == 400
    assert (
        wrong_type.json()["message"] == "Field 'tags' must be an array."
        and wrong_type.json()["code"] == "INVALID_FIELD_VALUE"
    )
    bad_slug = await tenant.ti(
        "POST", "/courses", json={"title": "T2", "courseType": "course", "slug": "Not A Slug"}
    )
    assert bad_slug.status_code == 400 and "'slug'" in bad_slug.json()["message"]
    not_json = await tenant.ti(
        "POST", "/courses", content=b"{", headers={"Content-Type": "application/json"}
    )
    # Unparseable bodies are refused at the door, in the general envelope.
    assert not_json.status_code == 400
    assert not_json.json() == {"errors": ["Request body is not valid JSON."]}


async def test_rules_slugs_html_tags_custom_fields(tenant: Tenant) -> None:
    await _with_fields(tenant)
    first = (
        await tenant.ti("POST", "/courses", json={"title": "Data Skills!", "courseType": "course"})
    ).json()
    assert first["slug"] == "data-skills"
    second = (
        await tenant.ti("POST", "/courses", json={"title": "Data  Skills", "courseType": "article"})
    ).json()
    assert second["slug"] == "data-skills-2"
    body = {
        "title": "Safe HTML",
        "courseType": "course",
        "description": '<p onclick="x()">Hi <strong>there</strong><script>alert(1)</script></p><a href="https://e.x">l</a>',
        "tags": ["  API ", "api", "Integration", ""],
        "customFields": {"difficulty": "easy", "unknownKey": "dropped"},
    }
    created = (await tenant.ti("POST", "/courses", json=body)).json()
    assert "<script" not in created["description"] and "alert(1)" not in created["description"]
    assert (
        "onclick" not in created["description"]
        and "<strong>there</strong>" in created["description"]
    )
    assert created["tags"] == ["API", "Integration"]
    assert created["customFields"] == {"difficulty": "easy"}
    again = (
        await tenant.ti(
            "POST", "/courses", json={"title": "Tagged", "courseType": "course", "tags": ["api"]}
        )
    ).json()
    assert again["tags"] == ["API"], "tags are case-insensitive: the existing tag is reused"


async def test_put_updates_only_the_fields_sent(tenant: Tenant) -> None:
    await _with_fields(tenant)
    created = (await tenant.ti("POST", "/courses", json=FULL_EXAMPLE)).json()
    response = await tenant.ti(
        "PUT",
        f"/courses/{created['id']}",
        json={
            "publishedStatus": "published",
            "tags": ["integration", "advanced", "api", "featured"],
        },
    )
    assert response.status_code == 200
    updated = response.json()
    assert updated["publishedStatus"] == "published"
    assert updated["tags"] == ["integration", "advanced", "api", "featured"]
    assert (
        updated["title"] == created["title"] and updated["customFields"] == created["customFields"]
    )
    assert updated["updatedAt"] >= created["updatedAt"]
    bad = await tenant.ti("PUT", f"/courses/{created['id']}", json={"publishedStatus": "live"})
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_FIELD_VALUE"
    missing = await tenant.ti(
        "PUT", "/courses/00000000-0000-0000-0000-000000000000", json={"title": "x"}
    )
    assert missing.status_code == 404 and missing.json()["code"] == "NOT_FOUND"
    by_external = await tenant.ti(
        "PUT", "/courses/EXT-COURSE-042", json={"source": "partner-content"}
    )
    assert by_external.status_code == 200 and by_external.json()["source"] == "partner-content"
    other = (
        await tenant.ti("POST", "/courses", json={"title": "Other", "courseType": "course"})
    ).json()
    clash = await tenant.ti("PUT", f"/courses/{other['id']}", json={"slug": created["slug"]})
    assert clash.status_code == 422 and clash.json()["code"] == "DUPLICATE_SLUG"
