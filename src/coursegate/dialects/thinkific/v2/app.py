"""The Thinkific Webhooks API v2 and Events API, served at /api/v2 with Thinkific's auth."""

from __future__ import annotations

from fastapi import FastAPI

from coursegate.dialects.thinkific.v2 import errors, routes
from coursegate.dialects.thinkific.wire import ThinkificWire
from coursegate.platform.api_app import build_api
from coursegate.platform.gate import Services

PREFIX = "/api/v2"


def build(services: Services) -> FastAPI:
    return build_api(
        title="coursegate — Thinkific Webhooks API v2",
        version="v2",
        description="Thinkific-compatible webhook subscriptions and events. Authenticate as for "
        "the Admin API (`X-Auth-API-Key` + `X-Auth-Subdomain`, or `Authorization: Bearer`). "
        "The `/webhooks/{id}/deliveries` operations are coursegate extensions.",
        prefix=PREFIX,
        routers=[routes.router],
        install_errors=errors.install,
        wire=ThinkificWire(),
        services=services,
        crash_body={"error": "Internal Server Error"},
    )
