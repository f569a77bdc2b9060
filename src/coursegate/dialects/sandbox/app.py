"""The sandbox simulation API, served at /sandbox/v1 (coursegate's own, for sandbox sites)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from coursegate.dialects.sandbox import errors
from coursegate.dialects.sandbox.routes import router
from coursegate.dialects.sandbox.wire import SandboxWire
from coursegate.platform.gate import Gate, Services
from coursegate.platform.http import json

PREFIX = "/sandbox/v1"
ROUTERS = [router]


def build(services: Services) -> FastAPI:
    app = FastAPI(
        title="coursegate — sandbox simulation API",
        version="v1",
        description="Simulate learners (lesson completions, course views, quiz attempts) and "
        "move a sandbox site's virtual clock. Authenticate with `Authorization: Bearer <key>`; "
        "only sites created with `--sandbox` may use it.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        servers=[{"url": PREFIX}],
    )
    for r in ROUTERS:
        app.include_router(r)
    errors.install(app)

    @app.exception_handler(Exception)
    async def _crash(_request: Request, _exc: Exception) -> Response:
        return json({"error": "Internal Server Error"}, 500)

    app.add_middleware(Gate, wire=SandboxWire(), services=services)
    return app
