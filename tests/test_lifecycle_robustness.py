"""Malformed input to the sandbox API and the certification endpoints: always the vendor's
envelope and a 4xx, never a 5xx, and nothing written."""

from __future__ import annotations

from typing import Any

from tests import builders
from tests.conftest import Tenant
from tests.sandbox_client import events_of, sb

BODIES: list[Any] = [
    b"",
    b"[]",
    b"null",
    b"{",
    b'"text"',
    {},
    {"user_id": None},
    {"user_id": True},
    {"user_id": "x" * 5000},
    {"user_id": -1},
    {"user_id": 10**30},
    {"user_id": 1.5},
    {"user_id": "00000000-0000-0000-0000-000000000000"},
    {"user_id": [1]},
    {"user_id": {"a": 1}},
    {"score": "high", "passed": "yes"},
    {"seconds": 1e308},
    {"seconds": "60"},
    {"seconds": None},
    {"certificate_valid_days": -3},
    {"certificate_valid_days": 10**20},
    {"template_id": "nope"},
]
IDS = ["abc", "-1", "9" * 40, "1.5", "00000000-0000-0000-0000-00000000000Z", "%20"]


def _send(body: Any) -> dict[str, Any]:
    if isinstance(body, bytes):
        return {"content": body, "headers": {"Content-Type": "application/json"}}
    return {"json": body}


async def test_sandbox_never_fails_on_bad_input(tenant: Tenant) -> None:
    ctx = tenant.ctx
    user = await builders.user(ctx)
    course = await builders.course(ctx, chapters=1, lessons=1)
    from coursegate.domain import catalog

    lesson_id = (await catalog.get_chapter(ctx, course.chapter_ids[0])).lesson_ids[0]
    await builders.enrollment(ctx, user.id, course.id)
    before = await events_of(tenant)
    routes = [
        ("POST", "/lessons/{}/complete"),
        ("POST", "/courses/{}/view"),
        ("POST", "/quizzes/{}/attempt"),
        ("PUT", "/courses/{}/certificate"),
    ]
    for method, template in routes:
        for key in [str(lesson_id), str(course.id), *IDS]:
            for body in BODIES:
                if method == "PUT" and body == {}:
                    continue  # every setting has a default: an empty PUT is valid
                response = await sb(tenant, method, template.format(key), **_send(body))
                assert 400 <= response.status_code < 500, (
                    method,
                    template,
                    key,
                    body,
                    response.text,
                )
                assert isinstance(response.json()["error"], str)
    for body in BODIES:
        response = await sb(tenant, "POST", "/clock/advance", **_send(body))
        assert response.status_code in (400, 422), (body, response.text)
    for params in ({"after": "x"}, {"after": -1}, {"limit": 0}):
        response = await sb(tenant, "GET", "/events", params=params)
        assert response.status_code == 422 and "error" in response.json(), params
    # Above the maximum page the log serves the maximum, as both vendor dialects do.
    huge = await sb(tenant, "GET", "/events", params={"limit": 10**6})
    assert huge.status_code == 200 and isinstance(huge.json()["items"], list)
    assert await events_of(tenant) == before


async def test_certifications_never_fail_on_bad_input(tenant: Tenant) -> None:
    user = await builders.user(tenant.ctx)
    bad_values: list[Any] = [None, True, 1, "", "x" * 3000, [], {}, "2030-13-45"]
    fields = [
        "userId",
        "resourceType",
        "resourceId",
        "expirationDate",
        "issuedAt",
        "recertificationDate",
    ]
    for path in (
        f"/users/{user.uuid}/certify",
        f"/users/{user.uuid}/recertify",
        "/users/certify/bulk",
    ):
        for body in BODIES[:5]:
            response = await tenant.ti("POST", path, **_send(body))
            assert response.status_code == 400, (path, body, response.text)
            assert response.json()["errors"]
        for name in fields:
            for value in bad_values:
                item = {"resourceType": "course", name: value}
                body = {"users": [item]} if path.endswith("bulk") else item
                response = await tenant.ti("POST", path, json=body)
                assert response.status_code in (200, 400, 404, 409), (path, body, response.text)
                if response.status_code != 200:
                    assert response.json()["errors"]
    templates: Any
    for path in (
        "/content/certificate-templates/bulk",
        "/content/certificate-templates/bulk/update",
    ):
        for templates in (
            [],
            [{}],
            [{"title": None}],
            [{"title": 5}],
            [{"supplementalAssets": "x"}],
            [{"id": "x", "expirationDate": "never"}],
            [{"resourceId": "nope"}],
            "all",
        ):
            response = await tenant.ti("POST", path, json={"templates": templates})
            assert response.status_code in (200, 400), (path, templates, response.text)
    assert await events_of(tenant, "certificate.issued") == []
