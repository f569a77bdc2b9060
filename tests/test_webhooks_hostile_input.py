"""Hostile input to the webhook endpoints never yields a 5xx nor a stored subscription."""

from __future__ import annotations

from typing import Any

from tests.conftest import Tenant
from tests.webhooks_support import v2

BODIES: list[Any] = [
    [],
    "x",
    None,
    {"topic": 5, "target_url": []},
    {"topic": ["order.created"], "target_url": "https://a.example.com"},
    {"topic": "order.created", "target_url": "https://[::1"},
    {"topic": "order.created", "target_url": "https://exa mple.com/x"},
    {"topic": "order.created", "target_url": "https://a\u0000b.example.com/x"},
    {"topic": "order.created\u0000", "target_url": "https://a.example.com/x"},
    {"topic": "order.created", "target_url": "https://a.example.com:99999/x"},
    {"topic": "order.created", "target_url": "https://user:pw@a.example.com/x"},
    {"topic": "order.created", "target_url": "javascript:alert(1)"},
    {"topic": "order.created", "target_url": "https://" + "a" * 5000 + ".com"},
]


async def test_thinkific_webhook_bodies(tenant: Tenant) -> None:
    for body in BODIES:
        response = await v2(tenant, "POST", "/webhooks", json=body)
        assert response.status_code in (400, 422), (body, response.status_code, response.text)
    listed = await v2(tenant, "GET", "/webhooks")
    assert listed.json()["items"] == []
    for path in ("/webhooks/x%20y", "/events/nope"):
        response = await v2(tenant, "GET", path)
        assert response.status_code == 404, path
    # A NUL anywhere in the URL is refused at the door, before any lookup.
    for path in ("/webhooks/%00", "/webhooks/%00/deliveries", "/events/%00"):
        response = await v2(tenant, "GET", path)
        assert response.status_code == 400 and "NUL" in response.json()["error"], path
    for query in ("limit=0", "limit=abc", "next=-1", "next=1e400", "page=%00"):
        response = await v2(tenant, "GET", f"/webhooks?{query}")
        assert response.status_code < 500, query


async def test_ti_webhook_bodies_and_feed_params(tenant: Tenant) -> None:
    for body in BODIES:
        ti_body = body
        if isinstance(body, dict):
            ti_body = {"url": body["target_url"], "events": [body["topic"]], "secret": "s" * 16}
        response = await tenant.ti("POST", "/webhooks", json=ti_body)
        assert response.status_code == 400, (ti_body, response.status_code, response.text)
    good = {"url": "https://a.example.com/x", "events": ["courseAction"]}
    for secret in ("abc\u0000defghij", "tab\tsecret12", 12345678, ["x" * 10]):
        response = await tenant.ti("POST", "/webhooks", json={**good, "secret": secret})
        assert response.status_code == 400, (secret, response.text)
    for params in (
        {"startDate": "9" * 40},
        {"endDate": "2026-13-45"},
        {"userId": "\u0000"},
        {"notifiableId": "' or 1=1 --"},
        {"perPage": "0"},
        {"perPage": "9" * 30},
        {"kind": "\u0000"},
        {"cursor": "\u0000"},
    ):
        response = await tenant.ti("GET", "/events/courseAction", params=params)
        assert response.status_code < 500, (params, response.text)
