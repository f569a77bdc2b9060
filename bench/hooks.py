"""Webhook delivery scenario: events at a steady rate, fanned out to local subscriptions, timed
from the event's creation to its receipt.

A sandbox site (`hooks`, loopback targets allowed) gets `BENCH_WEBHOOK_HOOKS` Thinkific
`user.signup` subscriptions, each with its own path on the receiver (`bench/receiver.py`, its own
process). On PostgreSQL a backlog is first queued with no worker running and then drained by the
`coursegate worker` process(es) started for it: the worker's capacity on its own. Users are then created through `POST /api/public/v1/users` at a fixed rate (open loop:
a request is started every 1/rate s whatever the previous ones did), so every event becomes one
delivery per subscription. Per offered rate: deliveries/s while events were being made,
event-to-delivery latency percentiles (receipt time - the envelope's `created_at`), and how
long the backlog took to drain after the last event.

Environment: BENCH_WEBHOOK_HOOKS (subscriptions, default 20), BENCH_WEBHOOK_RATES (events/s,
comma separated, default "12.5,25,40"), BENCH_WEBHOOK_SECONDS (per rate, default 10),
BENCH_WEBHOOK_WORKERS (`coursegate worker` processes on PostgreSQL, default 1; SQLite uses the
in-process worker of `coursegate serve`).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from typing import Any

import httpx

from bench.procs import Server, child_env, free_port, python

TK = "/api/public/v1"
BACKLOG_EVENTS = 400  # PostgreSQL: events queued before the worker starts (x hooks deliveries)


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)


async def _generate(base: str, headers: dict[str, str], rate: float, seconds: float,
                    tag: str) -> dict[str, Any]:  # fmt: skip
    """Create users at `rate` per second for `seconds`; returns counts and the window."""
    total = int(rate * seconds)
    counts = {"ok": 0, "failed": 0}
    latencies: list[float] = []

    async def one(client: httpx.AsyncClient, n: int) -> None:
        body = {
            "first_name": "Hook",
            "last_name": f"Bench {n}",
            "email": f"hook-{tag}-{n}@bench.test",
        }
        started = time.perf_counter()
        try:
            response = await client.post(TK + "/users", json=body, headers=headers)
            counts["ok" if response.status_code == 201 else "failed"] += 1
        except httpx.HTTPError:
            counts["failed"] += 1
        latencies.append((time.perf_counter() - started) * 1000)

    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        started_wall = time.time()
        started = time.perf_counter()
        tasks = []
        for n in range(total):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(client, n)))
        ended_wall = time.time()
        await asyncio.gather(*tasks)
    return {"events_ok": counts["ok"], "events_failed": counts["failed"], "started": started_wall,
            "ended": ended_wall, "create_p50_ms": _pct(latencies, 0.5),
            "create_p99_ms": _pct(latencies, 0.99)}  # fmt: skip


def _stats(receiver: str) -> tuple[list[list[Any]], int]:
    data = httpx.get(receiver + "/stats", timeout=30).json()
    return data["records"], data["unparsed"]


def _drain(receiver: str, expected: int) -> dict[str, Any]:
    """Wait for `expected` deliveries; the rate from the first receipt to the last."""
    deadline = time.time() + 180
    records, _ = _stats(receiver)
    while len(records) < expected and time.time() < deadline:
        time.sleep(0.5)
        records, _ = _stats(receiver)
    times = sorted(r[0] for r in records)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    return {"deliveries": len(records), "expected": expected, "seconds": round(span, 2),
            "deliveries_per_second": round(len(records) / span, 1) if span else None}  # fmt: skip


def run_rate(base: str, headers: dict[str, str], receiver: str, hooks: int, rate: float,
             seconds: float) -> dict[str, Any]:  # fmt: skip
    httpx.post(receiver + "/reset", timeout=10)
    gen = asyncio.run(_generate(base, headers, rate, seconds, uuid.uuid4().hex[:8]))
    expected = gen["events_ok"] * hooks
    deadline = time.time() + 120
    records, unparsed = _stats(receiver)
    while len(records) < expected and time.time() < deadline:
        time.sleep(0.25)
        records, unparsed = _stats(receiver)
    last = max((r[0] for r in records), default=gen["ended"])
    window = gen["ended"] - gen["started"]
    in_window = sum(1 for r in records if gen["started"] <= r[0] <= gen["ended"])
    latencies = [(received - created) * 1000 for received, created, _ in records]
    return {
        "offered_events_per_second": rate, "offered_deliveries_per_second": rate * hooks,
        "hooks": hooks, "seconds": round(window, 2), **gen, "expected_deliveries": expected,
        "received": len(records), "unparsed": unparsed,
        "deliveries_per_second_during_load": round(in_window / window, 1) if window else None,
        "deliveries_per_second_overall": round(len(records) / (last - gen["started"]), 1)
        if records else None,
        "drain_seconds_after_last_event": round(max(0.0, last - gen["ended"]), 2),
        "latency_p50_ms": _pct(latencies, 0.5), "latency_p90_ms": _pct(latencies, 0.9),
        "latency_p99_ms": _pct(latencies, 0.99), "latency_max_ms": _pct(latencies, 1.0),
        "latency_mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
    }  # fmt: skip


def bench_webhooks(kind: str, url: str, serve_base: str, workdir: Any, cli: Any,
                   log: Any) -> dict[str, Any]:  # fmt: skip
    """`serve_base`: the running server (on SQLite its in-process worker delivers); on PostgreSQL
    a `coursegate worker` process is started here."""
    hooks = int(os.environ.get("BENCH_WEBHOOK_HOOKS", "20"))
    rates = [float(r) for r in os.environ.get("BENCH_WEBHOOK_RATES", "12.5,25,40").split(",") if r]
    seconds = float(os.environ.get("BENCH_WEBHOOK_SECONDS", "10"))
    workers = int(os.environ.get("BENCH_WEBHOOK_WORKERS", "1"))
    cli(url, "sites", "create", "hooks", "--sandbox", "--no-rate-limits")
    key = cli(url, "keys", "create", "--site", "hooks").strip().splitlines()[-1]
    headers = {"X-Auth-API-Key": key, "X-Auth-Subdomain": "hooks"}
    servers: list[Server] = []
    out: dict[str, Any] = {"database": kind, "hooks": hooks, "topic": "user.signup", "rates": []}
    try:
        port = free_port()
        receiver = Server("webhook receiver", python("-m", "bench.receiver", str(port)), child_env({}),
                          port, "/stats", workdir / f"receiver-{kind}.log")  # fmt: skip
        servers.append(receiver)
        with httpx.Client(base_url=serve_base, timeout=60) as client:
            for i in range(hooks):
                response = client.post("/api/v2/webhooks", headers=headers, json={
                    "topic": "user.signup", "target_url": f"{receiver.base}/h{i}"})  # fmt: skip
                response.raise_for_status()
        if kind == "postgresql":
            env = child_env({"COURSEGATE_DATABASE_URL": url, "COURSEGATE_LOG_LEVEL": "warning",
                             "COURSEGATE_AUTO_MIGRATE": "false"})  # fmt: skip
            env.pop("COURSEGATE_REDIS_URL", None)
            # Worker capacity alone: a backlog queued while no worker runs, then drained.
            httpx.post(receiver.base + "/reset", timeout=10)
            backlog = asyncio.run(
                _generate(serve_base, headers, 50, BACKLOG_EVENTS / 50, uuid.uuid4().hex[:8])
            )
            for n in range(workers):
                servers.append(Server("coursegate worker", python("-m", "coursegate", "worker"), env, 0,
                                      None, workdir / f"worker-{kind}-{n}.log"))  # fmt: skip
            out["backlog_drain"] = _drain(receiver.base, backlog["events_ok"] * hooks)
            log(f"  webhooks {kind:<10} backlog of {out['backlog_drain']['deliveries']} drained at "
                f"{out['backlog_drain']['deliveries_per_second']}/s")  # fmt: skip
            out["worker"] = f"{workers} `coursegate worker` process(es)"
        else:
            out["worker"] = "the in-process worker of `coursegate serve`"
        # Warm-up: a few events through the whole path (connections, caches).
        run_rate(serve_base, headers, receiver.base, hooks, 5, 1)
        for rate in rates:
            row = run_rate(serve_base, headers, receiver.base, hooks, rate, seconds)
            out["rates"].append(row)
            log(f"  webhooks {kind:<10} offered {row['offered_deliveries_per_second']:>6.0f}/s: "
                f"{row['deliveries_per_second_during_load']}/s during load, "
                f"p50 {row['latency_p50_ms']} ms, p99 {row['latency_p99_ms']} ms, "
                f"drain {row['drain_seconds_after_last_event']} s, "
                f"{row['received']}/{row['expected_deliveries']} received")  # fmt: skip
    finally:
        for server in servers:
            server.stop()
    return out
