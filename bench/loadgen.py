"""Fallback load generator (used only when wrk is not installed): httpx + asyncio, in its own
process, N concurrent connections for a fixed time. Slower than wrk, so its numbers are
labelled and lower ceilings; ratios measured with it still compare like with like."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import httpx


async def _main(spec: dict[str, Any]) -> dict[str, Any]:
    req = spec["req"]
    deadline = time.monotonic() + spec["seconds"]
    latencies: list[float] = []
    counts = {"non_2xx": 0, "errors": 0, "n": 0}

    async def worker(index: int, client: httpx.AsyncClient) -> None:
        local = 0
        while time.monotonic() < deadline:
            local += 1
            counts["n"] += 1
            body = req["body"]
            if body is not None:
                k = counts["n"]
                if req["users"]:
                    body = body.replace("{user}", str(req["users"][(k - 1) % len(req["users"])]))
                body = body.replace("{n}", f"{spec['tag']}-{index}-{local}")
            started = time.perf_counter()
            try:
                path = (
                    req["paths"][counts["n"] % len(req["paths"])]
                    if req.get("paths")
                    else req["path"]
                )
                response = await client.request(req["method"], path, headers=req["headers"],
                                                content=body)  # fmt: skip
                if not 200 <= response.status_code < 400:
                    counts["non_2xx"] += 1
            except httpx.HTTPError:
                counts["errors"] += 1
            latencies.append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=spec["connections"])
    async with httpx.AsyncClient(base_url=spec["base"], limits=limits, timeout=30) as client:
        started = time.monotonic()
        await asyncio.gather(*(worker(i, client) for i in range(spec["connections"])))
        elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p: float) -> float | None:
        return round(latencies[int(p * (len(latencies) - 1))] * 1000, 3) if latencies else None

    return {"requests_per_second": round(len(latencies) / elapsed, 2), "requests": len(latencies),
            "non_2xx": counts["non_2xx"], "errors": counts["errors"], "p50_ms": pct(0.5), "p99_ms": pct(0.99)}  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_main(json.loads(sys.stdin.read())))))
