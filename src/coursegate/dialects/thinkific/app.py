"""The Thinkific Admin API v1 dialect, served at /api/public/v1."""

from __future__ import annotations

from fastapi import FastAPI

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
from coursegate.platform.api_app import build_api
from coursegate.platform.gate import Services

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
    app = build_api(
        title="coursegate — Thinkific Admin API v1",
        version="v1",
        description="Thinkific-compatible Admin API served by coursegate. Authenticate with "
        "`X-Auth-API-Key` + `X-Auth-Subdomain`, or `Authorization: Bearer <key>`.",
        prefix=PREFIX,
        routers=ROUTERS,
        install_errors=errors.install,
        wire=ThinkificWire(),
        services=services,
        crash_body={"error": "Internal Server Error"},
    )
    app.add_exception_handler(commerce.MissingParameter, commerce.bad_request)  # type: ignore[arg-type]
    return app
