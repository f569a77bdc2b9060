"""How Thinkific answers at the door: auth headers, 401/413/429 bodies, RateLimit-* headers."""

from __future__ import annotations

import orjson

from coursegate.platform.gate import Headers, Reply
from coursegate.platform.profiles import THINKIFIC, VendorProfile
from coursegate.platform.ratelimit import Verdict

JSON_HEADERS: Headers = [(b"content-type", b"application/json")]


def body(status: int, payload: object) -> Reply:
    return status, list(JSON_HEADERS), orjson.dumps(payload)


class ThinkificWire:
    profile: VendorProfile = THINKIFIC
    public_paths = frozenset({"/openapi.json", "/docs"})

    def credentials(self, headers: dict[bytes, bytes]) -> tuple[str | None, str | None]:
        api_key = headers.get(b"x-auth-api-key")
        if api_key is not None:
            subdomain = headers.get(b"x-auth-subdomain")
            # Both headers are required together; a key without its subdomain is refused.
            return api_key.decode("latin-1").strip(), (subdomain or b"\x00").decode("latin-1").strip()
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip(), None
        return None, None

    def unauthorized(self) -> Reply:
        return body(401, {"error": "Authentication Error"})

    def too_many(self, verdict: Verdict) -> Reply:
        status, headers, payload = body(429, {"error": "Rate limit exceeded. Please retry later."})
        return status, [*headers, (b"retry-after", str(verdict.retry_after).encode())], payload

    def too_large(self, limit: int) -> Reply:
        return body(413, {"error": f"Request body is too large (maximum is {limit} bytes)."})

    def bad_request(self, message: str) -> Reply:
        return body(400, {"error": message})

    def refuse(self, status: int, message: str) -> Reply:
        return body(status, {"error": message})

    def invalid_field(self, field: str) -> Reply:
        return body(422, {"errors": {field: ["is invalid"]}})

    def key_reused(self, message: str) -> Reply:
        return body(422, {"errors": {"Idempotency-Key": [message]}})

    def rate_headers(self, verdict: Verdict) -> Headers:
        return [
            (b"ratelimit-limit", str(verdict.limit).encode()),
            (b"ratelimit-remaining", str(verdict.remaining).encode()),
            (b"ratelimit-reset", str(verdict.reset_epoch).encode()),
        ]
