"""Calling the sandbox simulation API as a tenant, and reading its event log."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Tenant


async def sb(tenant: Tenant, method: str, path: str, **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {tenant.key}", **kwargs.pop("headers", {})}
    return await tenant.http.request(method, f"/sandbox/v1{path}", headers=headers, **kwargs)


async def events_of(tenant: Tenant, *types: str) -> list[dict[str, Any]]:
    """The site's events (of the given types, or all), oldest first."""
    response = await sb(tenant, "GET", "/events", params={"limit": 1000, "type": list(types)})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items
