"""How the sandbox API answers at the door: Bearer keys and `{"error": ...}` bodies."""

from __future__ import annotations

import orjson

from coursegate.platform.gate import Headers, Reply
from coursegate.platform.profiles import SANDBOX, VendorProfile
from coursegate.platform.ratelimit import Verdict

JSON_HEADERS: Headers = [(b"content-type", b"application/json")]


def body(status: int, message: str) -> Reply:
    return status, list(JSON_HEADERS), orjson.dumps({"error": message})


class SandboxWire:
    profile: VendorProfile = SANDBOX
    public_paths = frozenset({"/openapi.json", "/docs"})

    def credentials(self, headers: dict[bytes, bytes]) -> tuple[str | None, str | None]:
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip(), None
        return None, None

    def unauthorized(self) -> Reply:
        return body(401, "Authentication required: send Authorization: Bearer <API key>.")

    def too_many(self, verdict: Verdict) -> Reply:
        status, headers, payload = body(429, "Rate limit exceeded. Please retry later.")
        return status, [*headers, (b"retry-after", str(verdict.retry_after).encode())], payload

    def too_large(self, limit: int) -> Reply:
        return body(413, f"Request body is too large (maximum is {limit} bytes).")

    def bad_request(self, message: str) -> Reply:
        return body(400, message)

    def refuse(self, status: int, message: str) -> Reply:
        return body(status, message)

    def key_reused(self, message: str) -> Reply:
        return body(409, message)

    def invalid_field(self, field: str, message: str) -> Reply:
        return body(400, f"Field '{field}' {message}.")

    def rate_headers(self, verdict: Verdict) -> Headers:
        return [
            (b"ratelimit-limit", str(verdict.limit).encode()),
            (b"ratelimit-remaining", str(verdict.remaining).encode()),
            (b"ratelimit-reset", str(verdict.reset_epoch).encode()),
        ]
