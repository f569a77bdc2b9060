"""The sandbox simulation API, served at /sandbox/v1 (coursegate's own, for sandbox sites)."""

from __future__ import annotations

from fastapi import FastAPI

from coursegate.dialects.sandbox import errors
from coursegate.dialects.sandbox.routes import router
from coursegate.dialects.sandbox.wire import SandboxWire
from coursegate.platform.api_app import build_api
from coursegate.platform.gate import Services

PREFIX = "/sandbox/v1"
ROUTERS = [router]


def build(services: Services) -> FastAPI:
    return build_api(
        title="coursegate — sandbox simulation API",
        version="v1",
        description="Simulate learners (lesson completions, course views, quiz attempts) and "
        "move a sandbox site's virtual clock. Authenticate with `Authorization: Bearer <key>`; "
        "only sites created with `--sandbox` may use it.",
        prefix=PREFIX,
        routers=ROUTERS,
        install_errors=errors.install,
        wire=SandboxWire(),
        services=services,
        crash_body={"error": "Internal Server Error"},
    )
