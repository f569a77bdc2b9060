"""One mounted API (a vendor dialect or the sandbox): its routes, its vendor's error handlers,
its own OpenAPI document and docs page, all behind the shared gate."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from starlette.responses import Response

from coursegate.platform.gate import Gate, Services, Wire
from coursegate.platform.http import json


def build_api(
    *,
    title: str,
    version: str,
    description: str,
    prefix: str,
    routers: Iterable[APIRouter],
    install_errors: Callable[[FastAPI], None],
    wire: Wire,
    services: Services,
    crash_body: Any,
) -> FastAPI:
    app = FastAPI(
        title=title,
        version=version,
        description=description,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        servers=[{"url": prefix}],
    )
    app.state.services = services
    for router in routers:
        # The routers' routes join the app's own list (each already carries its router's tags
        # and responses): `include_router` would wrap each router in a layer that matches the
        # request against its routes once to pick the router and again to pick the route.
        app.router.routes.extend(router.routes)
    install_errors(app)

    @app.exception_handler(Exception)
    async def _crash(_request: Request, _exc: Exception) -> Response:
        # Whatever went wrong, the client still gets its vendor's envelope (never a bare 500).
        return json(crash_body, 500)

    app.add_middleware(Gate, wire=wire, services=services)
    return app
