"""HTTP helpers shared by both dialects: fast JSON responses and request state access."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response

from coursegate.domain.context import Ctx
from coursegate.platform.profiles import VendorProfile

_OPTIONS = orjson.OPT_NON_STR_KEYS

# The `responses=` documentation map of a route (status -> OpenAPI response).
Responses = dict[int | str, dict[str, Any]]


class JSON(Response):
    """orjson-encoded JSON. Routes return pre-shaped dicts; no pydantic on the way out."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=_OPTIONS)


def json(content: Any, status_code: int = 200) -> JSON:
    return JSON(content, status_code=status_code)


def empty(status_code: int = 204) -> Response:
    return Response(status_code=status_code)


def ctx_of(request: Request) -> Ctx:
    """The tenant context the gate attached after authenticating the request."""
    ctx: Ctx = request.scope["state"]["ctx"]
    return ctx


def profile_of(request: Request) -> VendorProfile:
    profile: VendorProfile = request.scope["state"]["profile"]
    return profile
