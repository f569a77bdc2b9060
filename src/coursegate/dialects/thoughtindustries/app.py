"""The Thought Industries incoming/v2 dialect, served at /incoming/v2."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import errors
from coursegate.dialects.thoughtindustries.routes import (
    certifications,
    content,
    courses,
    ping,
    users,
)
from coursegate.dialects.thoughtindustries.wire import ThoughtIndustriesWire
from coursegate.platform.gate import Gate, Services
from coursegate.platform.http import json

PREFIX = "/incoming/v2"
ROUTERS = [ping.router, courses.router, content.router, users.router, certifications.router]


def build(services: Services) -> FastAPI:
    app = FastAPI(
        title="coursegate — Thought Industries REST API incoming/v2",
        version="v2",
        description="Thought Industries-compatible REST API served by coursegate. "
        "Authenticate with `Authorization: Bearer <key>`.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        servers=[{"url": PREFIX}],
    )
    for router in ROUTERS:
        app.include_router(router)
    errors.install(app)

    @app.exception_handler(Exception)
    async def _crash(_request: Request, _exc: Exception) -> Response:
        return json({"errors": ["Internal server error."]}, 500)

    app.add_middleware(Gate, wire=ThoughtIndustriesWire(), services=services)
    return app
