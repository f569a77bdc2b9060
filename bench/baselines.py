"""Baseline servers, measured on the same machine and data as coursegate.

(a) `bytes`: a raw ASGI app answering every request with pre-serialised bytes (the size of
    the coursegate response it stands for): the ceiling of the server stack `coursegate serve`
    runs (uvicorn, uvloop, and its httptools protocol that writes a response in one `send`).
(b) `driver`: a raw ASGI app that runs, per request, the exact statements coursegate ran for
    a steady-state request (captured from SQLAlchemy; the API-key lookup is among them only
    when coursegate made it for that request, see `run.capture_sql`) through the raw driver
    (asyncpg pool / sqlite3) and encodes the rows with orjson: the ceiling for the same SQL.

Run as `python -m bench.baselines bytes|driver <spec file> <port>`.
"""

from __future__ import annotations

import pickle
import sqlite3
import sys
from pathlib import Path
from typing import Any

import orjson
import uvicorn

from bench.asgi import plain_lifespan
from coursegate.platform.http_protocol import CoalescingHttpToolsProtocol

Scope = dict[str, Any]


def bytes_app(bodies: dict[str, bytes]) -> Any:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = bodies.get(scope["path"], b"{}")
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})

    return app


async def _respond(send: Any, body: bytes, status: int = 200) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


def driver_app(url: str, routes: dict[str, list[tuple[str, Any]]]) -> Any:
    """`routes`: path -> [(sql in the driver's paramstyle, parameters)]."""
    if url.startswith("postgresql"):
        import asyncpg

        dsn = url.replace("postgresql+asyncpg://", "postgresql://")
        pool: Any = None

        async def app(scope: Scope, receive: Any, send: Any) -> None:
            nonlocal pool
            if scope["type"] == "lifespan":
                await receive()
                pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
                await send({"type": "lifespan.startup.complete"})
                await receive()
                await pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
            results = []
            async with pool.acquire() as conn:
                for sql, params in routes.get(scope["path"], []):
                    rows = await conn.fetch(sql, *params)
                    results.append([dict(r) for r in rows])
            await _respond(send, orjson.dumps({"results": results}, default=str))

        return app

    path = url.split(":///", 1)[1]
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.row_factory = sqlite3.Row

    async def sqlite_app(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await plain_lifespan(receive, send)
            return
        results = []
        for sql, params in routes.get(scope["path"], []):
            rows = conn.execute(sql, params).fetchall()
            results.append([dict(r) for r in rows])
        await _respond(send, orjson.dumps({"results": results}, default=str))

    return sqlite_app


def is_total_read(sql: str) -> bool:
    """The statement that answers `total_items`: the maintained counter or a COUNT."""
    text = sql.lower()
    return "counters" in text or "count(" in text


def statement_costs(
    url: str, routes: dict[str, list[tuple[str, Any]]], n: int = 200
) -> dict[str, list[dict[str, Any]]]:
    """Each captured statement run `n` times through the raw driver, one after another:
    the mean time per execution (what a statement costs the database and driver, without
    coursegate around it). Used to price `total_items` (the counter read or COUNT)."""
    import time

    out: dict[str, list[dict[str, Any]]] = {}
    if url.startswith("postgresql"):
        import asyncio

        import asyncpg

        async def run() -> None:
            conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
            try:
                for route, stmts in routes.items():
                    rows = out.setdefault(route, [])
                    for sql, params in stmts:
                        await conn.fetch(sql, *params)  # prepare and warm
                        started = time.perf_counter()
                        for _ in range(n):
                            await conn.fetch(sql, *params)
                        rows.append({"sql": sql, "total_read": is_total_read(sql),
                                     "mean_ms": round((time.perf_counter() - started) * 1000 / n, 4)})  # fmt: skip
            finally:
                await conn.close()

        asyncio.run(run())
        return out
    conn = sqlite3.connect(url.split(":///", 1)[1])
    try:
        for route, stmts in routes.items():
            rows = out.setdefault(route, [])
            for sql, params in stmts:
                conn.execute(sql, params).fetchall()
                started = time.perf_counter()
                for _ in range(n):
                    conn.execute(sql, params).fetchall()
                rows.append({"sql": sql, "total_read": is_total_read(sql),
                             "mean_ms": round((time.perf_counter() - started) * 1000 / n, 4)})  # fmt: skip
    finally:
        conn.close()
    return out


def main() -> None:
    kind, spec_file, port = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    spec = pickle.loads(spec_file.read_bytes())  # written by bench.run in this same run
    app = bytes_app(spec["bodies"]) if kind == "bytes" else driver_app(spec["url"], spec["routes"])
    # The same protocol as `coursegate serve`: the baselines measure the app, not the server.
    uvicorn.run(app, host="127.0.0.1", port=port, loop="uvloop", http=CoalescingHttpToolsProtocol,
                log_level="warning", access_log=False, lifespan="on" if kind == "driver" else "off")  # fmt: skip


if __name__ == "__main__":
    main()
