"""Auth, tenancy, rate limits, body limits and unknown routes, in both dialects."""

from __future__ import annotations

import httpx

from coursegate.platform import tenancy
from tests import builders
from tests.conftest import Tenant, make_tenant


async def test_thinkific_requires_key_and_matching_subdomain(tenant: Tenant, other_tenant: Tenant) -> None:
    ok = await tenant.tk("GET", "/courses")
    assert ok.status_code == 200
    bearer = await tenant.http.get("/api/public/v1/courses", headers={"Authorization": f"Bearer {tenant.key}"})
    assert bearer.status_code == 200
    for headers in (
        {},
        {"X-Auth-API-Key": tenant.key},  # subdomain header missing
        {"X-Auth-API-Key": tenant.key, "X-Auth-Subdomain": other_tenant.site.subdomain},
        {"X-Auth-API-Key": tenant.key + "x", "X-Auth-Subdomain": tenant.site.subdomain},
        {"X-Auth-API-Key": "nonsense", "X-Auth-Subdomain": tenant.site.subdomain},
        {"Authorization": "Basic abc"},
    ):
        response = await tenant.http.get("/api/public/v1/courses", headers=headers)
        assert response.status_code == 401, headers
        assert response.json() == {"error": "Authentication Error"}


async def test_thought_industries_401_has_empty_body(tenant: Tenant) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Token {tenant.key}"}):
        response = await tenant.http.get("/incoming/v2/ping", headers=headers)
        assert response.status_code == 401
        assert response.content == b""
    ping = await tenant.ti("GET", "/ping")
    assert ping.status_code == 200 and ping.json() == {"valid": True}


async def test_revoked_key_is_refused_on_next_request(tenant: Tenant, db, clock) -> None:  # type: ignore[no-untyped-def]
    assert (await tenant.ti("GET", "/ping")).status_code == 200
    key_id = tenant.key.split("_")[2]
    await tenancy.revoke_key(db, clock, tenant.site.subdomain, key_id)
    assert (await tenant.ti("GET", "/ping")).status_code == 401
    assert (await tenant.tk("GET", "/courses")).status_code == 401


async def test_key_use_is_recorded_and_key_stored_only_as_hash(tenant: Tenant, db) -> None:  # type: ignore[no-untyped-def]
    await tenant.ti("GET", "/ping")
    keys = await tenancy.list_keys(db, tenant.site.subdomain)
    assert keys[0].last_used_at is not None
    from sqlalchemy import select  # noqa: PLC0415

    from coursegate.store.tables.platform import api_keys  # noqa: PLC0415

    async with db.read() as conn:
        rows = (await conn.execute(select(api_keys))).all()
    secret = tenant.key.split("_")[3]
    assert all(secret not in str(tuple(r)) for r in rows)


async def test_cross_site_key_never_sees_other_sites_data(tenant: Tenant, other_tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx, chapters=1, lessons=1)
    user = await builders.user(tenant.ctx)
    enrollment = await builders.enrollment(tenant.ctx, user.id, course.id)
    chapter_id = course.chapter_ids[0]
    for path in (f"/courses/{course.id}", f"/users/{user.id}", f"/enrollments/{enrollment.id}",
                 f"/chapters/{chapter_id}", f"/courses/{course.id}/chapters"):  # fmt: skip
        response = await other_tenant.tk("GET", path)
        assert response.status_code == 404, path
        assert response.json() == {"error": "Record not found."}
    listed = await other_tenant.tk("GET", "/users", params={"query[email]": user.email})
    assert listed.json()["items"] == []
    for path in (f"/courses/{course.uuid}", f"/users/{user.uuid}", f"/users/{user.email}"):
        response = await other_tenant.ti("GET", path)
        assert response.status_code == 404, path
        assert user.email not in response.text and course.title not in response.text
    content = await other_tenant.ti("GET", "/content", params={"types": "courseGroup"})
    assert content.json()["data"]["APIContentSearch"]["contentItems"] == []


async def test_rate_limit_headers_and_429_in_each_vendor_shape(db, clock, http: httpx.AsyncClient) -> None:  # type: ignore[no-untyped-def]
    limited = await make_tenant(db, clock, http, rate_limits=True)
    clock.pinned = clock.now()  # one fixed window for the whole test, however slow the machine
    first = await limited.tk("GET", "/courses")
    assert first.headers["RateLimit-Limit"] == "120"
    assert int(first.headers["RateLimit-Remaining"]) == 119
    assert int(first.headers["RateLimit-Reset"]) > 1_700_000_000
    for _ in range(119):
        await limited.tk("GET", "/courses")
    refused = await limited.tk("GET", "/courses")
    assert refused.status_code == 429
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert "error" in refused.json()

    ti_first = await limited.ti("GET", "/ping")
    assert ti_first.headers["X-RateLimit-Limit"] == "100"
    for _ in range(99):
        await limited.ti("GET", "/ping")
    ti_refused = await limited.ti("GET", "/ping")
    assert ti_refused.status_code == 429
    assert int(ti_refused.headers["Retry-After"]) >= 1
    body = ti_refused.json()
    assert body["error"] == "rate_limit_exceeded" and body["retryAfter"] >= 1
    assert ti_refused.headers["X-RateLimit-Remaining"] == "0"


async def test_rate_limits_can_be_switched_off_per_site(tenant: Tenant) -> None:
    response = await tenant.tk("GET", "/courses")
    assert "RateLimit-Limit" not in response.headers


async def test_unknown_routes_and_methods_get_vendor_envelopes(tenant: Tenant) -> None:
    missing = await tenant.tk("GET", "/no-such-thing")
    assert missing.status_code == 404 and missing.json() == {"error": "Record not found."}
    wrong = await tenant.tk("DELETE", "/courses")
    assert wrong.status_code == 405 and wrong.json() == {"error": "Method not allowed."}
    assert "GET" in wrong.headers["Allow"]
    ti_missing = await tenant.ti("GET", "/no-such-thing")
    assert ti_missing.status_code == 404 and ti_missing.json() == {"errors": ["Not found."]}
    ti_wrong = await tenant.ti("DELETE", "/ping")
    assert ti_wrong.status_code == 405 and ti_wrong.json() == {"errors": ["Method not allowed."]}


async def test_oversized_and_malformed_bodies(tenant: Tenant) -> None:
    huge = b'{"first_name": "' + b"a" * 2_000_000 + b'"}'
    response = await tenant.tk("POST", "/users", content=huge, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and "error" in response.json()
    response = await tenant.ti("POST", "/courses", content=huge, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["errors"]

    broken = await tenant.tk("POST", "/users", content=b"{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json() == {"error": "Request body is not valid JSON."}
    ti_broken = await tenant.ti("POST", "/users", content=b"{not json", headers={"Content-Type": "application/json"})
    assert ti_broken.status_code == 400 and ti_broken.json() == {"errors": ["Request body is not valid JSON."]}
    not_object = await tenant.tk("POST", "/users", json=[1, 2])
    assert not_object.status_code == 400
    invalid_utf8 = await tenant.tk("POST", "/users", content=b'{"first_name": "\xff"}',
                                   headers={"Content-Type": "application/json"})  # fmt: skip
    assert invalid_utf8.status_code in (400, 422)


async def test_openapi_documents_are_public_and_list_routes(tenant: Tenant) -> None:
    tk = await tenant.http.get("/api/public/v1/openapi.json")
    assert tk.status_code == 200 and "/courses" in tk.json()["paths"]
    ti = await tenant.http.get("/incoming/v2/openapi.json")
    assert ti.status_code == 200 and "/content" in ti.json()["paths"]
    docs = await tenant.http.get("/docs")
    assert docs.status_code == 200 and "/incoming/v2/openapi.json" in docs.text
