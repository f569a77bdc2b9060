"""The application factory: one process serving both dialects over one database."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, Response

from coursegate import __version__
from coursegate.dialects.sandbox import app as sandbox
from coursegate.dialects.thinkific import app as thinkific
from coursegate.dialects.thinkific.v2 import app as thinkific_webhooks
from coursegate.dialects.thoughtindustries import app as thoughtindustries
from coursegate.events.background import in_process_worker
from coursegate.platform import logsafety
from coursegate.platform.auth_cache import AuthCache
from coursegate.platform.clock import Clock, SystemClock
from coursegate.platform.dispatch import PrefixDispatch
from coursegate.platform.gate import Services
from coursegate.platform.http import json
from coursegate.platform.migrate import upgrade_async
from coursegate.platform.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from coursegate.platform.settings import Settings, get_settings
from coursegate.store.database import Database, advance_write_epoch, listening
from coursegate.store.sites import AUTH_CHANNEL

log = logging.getLogger("coursegate")


@asynccontextmanager
async def auth_changes(services: Services) -> AsyncIterator[None]:
    """Hear other processes' key and site changes at once (PostgreSQL), so key lookups this
    process keeps (platform/auth_cache.py) are dropped; without it they age out by themselves."""
    async with contextlib.AsyncExitStack() as stack:
        try:
            await stack.enter_async_context(
                listening(services.db, AUTH_CHANNEL, advance_write_epoch)
            )
        except Exception:
            log.exception("no key-change notifications: other processes' changes age out")
        yield


DIALECTS = [
    ("Thinkific Admin API v1", thinkific.PREFIX),
    ("Thought Industries incoming/v2", thoughtindustries.PREFIX),
    ("Sandbox simulation v1", sandbox.PREFIX),
    ("Thinkific Webhooks API v2", thinkific_webhooks.PREFIX),
]


def make_limiter(settings: Settings) -> RateLimiter:
    if settings.redis_url:
        return RedisRateLimiter(settings.redis_url, settings.redis_prefix)
    return MemoryRateLimiter()


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    database: Database | None = None,
    limiter: RateLimiter | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    logsafety.install()
    db = database or Database(settings.database_url, settings.db_pool_size)
    services = Services(
        db=db,
        clock=clock or SystemClock(),
        limiter=limiter or make_limiter(settings),
        rate_limits_enabled=settings.rate_limits_enabled,
        max_body_bytes=settings.max_body_bytes,
        max_json_depth=settings.max_json_depth,
        public_base_url=settings.public_base_url.rstrip("/"),
        webhook_allow_private_targets=settings.webhook_allow_private_targets,
        telemetry=settings.telemetry,
        lean_routes=settings.lean_routes,
        auth_cache=AuthCache(settings.auth_cache_seconds),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.auto_migrate and database is None:
            await upgrade_async(settings.database_url)
        async with (
            auth_changes(services),
            in_process_worker(settings, services) as app.state.webhook_worker,
        ):
            # What start-up made (modules, the app, SQLAlchemy's metadata: ~175k objects) lives
            # as long as the process: out of the collector's sight, a full collection no longer
            # walks it (~60 ms each, a pause every request in flight waits out).
            gc.collect()
            gc.freeze()
            yield
        if database is None:
            await db.dispose()

    app = FastAPI(
        title="coursegate",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        telemetry=services.telemetry_config(),
    )
    app.state.services = services
    dialect_apps = {
        thinkific.PREFIX: thinkific.build(services),
        thoughtindustries.PREFIX: thoughtindustries.build(services),
        sandbox.PREFIX: sandbox.build(services),
        thinkific_webhooks.PREFIX: thinkific_webhooks.build(services),
    }
    for prefix, dialect_app in dialect_apps.items():
        app.mount(prefix, dialect_app)
    app.add_middleware(PrefixDispatch, apis=dialect_apps)

    @app.exception_handler(StarletteHTTPException)
    async def _unrouted(request: Request, exc: StarletteHTTPException) -> Response:
        # A path under a dialect that its mount cannot match (e.g. one holding a newline)
        # still gets that vendor's envelope, not the framework's {"detail": ...}.
        for prefix, dialect_app in dialect_apps.items():
            handler = dialect_app.exception_handlers.get(StarletteHTTPException)
            if handler is not None and request.url.path.startswith(prefix + "/"):
                return await handler(request, exc)  # type: ignore[misc,no-any-return]
        return json({"error": str(exc.detail)}, exc.status_code)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        return json({"status": "ok", "version": __version__})

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return HTMLResponse(_docs_page())

    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        return json(
            {
                "name": "coursegate",
                "version": __version__,
                "dialects": [
                    {
                        "name": name,
                        "base": prefix,
                        "openapi": f"{prefix}/openapi.json",
                        "docs": f"{prefix}/docs",
                    }
                    for name, prefix in DIALECTS
                ],
            }
        )

    return app


def _docs_page() -> str:
    urls: list[dict[str, Any]] = [{"url": f"{p}/openapi.json", "name": n} for n, p in DIALECTS]
    import orjson

    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>coursegate API docs</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"></head>
<body><div id="ui"></div>
<p style="font-family:sans-serif;margin:1em">Offline? Each dialect also serves its own page:
{" ".join(f'<a href="{p}/docs">{n}</a>' for n, p in DIALECTS)} and its OpenAPI document
({" ".join(f'<a href="{p}/openapi.json">{p}/openapi.json</a>' for _n, p in DIALECTS)}).</p>
<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-standalone-preset.js"></script>
<script>SwaggerUIBundle({{urls: {orjson.dumps(urls).decode()}, dom_id: "#ui",
presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout"}});</script>
</body></html>"""
