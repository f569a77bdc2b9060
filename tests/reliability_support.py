"""Helpers shared by the reliability suites: vendor envelope checks, route-table walking,
and real `coursegate serve` subprocesses on free ports."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
from fastapi import FastAPI
from starlette.routing import Mount

ROOT = Path(__file__).resolve().parents[1]
# Budgets: small and reproducible in CI; `make fuzz` raises the count and lets examples vary.
FUZZ_EXAMPLES = int(os.environ.get("COURSEGATE_FUZZ_EXAMPLES", "0"))
FUZZ_RANDOM = os.environ.get("COURSEGATE_FUZZ_RANDOM") == "1"


def fuzz_settings(ci_examples: int) -> Any:
    """Hypothesis settings for a property: `ci_examples` in CI, more under `make fuzz`."""
    from hypothesis import HealthCheck, settings

    return settings(
        max_examples=max(ci_examples, FUZZ_EXAMPLES),
        deadline=None,
        database=None,
        derandomize=not FUZZ_RANDOM,
        suppress_health_check=list(HealthCheck),
    )


THINKIFIC = "/api/public/v1"
TI = "/incoming/v2"
THINKIFIC_V2 = "/api/v2"
SANDBOX = "/sandbox/v1"


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def thinkific_error_envelope(status: int, body: bytes) -> str | None:
    """None when an error body is Thinkific's `{"error": str}` or `{"errors": {field: [str]}}`."""
    if status == 401 or status >= 400:
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return f"{status} body is not JSON: {body[:120]!r}"
        if (
            isinstance(payload, dict)
            and set(payload) == {"error"}
            and isinstance(payload["error"], str)
        ):
            return None
        errors = payload.get("errors") if isinstance(payload, dict) else None
        if isinstance(errors, dict) and set(payload) == {"errors"}:
            return (
                None
                if all(_is_str_list(v) for v in errors.values())
                else f"bad errors: {body[:200]!r}"
            )
        return f"{status} body outside the Thinkific envelopes: {body[:200]!r}"
    return None


TI_VALIDATION_KEYS = {"error", "message", "code", "statusCode"}


def ti_error_envelope(status: int, body: bytes) -> str | None:
    """None when an error body is TI's: 401 empty, 429 rate object, `{"errors": [str]}` or the
    course validation object."""
    if status < 400:
        return None
    if status == 401:
        return None if body == b"" else f"401 with a body: {body[:120]!r}"
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return f"{status} body is not JSON: {body[:120]!r}"
    if isinstance(payload, dict) and set(payload) == {"errors"} and _is_str_list(payload["errors"]):
        return None
    if (
        isinstance(payload, dict)
        and set(payload) == TI_VALIDATION_KEYS
        and payload["statusCode"] == status
    ):
        return None
    if (
        status == 429
        and isinstance(payload, dict)
        and payload.get("error") == "rate_limit_exceeded"
    ):
        return None
    return f"{status} body outside the Thought Industries envelopes: {body[:200]!r}"


def thinkific_v2_error_envelope(status: int, body: bytes) -> str | None:
    """The Webhooks API v2 shows field errors as strings (`{"errors": {"topic": "invalid
    format"}}`) as well as lists; otherwise Thinkific's envelopes."""
    if status >= 400:
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return f"{status} body is not JSON: {body[:120]!r}"
        errors = payload.get("errors") if isinstance(payload, dict) else None
        if isinstance(errors, dict) and set(payload) == {"errors"}:
            ok = all(isinstance(v, str) or _is_str_list(v) for v in errors.values())
            return None if ok else f"bad errors: {body[:200]!r}"
    return thinkific_error_envelope(status, body)


def sandbox_error_envelope(status: int, body: bytes) -> str | None:
    """The sandbox API answers every error as `{"error": str}`."""
    if status < 400:
        return None
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return f"{status} body is not JSON: {body[:120]!r}"
    if isinstance(payload, dict) and isinstance(payload.get("error"), str):
        return None
    return f"{status} body outside the sandbox envelope: {body[:200]!r}"


def api_call(tenant: Any, prefix: str) -> Any:
    """A caller for one mounted API as `tenant` (every API takes the key as a bearer token)."""

    async def call(method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {tenant.key}", **kwargs.pop("headers", {})}
        return await tenant.http.request(method, prefix + path, headers=headers, **kwargs)

    return call


ENVELOPES = {
    THINKIFIC: thinkific_error_envelope,
    TI: ti_error_envelope,
    THINKIFIC_V2: thinkific_v2_error_envelope,
    SANDBOX: sandbox_error_envelope,
}


def thinkific_v2_error_envelope(status: int, body: bytes) -> str | None:
    """Thinkific's webhooks API (v2) and coursegate's own APIs: `{"error": str}` or
    `{"errors": {field: str | [str]}}` (v2 gives one message per field)."""
    if status < 400 or thinkific_error_envelope(status, body) is None:
        return None
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return f"{status} body is not JSON: {body[:120]!r}"
    errors = payload.get("errors") if isinstance(payload, dict) else None
    fields_ok = isinstance(errors, dict) and set(payload) == {"errors"}
    if fields_ok and all(isinstance(v, str) or _is_str_list(v) for v in errors.values()):
        return None
    return f"{status} body outside the error envelopes: {body[:200]!r}"


def envelope_for(prefix: str) -> Any:
    """The error-envelope check of a mount: the two dialects' own, and for every other mount
    (Thinkific v2, coursegate's APIs) the `{"error"}` / `{"errors": {...}}` family."""
    return ENVELOPES.get(prefix, thinkific_v2_error_envelope)


def auth_headers(key: str, subdomain: str) -> dict[str, str]:
    """Credentials every wire accepts: Thinkific reads the X-Auth pair, the others Bearer."""
    return {"X-Auth-API-Key": key, "X-Auth-Subdomain": subdomain, "Authorization": f"Bearer {key}"}


@dataclass(frozen=True)
class Route:
    """One operation of a mounted dialect: prefix, method, path template, parameter names."""

    prefix: str
    method: str
    path: str
    name: str
    path_params: tuple[str, ...]
    has_body: bool

    def url(self, values: dict[str, str]) -> str:
        return self.prefix + re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values[m.group(1)], self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.prefix}{self.path}"


def dialect_routes(app: FastAPI) -> Iterator[Route]:
    """Every API operation of every mounted dialect. Read from each sub-app's live route table
    through `openapi()` (FastAPI nests included routers in private types; the document it
    builds from them is the stable view), so routes added later are walked too."""
    for mount in app.routes:
        if not isinstance(mount, Mount) or not isinstance(mount.app, FastAPI):
            continue
        sub = mount.app
        sub.openapi_schema = None  # rebuild: routes may have been added since the last call
        for path, item in sub.openapi()["paths"].items():
            for method, operation in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                params = tuple(
                    p["name"] for p in operation.get("parameters", []) if p["in"] == "path"
                )
                name = str(operation.get("operationId", f"{method} {path}"))
                yield Route(
                    mount.path, method.upper(), path, name, params, "requestBody" in operation
                )


async def seed_site(database_url: str, prefix: str = "rel") -> tuple[str, str]:
    """A site (rate limits off) with a key and a little data, on its own short-lived engine, for
    suites that drive an app from another event loop (schemathesis, subprocess servers)."""
    from coursegate.domain.context import Ctx
    from coursegate.platform import tenancy
    from coursegate.platform.clock import SiteClock, SystemClock
    from coursegate.store.database import Database
    from tests import builders

    db = Database(database_url, 2)
    try:
        clock = SystemClock()
        subdomain = f"{prefix}{uuid.uuid4().hex[:10]}"
        site = await tenancy.create_site(db, clock, subdomain, sandbox=True, rate_limits=False)
        key = await tenancy.create_key(db, clock, subdomain, prefix)
        ctx = Ctx(db, site, SiteClock(clock))
        course = await builders.course(ctx, chapters=1, lessons=1)
        user = await builders.user(ctx)
        await builders.enrollment(ctx, user.id, course.id)
        return subdomain, key
    finally:
        await db.dispose()


def fresh_app(database_url: str, **overrides: Any) -> FastAPI:
    """An app owning its own engine (for callers on their own event loop)."""
    from coursegate.platform.app import create_app
    from coursegate.platform.settings import Settings

    values: dict[str, Any] = {
        "database_url": database_url,
        "auto_migrate": False,
        "redis_url": None,
        "rate_limits_enabled": False,
        "public_base_url": "http://testserver",
    }
    return create_app(Settings(**{**values, **overrides}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """`coursegate serve` in a subprocess; stderr goes to a file so tests can read the logs."""

    database_url: str
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    workers: int = 1
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.port = free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "COURSEGATE_DATABASE_URL": self.database_url,
            "COURSEGATE_AUTO_MIGRATE": "false",
            "COURSEGATE_LOG_LEVEL": "info",
            **self.env,
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "coursegate",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env={**env, "COURSEGATE_HOST": "127.0.0.1"},
            stdout=log,
            stderr=log,
            cwd=str(self.log_path.parent),
        )
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        # Readiness is polled, never timed: the loop ends when the port answers or the process dies.
        assert self.process is not None
        for _ in range(600):
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError(f"server never answered: {self.log_path.read_text()[-2000:]}")

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing — a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")
