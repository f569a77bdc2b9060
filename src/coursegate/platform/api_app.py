"""One mounted API (a vendor dialect or the sandbox): its routes, its vendor's error handlers,
its own OpenAPI document and docs page, all behind the shared gate."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.routing import APIRoute
from starlette.responses import Response

from coursegate.platform import route_index
from coursegate.platform.gate import Gate, Services, Wire
from coursegate.platform.http import json
from coursegate.platform.lean_routes import make_lean


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
        telemetry=services.telemetry_config(),
    )
    app.state.services = services
    for router in routers:
        # The routers' routes join the app's own list (each already carries its router's tags
        # and responses): `include_router` would wrap each router in a layer that matches the
        # request against its routes once to pick the router and again to pick the route.
        app.router.routes.extend(router.routes)
    if services.lean_routes:
        # Each app gets its own route objects: the routers' are shared by every app built.
        routes = app.router.routes
        routes[:] = [copy.copy(r) if isinstance(r, APIRoute) else r for r in routes]
        for route in routes:
            if isinstance(route, APIRoute):
                make_lean(route)
        route_index.install(app.router)
    install_errors(app)

    @app.exception_handler(Exception)
    async def _crash(_request: Request, _exc: Exception) -> Response:
        # Whatever went wrong, the client still gets its vendor's envelope (never a bare 500).
        return json(crash_body, 500)

    app.add_middleware(Gate, wire=wire, services=services)
    return app
