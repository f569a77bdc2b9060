"""The Thinkific Webhooks API v2 and Events API, served at /api/v2 with Thinkific's auth."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from coursegate.dialects.thinkific.v2 import errors, routes
from coursegate.dialects.thinkific.wire import ThinkificWire
from coursegate.platform.gate import Gate, Services
from coursegate.platform.http import json

PREFIX = "/api/v2"


def build(services: Services) -> FastAPI:
    app = FastAPI(
        title="coursegate — Thinkific Webhooks API v2",
        version="v2",
        description="Thinkific-compatible webhook subscriptions and events. Authenticate as for "
        "the Admin API (`X-Auth-API-Key` + `X-Auth-Subdomain`, or `Authorization: Bearer`). "
        "The `/webhooks/{id}/deliveries` operations are coursegate extensions.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        servers=[{"url": PREFIX}],
    )
    app.state.services = services
    app.include_router(routes.router)
    errors.install(app)

    @app.exception_handler(Exception)
    async def _crash(_request: Request, _exc: Exception) -> Response:
        return json({"error": "Internal Server Error"}, 500)

    app.add_middleware(Gate, wire=ThinkificWire(), services=services)
    return app
