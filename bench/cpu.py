"""CPU per request, in process: the app called directly as ASGI (no sockets, no uvicorn; on
uvloop, the event loop `coursegate serve` runs), so a change to the request path shows in
microseconds without wrk's noise. Used to measure each optimisation in docs/performance.md; `make bench` remains the benchmark of record.

    COURSEGATE_DATABASE_URL=... python -m bench.cpu KEY [--profile] [SCENARIO ...]

KEY is an API key of a seeded site (`coursegate seed`); a SCENARIO may also be a path (with its
query string); `--profile` prints cProfile's top functions for the first scenario.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from typing import Any
from urllib.parse import quote

import orjson
import uvloop

SCENARIOS = {
    "tk_user": "/api/public/v1/users/5",
    "tk_users": "/api/public/v1/users",
    "tk_enrollments": "/api/public/v1/enrollments",
    "ti_course": "/incoming/v2/courses/{course}",
    "tk_deep": "/api/public/v1/enrollments?page=7200&limit=25",
    "tk_email": "/api/public/v1/users?" + quote("query[email]") + "={email}",
    "ti_users": "/incoming/v2/users",
    "ti_search": "/incoming/v2/content?types=course&query=python&perPage=25",
    "ti_feed": "/incoming/v2/events/courseAction?perPage=25",
}
WARM, MEASURED = 200, int(os.environ.get("BENCH_CPU_REQUESTS", "2000"))


async def _call(app: Any, key: str, path: str) -> tuple[int, bytes]:
    bare, _, query = path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": bare, "raw_path": bare.encode(), "query_string": query.encode(),
        "root_path": "", "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {key}".encode())],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {},
    }  # fmt: skip
    status, body = 0, b""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, body
        if message["type"] == "http.response.start":
            status = message["status"]
        else:
            body += message.get("body", b"")

    await app(scope, receive, send)
    return status, body


async def _main(key: str, names: list[str], profile: bool) -> None:
    from coursegate.platform.app import create_app
    from coursegate.platform.settings import Settings

    settings = Settings(rate_limits_enabled=False, in_process_worker=False)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        status, body = await _call(app, key, SCENARIOS["tk_user"])
        email = quote(orjson.loads(body)["email"]) if status == 200 else "nobody%40example.com"
        status, body = await _call(app, key, SCENARIOS["ti_search"])
        data = orjson.loads(body) if status == 200 else {}
        if isinstance(data.get("data"), dict):  # a site answering in GraphQL's envelope
            data = next(iter(data["data"].values()))
        course = data["contentItems"][0]["id"] if data.get("contentItems") else "none"
        for name in names:
            path = SCENARIOS.get(name, name).format(email=email, course=course)
            status, body = await _call(app, key, path)
            if status != 200:
                raise SystemExit(f"{name}: {status} {body[:200]!r}")
            for _ in range(WARM):
                await _call(app, key, path)
            # The best of twenty batches: other work on a shared machine only ever adds time.
            batches = []
            for _ in range(20):
                started = time.process_time()
                for _ in range(MEASURED // 20):
                    await _call(app, key, path)
                batches.append((time.process_time() - started) / (MEASURED // 20))
            print(f"{name:<16} {min(batches) * 1e6:8.0f} us CPU/request  ({len(body)} bytes)")
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(MEASURED):
                await _call(
                    app, key, SCENARIOS.get(names[0], names[0]).format(email=email, course=course)
                )
            profiler.disable()
            pstats.Stats(profiler).sort_stats(
                os.environ.get("BENCH_CPU_SORT", "tottime")
            ).print_stats(40)


def main() -> None:
    args = sys.argv[1:]
    if not args or "COURSEGATE_DATABASE_URL" not in os.environ:
        raise SystemExit(__doc__)
    profile = "--profile" in args
    rest = [a for a in args[1:] if a != "--profile"]
    uvloop.run(_main(args[0], rest or list(SCENARIOS), profile))


if __name__ == "__main__":
    main()
