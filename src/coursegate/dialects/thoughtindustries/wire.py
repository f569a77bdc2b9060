"""How Thought Industries answers at the door: Bearer keys, 401 with an empty body,
X-RateLimit-* on every response, Retry-After and a JSON body on 429."""

from __future__ import annotations


import orjson

from coursegate.platform.gate import Headers, Reply
from coursegate.platform.profiles import THOUGHT_INDUSTRIES, VendorProfile
from coursegate.platform.ratelimit import Verdict

JSON_HEADERS: Headers = [(b"content-type", b"application/json")]


def errors_body(status: int, *messages: str) -> Reply:
    return status, list(JSON_HEADERS), orjson.dumps({"errors": list(messages)})


class ThoughtIndustriesWire:
    profile: VendorProfile = THOUGHT_INDUSTRIES
    public_paths = frozenset({"/openapi.json", "/docs"})

    def credentials(self, headers: dict[bytes, bytes]) -> tuple[str | None, str | None]:
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip(), None
        return None, None

    def unauthorized(self) -> Reply:
        return 401, [(b"content-type", b"text/plain")], b""

    def too_many(self, verdict: Verdict) -> Reply:
        retry = verdict.retry_after
        payload = {
            "error": "rate_limit_exceeded",
            "message": f"Rate limit of {verdict.limit} requests per window exceeded. Retry in {retry} seconds.",
            "retryAfter": retry,
        }
        return 429, [*JSON_HEADERS, (b"retry-after", str(retry).encode())], orjson.dumps(payload)

    def too_large(self, limit: int) -> Reply:
        return errors_body(413, f"Request body exceeds the maximum size of {limit} bytes.")

    def bad_request(self, message: str) -> Reply:
        return errors_body(400, message)

    def refuse(self, status: int, message: str) -> Reply:
        return errors_body(status, message)

    def invalid_field(self, field: str) -> Reply:
        return errors_body(400, f"Invalid value for field '{field}'.")

    def key_reused(self, message: str) -> Reply:
        return errors_body(409, message)

    def rate_headers(self, verdict: Verdict) -> Headers:
        return [
            (b"x-ratelimit-limit", str(verdict.limit).encode()),
            (b"x-ratelimit-remaining", str(verdict.remaining).encode()),
            (b"x-ratelimit-reset", str(verdict.reset_epoch).encode()),
        ]
