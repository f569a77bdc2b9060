"""Thinkific Webhooks API v2 (/api/v2/webhooks, /api/v2/events/{id}) and TI POST /webhooks."""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson

from coursegate.events import signing
from coursegate.events.worker import Worker
from coursegate.platform import tenancy
from coursegate.store.database import Database
from tests import builders, webhooks_support
from tests.conftest import Tenant, TestClock, make_tenant
from tests.contract import thinkific_webhooks_contract
from tests.webhook_receiver import Receiver, independent_hmac_hex
from tests.webhooks_support import drain, subscribe, v2

receiver = webhooks_support.receiver
worker = webhooks_support.worker


async def checked(
    tenant: Tenant, shared_dir: Path, method: str, path: str, **kw: object
) -> httpx.Response:
    response = await v2(tenant, method, path, **kw)
    thinkific_webhooks_contract(shared_dir).check(
        method, path, response.status_code, response.content
    )
    return response


async def test_create_read_update_delete(tenant: Tenant, shared_dir: Path) -> None:
    body = {"topic": "order.created", "target_url": "https://hooks.example.com/a"}
    created = await checked(tenant, shared_dir, "POST", "/webhooks", json=body)
    assert created.status_code == 201
    hook = created.json()
    assert hook["topic"] == "order.created" and hook["status"] == "active"
    assert isinstance(hook["id"], str) and hook["id"].isdigit() and len(hook["id"]) == 23
    assert "secret" not in hook and "secret" not in created.text

    got = await checked(tenant, shared_dir, "GET", f"/webhooks/{hook['id']}")
    assert got.json() == hook

    change = {"topic": "enrollment.completed", "target_url": "https://hooks.example.com/b"}
    updated = await checked(tenant, shared_dir, "PUT", f"/webhooks/{hook['id']}", json=change)
    assert updated.status_code == 200
    assert updated.json()["topic"] == "enrollment.completed"
    assert updated.json()["target_url"] == "https://hooks.example.com/b"
    assert updated.json()["id"] == hook["id"]

    deleted = await checked(tenant, shared_dir, "DELETE", f"/webhooks/{hook['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    gone = await checked(tenant, shared_dir, "GET", f"/webhooks/{hook['id']}")
    assert gone.status_code == 404 and gone.json() == {"error": "Record not found."}
    again = await checked(tenant, shared_dir, "DELETE", f"/webhooks/{hook['id']}")
    assert again.status_code == 404


async def test_list_pages_with_v2_meta(tenant: Tenant, shared_dir: Path) -> None:
    for n in range(3):
        await subscribe(tenant, "course.created", f"https://hooks.example.com/{n}")
    first = await checked(tenant, shared_dir, "GET", "/webhooks?limit=2")
    page = first.json()["meta"]["page"]
    assert page == {
        "has_next": True,
        "next_page": "2",
        "page_items": 2,
        "total_items": 3,
        "total_pages": 2,
    }
    second = await checked(tenant, shared_dir, "GET", f"/webhooks?limit=2&next={page['next_page']}")
    assert second.json()["meta"]["page"]["has_next"] is False
    assert second.json()["meta"]["page"]["next_page"] == ""
    urls = [h["target_url"] for h in first.json()["items"] + second.json()["items"]]
    assert urls == [f"https://hooks.example.com/{n}" for n in range(3)]


async def test_hooks_are_private_to_their_site(
    tenant: Tenant, other_tenant: Tenant, shared_dir: Path
) -> None:
    hook = await subscribe(tenant, "course.created", "https://hooks.example.com/x")
    assert (
        await checked(other_tenant, shared_dir, "GET", f"/webhooks/{hook['id']}")
    ).status_code == 404
    listed = await checked(other_tenant, shared_dir, "GET", "/webhooks")
    assert listed.json()["items"] == []


async def test_post_422_uses_string_messages(tenant: Tenant, shared_dir: Path) -> None:
    bad_topic = await checked(
        tenant,
        shared_dir,
        "POST",
        "/webhooks",
        json={"topic": "order.exploded", "target_url": "https://x.example.com"},
    )
    assert bad_topic.status_code == 422
    assert bad_topic.json() == {"errors": {"topic": "invalid format"}}
    bad_url = await checked(
        tenant,
        shared_dir,
        "POST",
        "/webhooks",
        json={"topic": "order.created", "target_url": "not a url"},
    )
    assert bad_url.status_code == 422 and bad_url.json() == {"errors": {"url": "is not valid"}}
    assert (await checked(tenant, shared_dir, "GET", "/webhooks")).json()["items"] == []


async def test_put_422_uses_message_arrays(tenant: Tenant, shared_dir: Path) -> None:
    hook = await subscribe(tenant, "order.created", "https://hooks.example.com/a")
    response = await checked(
        tenant,
        shared_dir,
        "PUT",
        f"/webhooks/{hook['id']}",
        json={"topic": "nope", "target_url": "https://hooks.example.com/a"},
    )
    assert response.status_code == 422 and response.json() == {
        "errors": {"topic": ["invalid format"]}
    }
    unchanged = await checked(tenant, shared_dir, "GET", f"/webhooks/{hook['id']}")
    assert unchanged.json()["topic"] == "order.created"


async def test_live_sites_need_https_and_public_targets(
    db: Database, clock: TestClock, http: httpx.AsyncClient, shared_dir: Path
) -> None:
    live = await make_tenant(db, clock, http, sandbox=False)
    for url in (
        "http://hooks.example.com/a",
        "https://127.0.0.1/a",
        "https://10.1.2.3/a",
        "https://[::1]/a",
        "https://localhost/a",
        "https://169.254.169.254/latest",
    ):
        response = await checked(
            live,
            shared_dir,
            "POST",
            "/webhooks",
            json={"topic": "order.created", "target_url": url},
        )
        assert response.status_code == 422, url
        assert response.json()["errors"]["url"].startswith("is not valid"), url
    ok = await checked(
        live,
        shared_dir,
        "POST",
        "/webhooks",
        json={"topic": "order.created", "target_url": "https://hooks.example.com/a"},
    )
    assert ok.status_code == 201


async def test_sandbox_sites_may_use_loopback_http(tenant: Tenant, shared_dir: Path) -> None:
    response = await checked(
        tenant,
        shared_dir,
        "POST",
        "/webhooks",
        json={"topic": "order.created", "target_url": "http://127.0.0.1:9/x"},
    )
    assert response.status_code == 201
    private = await checked(
        tenant,
        shared_dir,
        "POST",
        "/webhooks",
        json={"topic": "order.created", "target_url": "http://192.168.1.5/x"},
    )
    assert private.status_code == 422


async def test_event_by_id_matches_the_delivered_envelope(
    tenant: Tenant, shared_dir: Path, receiver: Receiver, worker: Worker
) -> None:
    await subscribe(tenant, "course.created", receiver.url)
    course = await builders.course(tenant.ctx)
    await drain(worker)
    [delivery] = receiver.requests
    envelope = orjson.loads(delivery.body)
    assert envelope["resource"] == "course" and envelope["action"] == "created"
    assert envelope["tenant_id"] == str(tenant.site.id)
    assert envelope["payload"]["id"] == course.id and envelope["payload"]["name"] == course.title
    event = await checked(tenant, shared_dir, "GET", f"/events/{envelope['id']}")
    assert event.status_code == 200
    expected = {k: v for k, v in envelope.items() if k != "tenant_id"}
    assert event.json() == expected


async def test_event_lookup_misses(
    tenant: Tenant, other_tenant: Tenant, shared_dir: Path, receiver: Receiver, worker: Worker
) -> None:
    await subscribe(tenant, "course.created", receiver.url)
    await builders.course(tenant.ctx)
    await drain(worker)
    event_id = orjson.loads(receiver.requests[0].body)["id"]
    for who, path in (
        (other_tenant, f"/events/{event_id}"),
        (tenant, "/events/123"),
        (tenant, f"/events/1999{event_id[4:]}"),
        (tenant, "/events/abc"),
    ):
        response = await checked(who, shared_dir, "GET", path)
        assert response.status_code == 404 and response.json() == {"error": "Record not found."}


async def test_v2_requires_thinkific_credentials(tenant: Tenant, shared_dir: Path) -> None:
    response = await tenant.http.get("/api/v2/webhooks")
    assert response.status_code == 401
    bearer = await tenant.http.get(
        "/api/v2/webhooks", headers={"Authorization": f"Bearer {tenant.key}"}
    )
    assert bearer.status_code == 200
    doc = await tenant.http.get("/api/v2/openapi.json")
    assert doc.status_code == 200 and "/webhooks/{id}" in doc.json()["paths"]


async def test_signing_key_is_derived_from_the_creating_key(
    db: Database, clock: TestClock, tenant: Tenant, receiver: Receiver, worker: Worker
) -> None:
    await subscribe(tenant, "user.signup", receiver.url)
    await builders.user(tenant.ctx)
    await drain(worker)
    [request] = receiver.requests
    expected_key = signing.thinkific_signing_key(tenant.key)
    assert request.headers["x-thinkific-hmac-sha256"] == independent_hmac_hex(
        expected_key, request.body
    )
    # A second key of the same site signs its own hooks differently.
    other_key = await tenancy.create_key(db, clock, tenant.site.subdomain, "second")
    assert signing.thinkific_signing_key(other_key) != expected_key


async def test_ti_webhook_registration(tenant: Tenant) -> None:
    body = {
        "url": "https://hooks.example.com/ti",
        "events": ["courseCompletion", "courseAction"],
        "secret": "whsec_0123456789",
        "active": True,
    }
    response = await tenant.ti("POST", "/webhooks", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert (
        created["url"] == body["url"] and created["events"] == body["events"] and created["active"]
    )
    assert "secret" not in created and "whsec_" not in response.text
    bad = await tenant.ti("POST", "/webhooks", json={**body, "events": ["nope"]})
    assert bad.status_code == 400 and "events" in bad.json()["errors"][0]
    no_secret = await tenant.ti("POST", "/webhooks", json={**body, "secret": ""})
    assert no_secret.status_code == 400 and "secret" in no_secret.json()["errors"][0]
    bad_url = await tenant.ti("POST", "/webhooks", json={**body, "url": "ftp://x"})
    assert bad_url.status_code == 400 and "url" in bad_url.json()["errors"][0]


async def test_out_of_range_ids_are_not_found(tenant: Tenant, shared_dir: Path) -> None:
    huge = "20260101000000" + "9" * 20
    for method, path in (
        ("GET", f"/events/{huge}"),
        ("GET", f"/webhooks/{huge}"),
        ("DELETE", f"/webhooks/{huge}"),
        ("GET", f"/events/{'1' * 41}"),
    ):
        response = await checked(tenant, shared_dir, method, path)
        assert response.status_code == 404, path


async def test_forged_feed_cursor_is_refused(tenant: Tenant) -> None:
    import base64

    for key in (
        b'{"t": "2026-01-01T00:00:00+00:00", "s": 100000000000000000000}',
        b'{"t": "2026-01-01T00:00:00+00:00", "s": true}',
        b'{"t": "x", "s": 1}',
        b'{"t": 1}',
    ):
        raw = base64.urlsafe_b64encode(key).rstrip(b"=").decode()
        response = await tenant.ti("GET", "/events/registration", params={"cursor": raw})
        assert response.status_code == 400 and "cursor" in response.json()["errors"][0], key
