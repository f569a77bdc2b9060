"""The Thinkific Admin API v1 dialect, served at /api/public/v1."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import errors
from coursegate.dialects.thinkific.routes import (
    bundles,
    catalog,
    categories,
    commerce,
    enrollments,
    groups,
    instructors,
    products,
    reviews,
    site_scripts,
    users,
)
from coursegate.dialects.thinkific.wire import ThinkificWire
from coursegate.platform.gate import Gate, Services
from coursegate.platform.http import json

PREFIX = "/api/public/v1"
ROUTERS = [catalog.router, users.router, enrollments.router]
ROUTERS += [
    products.router,
    bundles.router,
    categories.router,
    instructors.router,
    reviews.router,
    groups.router,
    site_scripts.router,
]
ROUTERS.append(commerce.router)


def build(services: Services) -> FastAPI:
    app = FastAPI(
        title="coursegate — Thinkific Admin API v1",
        version="v1",
        description="Thinkific-compatible Admin API served by coursegate. Authenticate with "
        "`X-Auth-API-Key` + `X-Auth-Subdomain`, or `Authorization: Bearer <key>`.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        servers=[{"url": PREFIX}],
    )
    for router in ROUTERS:
        app.include_router(router)
    errors.install(app)
    app.add_exception_handler(commerce.MissingParameter, commerce.bad_request)  # type: ignore[arg-type]

    @app.exception_handler(Exception)
    async def _crash(_request: Request, _exc: Exception) -> Response:
        return json({"error": "Internal Server Error"}, 500)

    app.add_middleware(Gate, wire=ThinkificWire(), services=services)
    return app
