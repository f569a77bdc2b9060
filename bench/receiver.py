"""A local webhook receiver for the benchmark: a raw ASGI app under uvicorn, in its own process.

Every POST is answered 200 at once; per delivery it records the receipt time (wall clock) and
the event's creation time from the body (`created_at` in Thinkific envelopes, `timestamp` in
Thought Industries ones), so latency = receipt - event creation. `GET /stats` returns the
records; `POST /reset` clears them.

Run as `python -m bench.receiver <port>`.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from typing import Any

import orjson
import uvicorn

from bench.asgi import plain_lifespan
from coursegate.platform.http_protocol import CoalescingHttpToolsProtocol

Scope = dict[str, Any]

records: list[tuple[float, float, str]] = []  # (received, created, path)
unparsed = 0


def _created(body: bytes) -> float | None:
    try:
        data = orjson.loads(body)
        raw = data.get("created_at") or data.get("timestamp")
        return datetime.fromisoformat(raw).timestamp() if raw else None
    except (orjson.JSONDecodeError, ValueError, TypeError, AttributeError):
        return None


async def _respond(send: Any, body: bytes) -> None:
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


async def app(scope: Scope, receive: Any, send: Any) -> None:
    global unparsed
    if scope["type"] != "http":
        if scope["type"] == "lifespan":
            await plain_lifespan(receive, send)
        return
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    received = time.time()
    if scope["method"] == "POST" and scope["path"] == "/reset":
        records.clear()
        unparsed = 0
        await _respond(send, b"{}")
    elif scope["method"] == "POST":
        created = _created(b"".join(chunks))
        if created is None:
            unparsed += 1
        else:
            records.append((received, created, scope["path"]))
        await _respond(send, b"{}")
    else:
        await _respond(send, orjson.dumps({"records": records, "unparsed": unparsed}))


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
                access_log=False, http=CoalescingHttpToolsProtocol, loop="uvloop", lifespan="on")  # fmt: skip
