"""The front door of each dialect: authenticate, meter, bound the body, attach the tenant.

The mechanics are shared; what a vendor says (status codes, bodies, header names) comes from the
dialect's `Wire` object, so each dialect answers exactly as its vendor does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from fastapi.telemetry import TelemetryConfig
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursegate.domain.context import Ctx
from coursegate.platform import bodycheck, keys, tenancy
from coursegate.platform.auth_cache import AuthCache
from coursegate.platform.clock import Clock
from coursegate.platform.idempotency import HEADER, Idempotency, wants_idempotency
from coursegate.platform.profiles import VendorProfile, for_site
from coursegate.platform.ratelimit import RateLimiter, Verdict
from coursegate.store.database import Database

log = logging.getLogger("coursegate.gate")

Headers = list[tuple[bytes, bytes]]
Reply = tuple[int, Headers, bytes]


class Wire(Protocol):
    profile: VendorProfile
    public_paths: frozenset[str]

    def credentials(self, headers: dict[bytes, bytes]) -> tuple[str | None, str | None]: ...
    def unauthorized(self) -> Reply: ...
    def too_many(self, verdict: Verdict) -> Reply: ...
    def too_large(self, limit: int) -> Reply: ...
    def bad_request(self, message: str) -> Reply: ...
    def invalid_field(self, field: str, message: str) -> Reply: ...
    def refuse(self, status: int, message: str) -> Reply: ...
    def key_reused(self, message: str) -> Reply: ...
    def rate_headers(self, verdict: Verdict) -> Headers: ...


@dataclass
class Services:
    """Process-wide collaborators, created once by the app factory."""

    db: Database
    clock: Clock
    limiter: RateLimiter
    rate_limits_enabled: bool = True
    max_body_bytes: int = 1_048_576
    max_json_depth: int = 32
    public_base_url: str = "http://127.0.0.1:8000"
    key_touch_interval_seconds: float = 60.0
    touched: dict[int, float] = field(default_factory=dict)
    webhook_allow_private_targets: bool = False
    telemetry: bool = False
    lean_routes: bool = True
    auth_cache: AuthCache = field(default_factory=lambda: AuthCache(0.0))

    def telemetry_config(self) -> TelemetryConfig:
        """FastAPI's OpenTelemetry instrumentation, only when asked for: left on, FastAPI asks
        OpenTelemetry whether providers are configured on every request (~20 us per app)."""
        on = self.telemetry
        return {"tracing": on, "metrics": on, "logs": on}


async def _reply(send: Send, reply: Reply, extra: Headers = ()) -> None:  # type: ignore[assignment]
    status, headers, body = reply
    all_headers = [*headers, *extra, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": body})


class Gate:
    def __init__(self, app: ASGIApp, wire: Wire, services: Services) -> None:
        self.app = app
        self.wire = wire
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        root = scope.get("root_path", "")
        path = scope["path"]
        relative = path[len(root) :] if root and path.startswith(root) else path
        if relative in self.wire.public_paths:
            await self.app(scope, receive, send)
            return

        headers = dict(scope["headers"])
        key, claimed_subdomain = self.wire.credentials(headers)
        services = self.services
        auth = (
            await tenancy.authenticate(services.db, services.clock, key, services.auth_cache.find)
            if key
            else None
        )
        if auth is None or (
            claimed_subdomain is not None and claimed_subdomain != auth.site.subdomain
        ):
            # Only the public key id is logged, never the secret (see platform/logsafety.py).
            parts = keys.split(key) if key else None
            log.info(
                "authentication refused",
                extra={
                    "dialect": self.wire.profile.name,
                    "key_id": parts[0] if parts else None,
                    "path": relative,
                },
            )
            await _reply(send, self.wire.unauthorized())
            return

        profile = for_site(self.wire.profile, auth.site.profile)
        extra: Headers = []
        if services.rate_limits_enabled and auth.site.rate_limits_enabled:
            verdict = await services.limiter.hit(
                f"{profile.name}:{auth.key_id}", profile.rate_limit, profile.rate_window_seconds
            )
            extra = self.wire.rate_headers(verdict)
            if not verdict.allowed:
                await _reply(send, self.wire.too_many(verdict), extra)
                return

        problem = bodycheck.url_problem(scope["path"], scope.get("query_string", b""))
        if problem is not None:
            await _reply(send, self.wire.bad_request(problem), extra)
            return
        # Documents (XLIFF) are the route's to parse; every other body must be safe JSON.
        is_document = relative.endswith(getattr(self.wire, "document_suffixes", ()))
        bounded = await self._bounded_body(scope, receive, headers, send, extra, is_document)
        if bounded is None:
            return
        receive, body = bounded
        await self._touch(auth)

        state = scope.setdefault("state", {})
        # Only a read trusts what the key lookup saw of the site's profile fields: a write
        # may itself depend on a definition created since.
        reads = scope["method"] in ("GET", "HEAD")
        state["ctx"] = Ctx(
            services.db, auth.site, auth.clock, auth.has_profile_fields if reads else None
        )
        state["profile"] = profile
        state["key_id"] = auth.key_id
        state["key_row_id"] = auth.key_row_id
        state["base_url"] = services.public_base_url

        if extra:
            plain_send = send

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
                await plain_send(message)

            send = send_with_headers

        if wants_idempotency(scope, headers):
            layer = Idempotency(services, self.wire, auth)
            await layer(self.app, scope, receive, send, headers[HEADER], body)
            return
        await self.app(scope, receive, send)

    async def _bounded_body(
        self,
        scope: Scope,
        receive: Receive,
        headers: dict[bytes, bytes],
        send: Send,
        extra: Headers,
        is_document: bool = False,
    ) -> tuple[Receive, bytes] | None:
        """Read the body up front (bodies here are small JSON) and refuse oversized or hostile
        ones; returns a receive that replays it, and the body."""
        limit = self.services.max_body_bytes
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                await _reply(send, self.wire.bad_request("Invalid Content-Length header."), extra)
                return None
            if too_big:
                await _reply(send, self.wire.too_large(limit), extra)
                return None
        if scope["method"] in ("GET", "HEAD") and declared is None:
            return receive, b""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _reply(send, self.wire.too_large(limit), extra)
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if body and not is_document:
            content_type = headers.get(b"content-type")
            if content_type is None:  # a bare body is JSON (docs/compat, "Reliability")
                scope["headers"] = [*scope["headers"], (b"content-type", b"application/json")]
            elif not bodycheck.is_json_type(content_type):
                refusal = bodycheck.unsupported((content_type or b"").decode("latin-1"))
                await _reply(send, self.wire.refuse(415, refusal), extra)
                return None
            problem = bodycheck.json_problem(body, self.services.max_json_depth)
            if problem is not None:
                in_field = bodycheck.FIELD_MESSAGES.get(problem.message)
                if problem.field is not None and in_field is not None:
                    reply = self.wire.invalid_field(problem.field, in_field)
                else:
                    reply = self.wire.bad_request(problem.message)
                await _reply(send, reply, extra)
                return None
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay, body

    async def _touch(self, auth: tenancy.Authenticated) -> None:
        """Record the key's last use, at most once a minute per key per process."""
        services = self.services
        now = services.clock.now()
        last = services.touched.get(auth.key_row_id)
        stamp = now.timestamp()
        if last is not None and stamp - last < services.key_touch_interval_seconds:
            return
        if (
            last is None
            and auth.last_used_at is not None
            and stamp - auth.last_used_at.timestamp() < services.key_touch_interval_seconds
        ):
            services.touched[auth.key_row_id] = auth.last_used_at.timestamp()
            return
        services.touched[auth.key_row_id] = stamp
        try:
            await tenancy.touch_key(services.db, auth.key_row_id, now)
        except Exception:  # a busy database must not fail the request over bookkeeping
            log.warning("could not record key use", exc_info=True)
