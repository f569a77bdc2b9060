"""`Idempotency-Key` on POST, in both dialects (a coursegate extension; docs/compat).

The first request with a key claims it (a row inserted under a unique index, committed before
the request runs), so concurrent retries never both execute. Its answer (status, headers, body)
is stored; a retry with the same key and the same request gets that answer again and creates
nothing. The same key with a different request is refused in the vendor's envelope. Keys are
scoped by site and API key and kept 24 hours. A 5xx or a crash mid-request releases the claim
so the client may retry.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursegate.store.database import Unit
from coursegate.store.idempotency import IdempotencyRepo

if TYPE_CHECKING:
    from coursegate.platform.gate import Services, Wire
    from coursegate.platform.tenancy import Authenticated

HEADER = b"idempotency-key"
REPLAYED = (b"idempotent-replayed", b"true")
KEPT = timedelta(hours=24)
# A claim older than this whose request never stored an answer belonged to a process that died.
ABANDONED = timedelta(seconds=60)
# How long a retry waits for the first request to finish before being told to come back.
WAIT_STEPS = 100
WAIT_SECONDS = 0.05

INVALID_KEY = "Idempotency-Key must be 1 to 255 printable characters."
REUSED = "Idempotency-Key has already been used with a different request."
BUSY = "A request with this Idempotency-Key is still being processed; retry later."


def wants_idempotency(scope: Scope, headers: dict[bytes, bytes]) -> bool:
    return scope["method"] == "POST" and HEADER in headers


def request_hash(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (
        scope["method"].encode(),
        scope["path"].encode("utf-8", "surrogateescape"),
        scope.get("query_string", b""),
        body,
    ):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Stored:
    status: int
    headers: list[list[str]]
    body: bytes


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Idempotency:
    def __init__(self, services: Services, wire: Wire, auth: Authenticated) -> None:
        self.db = services.db
        self.clock = services.clock
        self.wire = wire
        self.site_id = auth.site.id
        self.api_key_id = auth.key_row_id

    def _unit(self, conn: Any) -> Unit:
        return Unit(conn, self.site_id, self.clock.now())

    async def _claim(self, key: str, digest: str) -> int | Stored | str:
        """The claim's row id (run the request), a stored answer, or a refusal message."""
        for _ in range(WAIT_STEPS):
            async with self.db.write() as conn:
                unit = self._unit(conn)
                repo = IdempotencyRepo(unit)
                await repo.forget(unit.now - KEPT, unit.now - ABANDONED)
                row_id = await repo.claim(self.api_key_id, key, digest)
                if row_id is not None:
                    return row_id
                row = await repo.find(self.api_key_id, key)
            if row is None:
                continue  # forgotten between our insert and our read: claim again
            if row.request_hash != digest:
                return REUSED
            if row.status is not None:
                return Stored(
                    row.status, row.response_headers or [], bytes(row.response_body or b"")
                )
            await asyncio.sleep(WAIT_SECONDS)  # the first request is still running
        return BUSY

    async def _finish(self, row_id: int, stored: Stored | None) -> None:
        async with self.db.write() as conn:
            repo = IdempotencyRepo(self._unit(conn))
            if stored is None:
                await repo.release(row_id)
            else:
                await repo.complete(row_id, stored.status, stored.headers, stored.body)

    async def __call__(
        self, app: ASGIApp, scope: Scope, receive: Receive, send: Send, raw_key: bytes, body: bytes
    ) -> None:
        key = raw_key.decode("latin-1").strip()
        if not key or len(key) > 255 or not key.isprintable():
            status, headers, payload = self.wire.bad_request(INVALID_KEY)
            await _send(send, status, headers, payload)
            return
        outcome = await self._claim(key, request_hash(scope, body))
        if isinstance(outcome, Stored):
            headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in outcome.headers]
            await _send(send, outcome.status, [*headers, REPLAYED], outcome.body)
            return
        if isinstance(outcome, str):
            from coursegate.platform.gate import key_reused, refuse  # import cycle: gate imports us

            reply = (
                key_reused(self.wire, outcome)
                if outcome == REUSED
                else refuse(self.wire, 409, outcome)
            )
            await _send(send, *reply)
            return

        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await app(scope, receive, capture)
        except BaseException:
            await asyncio.shield(self._finish(outcome, None))
            raise
        status = int(start.get("status", 500))
        if status >= 500:
            await self._finish(outcome, None)
            return
        kept = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in start.get("headers", [])]
        await self._finish(outcome, Stored(status, kept, b"".join(chunks)))
