"""Hostile input on every route of this area: never a 5xx, always a JSON error envelope.
Inputs come from a seeded generator, so a failure reproduces exactly."""

from __future__ import annotations

import random
from typing import Any

from tests import builders
from tests.conftest import Tenant

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1e9",
    "99999999999999999999",
    "null",
    "true",
    "abc",
    "%00",
    "../..",
    "00000000-0000-0000-0000-000000000000",
    "é",
    "🙂",
    "a" * 300,
    "[]",
    "{}",
    "'; drop table x;--",
    "courseGroup",
    "microCourse",
    "2.0",
    "de",
]
JSONISH: list[Any] = [None, True, 0, -5, 3.5, "", "x", [], {}, ["a"], [1, 2], {"a": 1}, "a" * 300]


def _value(rng: random.Random) -> Any:
    return rng.choice(JSONISH + NASTY)


def _record(rng: random.Random, keys: list[str]) -> Any:
    if rng.random() < 0.1:
        return _value(rng)
    return {k: _value(rng) for k in rng.sample(keys, rng.randint(0, len(keys)))}


async def test_no_input_makes_this_area_fail(tenant: Tenant) -> None:
    rng = random.Random(20261125)
    course = await builders.course(tenant.ctx, chapters=1, lessons=1)
    ids = [course.uuid, str(course.id), course.slug, *NASTY[:8]]
    gets = [
        "/courses/{}/structure",
        "/courses/{}/sections",
        "/courses/{}/lessons",
        "/sections/{}/lessons",
        "/lessons/{}",
        "/topics/lesson/{}",
        "/topics/course/{}",
        "/topics/{}",
        "/courses/{}/completionCriteria",
        "/courseGroups/{}",
        "/courseGroups/slug/{}",
        "/courseGroups/{}/courses",
        "/jobs/{}",
        "/content/course/{}.xlf",
        "/content/{}/x.xlf",
    ]
    params = [
        "page",
        "perPage",
        "cursor",
        "kind",
        "archived",
        "isTemplate",
        "activeOnly",
        "courseType",
        "publishedStatus",
        "externalId",
        "version",
        "language",
    ]
    for _ in range(120):
        path = rng.choice([*gets, "/courses", "/courseGroups"]).format(rng.choice(ids))
        query = {p: rng.choice(NASTY) for p in rng.sample(params, rng.randint(0, 4))}
        response = await tenant.ti("GET", path, params=query)
        assert response.status_code < 500, (path, query, response.text)
        if response.status_code >= 400 and response.content:
            assert isinstance(response.json(), dict), (path, query)

    posts = {
        "/courses/bulk": (
            "courseAttributes",
            ["title", "courseType", "kind", "slug", "tags", "isFree"],
        ),
        "/users/bulk": ("users", ["email", "firstName", "lastName", "externalId"]),
        "/enrollments/bulk": ("enrollments", ["userId", "courseId", "source"]),
    }
    for _ in range(60):
        path, (key, fields) = rng.choice(list(posts.items()))
        body: Any = {
            key: [_record(rng, fields) for _ in range(rng.randint(0, 4))],
            "options": _value(rng),
        }
        if rng.random() < 0.15:
            body = _value(rng)
        response = await tenant.ti("POST", path, json=body)
        assert response.status_code < 500, (path, body, response.text)

    writes = [
        ("POST", f"/courses/{course.uuid}/sections", ["title", "description"]),
        ("POST", f"/sections/{rng.choice(ids)}/lessons", ["title", "accessLevel"]),
        ("PUT", f"/courses/{course.uuid}/completionCriteria", ["completionCriteria"]),
        ("PUT", f"/users/{rng.choice(ids)}/updateStatus", ["status"]),
        (
            "POST",
            f"/users/{rng.choice(ids)}/resetProgress",
            ["slug", "revokeAccess", "userId"],
        ),
    ]
    for _ in range(60):
        method, path, fields = rng.choice(writes)
        body = _record(rng, fields)
        if isinstance(body, dict) and "completionCriteria" in body and rng.random() < 0.7:
            body["completionCriteria"] = [
                _record(rng, ["type", "coursePercentViewed", "courseTopicViewed"])
            ]
        response = await tenant.ti(method, path, json=body)
        assert response.status_code < 500, (method, path, body, response.text)

    for _ in range(40):
        blob = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200)))
        if rng.random() < 0.5:
            blob = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">' + blob
        response = await tenant.ti("PUT", f"/content/course/{course.uuid}.xlf", content=blob)
        assert response.status_code < 500, (blob, response.text)
        assert response.status_code == 400


async def test_openapi_lists_this_areas_routes(tenant: Tenant) -> None:
    paths = (await tenant.http.get("/incoming/v2/openapi.json")).json()["paths"]
    for path in (
        "/courses",
        "/courses/bulk",
        "/courses/{courseId}/structure",
        "/courses/{courseId}/sections",
        "/courses/{courseId}/lessons",
        "/sections/{sectionId}/lessons",
        "/lessons/{id}",
        "/lessons/{lessonId}/topics",
        "/topics/lesson/{lessonId}",
        "/topics/course/{courseId}",
        "/topics/{id}",
        "/courses/{courseId}/completionCriteria",
        "/courseGroups",
        "/courseGroups/{id}",
        "/courseGroups/slug/{slug}",
        "/courseGroups/{id}/courses",
        "/content/{type}/{id}.xlf",
        "/users/{id}/updateStatus",
        "/users/{id}/resetProgress",
        "/users/bulk",
        "/enrollments/bulk",
        "/jobs/{id}",
    ):
        assert path in paths, path
