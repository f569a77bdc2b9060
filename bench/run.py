"""The benchmark run: for each database, seed a site, serve it with `coursegate serve`, drive
each scenario with wrk (median of N runs), then measure the baselines on the same data.

Environment: BENCH_SCALE (small|modest|full, default modest), BENCH_DURATION (seconds per
run, default 5), BENCH_REPEATS (default 3), BENCH_DATABASES (default "sqlite,postgresql"),
BENCH_POSTGRES_ADMIN (default postgresql://postgres@127.0.0.1:5432/postgres),
BENCH_PRISM (1 to measure Stoplight Prism, default 1), BENCH_ONLY (groups to run, comma separated:
reads = the request scenarios and their baselines, workers = `serve --workers 2` vs 1 on
PostgreSQL, webhooks = delivery throughput and latency; default all), and the BENCH_WEBHOOK_*
variables of `bench.hooks`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import load
from bench.baselines import statement_costs
from bench.hooks import bench_webhooks
from bench.procs import ROOT, Server, _children, child_env, cpu_seconds, free_port, python
from bench.report import write_reports

SCALES = {
    "small": {"users": 2_000, "courses": 50, "lessons_per_course": 10, "enrollments": 10_000, "events": 20_000},
    "modest": {"users": 20_000, "courses": 400, "lessons_per_course": 20, "enrollments": 200_000,
               "events": 400_000},
    "full": {"users": 100_000, "courses": 2_000, "lessons_per_course": 20, "enrollments": 1_000_000,
             "events": 2_000_000},
}  # fmt: skip
SPEC = Path(
    os.environ.get("BENCH_THINKIFIC_SPEC", "/work/shared/specs/thinkific-admin-api-openapi.yml")
)
TK = "/api/public/v1"
TI = "/incoming/v2"
PAGE = 25
DEPTH = 0.9  # deep pages sit at 90% of the listing
GROUPS = ("reads", "workers", "webhooks")
WALK_PAGES = 20  # pages of the TI event-feed walk


@dataclass
class Scenario:
    name: str
    dialect: str
    request: load.Request
    # Compared with baseline (b), the same SQL through the raw driver (every read scenario).
    listing: bool = False
    before_each: Any = None  # called before each run (e.g. a fresh course to enroll into)
    runs: list[load.Result] = field(default_factory=list)

    @property
    def median_rps(self) -> float:
        return statistics.median(r.requests_per_second for r in self.runs) if self.runs else 0.0


def log(message: str) -> None:
    print(
        f"[bench {datetime.now(UTC).strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True
    )


def cli(url: str, *args: str) -> str:
    env = child_env({"COURSEGATE_DATABASE_URL": url})
    done = subprocess.run(python("-m", "coursegate", *args), env=env, cwd=ROOT, capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"coursegate {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def prepare(kind: str, workdir: Path) -> tuple[str, Any]:
    """A fresh database: returns (url, cleanup)."""
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{workdir / 'bench.db'}", lambda: None
    name = f"coursegate_bench_{uuid.uuid4().hex[:10]}"
    _admin_sql(f'CREATE DATABASE "{name}"')
    base = ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}", lambda: _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


ADMIN = os.environ.get("BENCH_POSTGRES_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin_sql(sql: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(ADMIN)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


def settle(kind: str) -> None:
    """After the bulk seed, write PostgreSQL's dirty buffers out (CHECKPOINT) before measuring:
    otherwise the checkpoint of the ~600k rows just loaded runs during the first scenarios and
    takes CPU from them (enrollments page 1: 773-825 req/s right after a seed, 966 after)."""
    if kind != "postgresql":
        return
    try:
        _admin_sql("CHECKPOINT")
    except Exception as exc:  # e.g. an admin role without pg_checkpoint: measured as it is
        log(f"postgresql: CHECKPOINT refused ({exc}); measuring without it")


class Api:
    """A few setup calls to the served site (to find ids and build scenario inputs)."""

    def __init__(self, base: str, key: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=60)
        self.tk_headers = {"X-Auth-API-Key": key, "X-Auth-Subdomain": "bench"}
        self.ti_headers = {"Authorization": f"Bearer {key}"}

    def tk(self, path: str) -> Any:
        response = self.client.get(TK + path, headers=self.tk_headers)
        response.raise_for_status()
        return response.json()

    def ti(self, method: str, path: str, body: Any = None) -> Any:
        response = self.client.request(method, TI + path, headers=self.ti_headers, json=body)
        response.raise_for_status()
        data = response.json()
        return next(iter(data["data"].values())) if isinstance(data.get("data"), dict) else data


def scenarios(api: Api) -> list[Scenario]:
    from coursegate.dialects.thoughtindustries.paging import encode_cursor

    tk_h = {**api.tk_headers, "Content-Type": "application/json"}
    ti_h = {**api.ti_headers, "Content-Type": "application/json"}
    first_users = api.tk("/users?limit=1")
    user = first_users["items"][0]
    user_total = first_users["meta"]["pagination"]["total_items"]
    enrollment_total = api.tk("/enrollments?limit=1")["meta"]["pagination"]["total_items"]
    deep_enrollments = max(1, int(enrollment_total / PAGE * DEPTH))
    deep_users = max(1, int(user_total / PAGE * DEPTH))
    before_deep = (
        api.tk(f"/users?page={deep_users - 1}&limit={PAGE}")["items"] if deep_users > 1 else []
    )
    cursor = encode_cursor({"i": before_deep[-1]["id"]}) if before_deep else ""
    ti_user = api.ti("GET", "/users?perPage=1")["users"][0]
    search = api.ti("GET", "/content?types=course&perPage=1")["contentItems"][0]
    enrollable: list[int] = []
    page = 1
    while len(enrollable) < 6000:
        items = api.tk(f"/users?limit=250&page={page}")["items"]
        if not items:
            break
        enrollable += [u["id"] for u in items]
        page += 1
    enroll = load.Request("POST", TK + "/enrollments", tk_h, '{"user_id": {user}, "course_id": COURSE}',
                          enrollable)  # fmt: skip

    def fresh_course() -> None:
        """Each run enrolls the users into a course of its own, so no pair repeats."""
        api.ti(
            "POST",
            "/courses",
            {"title": f"Bench target {uuid.uuid4().hex[:8]}", "courseType": "course"},
        )
        total = api.tk("/courses?limit=1")["meta"]["pagination"]["total_items"]
        newest = api.tk(f"/courses?page={total}&limit=1")["items"][0]
        enroll.body = '{"user_id": {user}, "course_id": ' + str(newest["id"]) + "}"

    # Thought Industries events of one user in a date window, and a walk of a feed by cursor.
    first_event = api.ti("GET", f"/events/courseAction?perPage={PAGE}")["events"][0]
    ti_uid = first_event["userDetail"]["id"]
    own = api.ti("GET", f"/events/courseAction?userId={ti_uid}&perPage=100")["events"]
    stamps = sorted(e["timestamp"] for e in own)
    window = f"startDate={stamps[len(stamps) // 4]}&endDate={stamps[-1]}"
    walk = [f"{TI}/events/courseAction?perPage={PAGE}"]
    for _ in range(WALK_PAGES - 1):
        info = api.ti("GET", walk[-1][len(TI) :])["pageInfo"]
        if not info.get("hasMore"):
            break
        walk.append(f"{TI}/events/courseAction?perPage={PAGE}&cursor={info['cursor']}")

    return [
        Scenario("keyed GET user", "thinkific", load.Request("GET", f"{TK}/users/{user['id']}", tk_h),
                 listing=True),
        Scenario("keyed GET course", "thoughtindustries", load.Request("GET", f"{TI}/courses/{search['id']}", ti_h),
                 listing=True),
        Scenario("enrollments page 1", "thinkific", load.Request("GET", f"{TK}/enrollments?limit={PAGE}", tk_h),
                 listing=True),
        Scenario(f"enrollments page {deep_enrollments}", "thinkific",
                 load.Request("GET", f"{TK}/enrollments?page={deep_enrollments}&limit={PAGE}", tk_h), listing=True),
        Scenario("users page 1", "thinkific", load.Request("GET", f"{TK}/users?limit={PAGE}", tk_h), listing=True),
        Scenario(f"users page {deep_users}", "thinkific",
                 load.Request("GET", f"{TK}/users?page={deep_users}&limit={PAGE}", tk_h), listing=True),
        Scenario("users first page", "thoughtindustries", load.Request("GET", f"{TI}/users?perPage={PAGE}", ti_h),
                 listing=True),
        Scenario(f"users cursor at page {deep_users}", "thoughtindustries",
                 load.Request("GET", f"{TI}/users?perPage={PAGE}&cursor={cursor}", ti_h), listing=True),
        Scenario("users query[email]", "thinkific",
                 load.Request("GET", f"{TK}/users?query%5Bemail%5D={user['email']}", tk_h), listing=True),
        Scenario("users email=", "thoughtindustries", load.Request("GET", f"{TI}/users?email={ti_user['email']}", ti_h),
                 listing=True),
        Scenario("content search query=python", "thoughtindustries",
                 load.Request("GET", f"{TI}/content?types=course&query=python&perPage={PAGE}", ti_h), listing=True),
        Scenario("events userId + date window", "thoughtindustries",
                 load.Request("GET", f"{TI}/events/courseAction?userId={ti_uid}&{window}&perPage={PAGE}", ti_h),
                 listing=True),
        Scenario("events feed page 1", "thoughtindustries", load.Request("GET", walk[0], ti_h), listing=True),
        Scenario(f"event-feed walk ({len(walk)} pages)", "thoughtindustries",
                 load.Request("GET", walk[0], ti_h, paths=walk)),
        Scenario("enrollment create", "thinkific", enroll, before_each=fresh_course),
        Scenario("course create", "thoughtindustries",
                 load.Request("POST", f"{TI}/courses", ti_h, '{"title": "Bench course {n}", "courseType": "course"}')),
    ]  # fmt: skip


def capture_sql(url: str, key: str, chosen: list[Scenario]) -> dict[str, list[tuple[str, Any]]]:
    """The SELECT statements coursegate runs for each scenario's request, with parameters."""
    from sqlalchemy import event

    from coursegate.platform.app import create_app
    from coursegate.platform.settings import Settings
    from coursegate.store.database import Database

    async def run() -> dict[str, list[tuple[str, Any]]]:
        db = Database(url, 2)
        seen: list[tuple[str, Any]] = []

        def listen(
            _conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool
        ) -> None:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                seen.append((statement, tuple(parameters or ())))

        # One listener per pool: PostgreSQL's reader is the writer seen with other options,
        # and events on it reach the writer's listeners too.
        for engine in {id(e.sync_engine.pool): e for e in (db.writer, db.reader)}.values():
            event.listen(engine.sync_engine, "before_cursor_execute", listen)
        app = create_app(
            Settings(database_url=url, auto_migrate=False, rate_limits_enabled=False), database=db
        )
        routes: dict[str, list[tuple[str, Any]]] = {}
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench"
        ) as client:
            for s in chosen:
                # Warm: the first request records the key's use, a write that ends the key
                # lookup's cached entry (platform/auth_cache.py); the second caches it again.
                # What is captured is then what a request of a steady load runs.
                for _ in range(2):
                    await client.get(s.request.path, headers=s.request.headers)
                seen.clear()
                response = await client.get(s.request.path, headers=s.request.headers)
                response.raise_for_status()
                routes[route_of(s)] = list(seen)
        await db.dispose()
        return routes

    return asyncio.run(run())


def route_of(s: Scenario) -> str:
    return "/s/" + "".join(c if c.isalnum() else "-" for c in f"{s.dialect}-{s.name}")


def measure(target: str, s: Scenario, base: str, path: str, seconds: int, repeats: int,
            server: Server | None = None) -> dict[str, Any]:  # fmt: skip
    runs: list[load.Result] = []
    rss: list[float] = []
    for n in range(repeats):
        if s.before_each is not None:
            s.before_each()
        req = load.Request(
            s.request.method,
            path,
            s.request.headers,
            s.request.body,
            s.request.users,
            s.request.paths,
        )
        runs.append(load.run(base, req, seconds, f"{uuid.uuid4().hex[:6]}{n}"))
        if server is not None and (value := server.rss_mb()) is not None:
            rss.append(value)
    rps = statistics.median(r.requests_per_second for r in runs)
    log(f"  {target:<28} {s.dialect:<17} {s.name:<34} {rps:>9.1f} req/s")
    return {
        "target": target, "scenario": s.name, "dialect": s.dialect, "path": s.request.path,
        "median_rps": rps, "runs": [asdict(r) for r in runs], "max_rss_mb": max(rss) if rss else None,
        "non_2xx": sum(r.non_2xx for r in runs), "errors": sum(r.errors for r in runs),
    }  # fmt: skip


def bench_database(
    kind: str, scale: dict[str, int], seconds: int, repeats: int, workdir: Path, groups: set[str]
) -> dict[str, Any]:
    url, cleanup = prepare(kind, workdir)
    section: dict[str, Any] = {"database": kind, "measurements": []}
    servers: list[Server] = []
    try:
        cli(url, "migrate")
        cli(url, "sites", "create", "bench", "--no-rate-limits")
        log(f"{kind}: seeding {scale}")
        started = time.perf_counter()
        cli(
            url,
            "seed",
            "--site",
            "bench",
            *[f"--{k.replace('_', '-')}={v}" for k, v in scale.items()],
        )
        section["seed_seconds"] = round(time.perf_counter() - started, 1)
        log(f"{kind}: seeded in {section['seed_seconds']}s")
        settle(kind)
        key = cli(url, "keys", "create", "--site", "bench").strip().splitlines()[-1]
        env = child_env({"COURSEGATE_DATABASE_URL": url, "COURSEGATE_LOG_LEVEL": "warning",
                         "COURSEGATE_AUTO_MIGRATE": "false", "COURSEGATE_REDIS_URL": ""})  # fmt: skip
        env.pop("COURSEGATE_REDIS_URL")
        port = free_port()
        server = Server("coursegate serve", python("-m", "coursegate", "serve", "--port", str(port)), env, port,
                        "/healthz", workdir / f"serve-{kind}.log")  # fmt: skip
        servers.append(server)
        api = Api(server.base, key)
        section["idle_rss_mb"] = server.rss_mb()
        if "reads" in groups:
            bench_reads(kind, url, key, api, server, section, seconds, repeats, workdir, servers)
        if "workers" in groups and kind == "postgresql":
            section["processes"] = bench_processes(
                env, api, server, seconds, repeats, workdir, servers
            )
        if "webhooks" in groups:
            section["webhooks"] = bench_webhooks(kind, url, server.base, workdir, cli, log)
    finally:
        for server in servers:
            server.stop()
        cleanup()
    return section


def bench_reads(kind: str, url: str, key: str, api: Api, server: Server, section: dict[str, Any],
                seconds: int, repeats: int, workdir: Path, servers: list[Server]) -> None:  # fmt: skip
    """The read scenarios against coursegate, baselines (a) and (b) on the same data, then the
    write scenarios. Writes last: the courses and enrollments they add would otherwise be in
    the data the baselines read (a content search's baseline scanned ~3,000 courses where
    coursegate had scanned 400)."""
    chosen = scenarios(api)
    writes = [s for s in chosen if s.request.method != "GET"]
    for s in [s for s in chosen if s.request.method == "GET"]:
        row = measure("coursegate", s, server.base, s.request.path, seconds, repeats, server)
        section["measurements"].append(row)
    section["feed_walk"] = timed_walk(api)

    # The cursor walk rotates through many pages: no single body or statement list stands for it.
    gets = [s for s in chosen if s.request.method == "GET" and not s.request.paths]
    bodies = {
        route_of(s): api.client.get(s.request.path, headers=s.request.headers).content for s in gets
    }
    routes = capture_sql(url, key, [s for s in chosen if s.listing])
    spec_file = workdir / f"baselines-{kind}.pickle"
    spec_file.write_bytes(pickle.dumps({"bodies": bodies, "routes": routes, "url": url}))
    section["captured_sql"] = {r: [sql for sql, _ in stmts] for r, stmts in routes.items()}
    costs = statement_costs(url, routes)
    names = {route_of(s): (s.dialect, s.name) for s in chosen}
    section["statement_costs"] = [
        {"dialect": names[r][0], "scenario": names[r][1], "statements": rows}
        for r, rows in costs.items()
    ]
    for label, kind_arg, members in (("(a) raw ASGI bytes", "bytes", gets),
                                     ("(b) raw driver + orjson", "driver", [s for s in chosen if s.listing])):  # fmt: skip
        port = free_port()
        base = Server(label, python("-m", "bench.baselines", kind_arg, str(spec_file), str(port)),
                      child_env({}), port, "/", workdir / f"{kind_arg}-{kind}.log")  # fmt: skip
        servers.append(base)
        try:
            for s in members:
                plain = Scenario(
                    s.name, s.dialect, load.Request("GET", route_of(s), s.request.headers)
                )
                row = measure(label, plain, base.base, route_of(s), seconds, repeats)
                row["path"] = s.request.path
                section["measurements"].append(row)
        finally:
            base.stop()
    for s in writes:
        row = measure("coursegate", s, server.base, s.request.path, seconds, repeats, server)
        section["measurements"].append(row)
    section["rss_after_load_mb"] = server.rss_mb()


def timed_walk(api: Api, walks: int = 5) -> dict[str, Any]:
    """One client walking the TI `courseAction` feed by cursor, each page after the previous
    one answered (so this is latency, not throughput): the median of `walks` walks."""
    totals: list[float] = []
    pages = 0
    for _ in range(walks):
        path = f"/events/courseAction?perPage={PAGE}"
        started = time.perf_counter()
        pages = 0
        while pages < WALK_PAGES:
            info = api.ti("GET", path)["pageInfo"]
            pages += 1
            if not info.get("hasMore"):
                break
            path = f"/events/courseAction?perPage={PAGE}&cursor={info['cursor']}"
        totals.append((time.perf_counter() - started) * 1000)
    total = statistics.median(totals)
    row = {"feed": "courseAction", "per_page": PAGE, "pages": pages, "walks": walks,
           "median_walk_ms": round(total, 1), "ms_per_page": round(total / pages, 2),
           "all_walks_ms": [round(t, 1) for t in totals]}  # fmt: skip
    log(
        f"  feed walk: {pages} pages x {PAGE} in {row['median_walk_ms']} ms ({row['ms_per_page']} ms/page)"
    )
    return row


def _cpu_of_children(server: Server) -> dict[int, float]:
    """CPU seconds (user + system) of each child of the server (the uvicorn worker processes)."""
    used = {pid: cpu_seconds(pid) for pid in _children(server.proc.pid)}
    return {pid: seconds for pid, seconds in used.items() if seconds is not None}


def bench_processes(env: dict[str, str], api: Api, one: Server, seconds: int, repeats: int,
                    workdir: Path, servers: list[Server]) -> dict[str, Any]:  # fmt: skip
    """The same reads against `serve --workers 2` and the running one-process server,
    alternated run by run so both see the same background load."""
    port = free_port()
    two = Server("coursegate serve --workers 2",
                 python("-m", "coursegate", "serve", "--port", str(port), "--workers", "2"), env, port,
                 "/healthz", workdir / "serve-2.log")  # fmt: skip
    servers.append(two)
    h = {**api.tk_headers, "Content-Type": "application/json"}
    user = api.tk("/users?limit=1")["items"][0]["id"]
    rows: list[dict[str, Any]] = []
    try:
        for name, path in (("users page 1", f"{TK}/users?limit={PAGE}"),
                           ("keyed GET user", f"{TK}/users/{user}")):  # fmt: skip
            s = Scenario(name, "thinkific", load.Request("GET", path, h))
            for server in (one, two):  # warm both (statement caches, pools) before timing
                load.run(server.base, s.request, 2, "warm")
            runs: dict[str, list[dict[str, Any]]] = {"1": [], "2": []}
            shares: list[list[float]] = []
            for _ in range(repeats):
                runs["1"].append(measure("serve --workers 1", s, one.base, path, seconds, 1, one))
                before = _cpu_of_children(two)
                runs["2"].append(measure("serve --workers 2", s, two.base, path, seconds, 1, two))
                spent = [
                    after - before.get(pid, 0.0) for pid, after in _cpu_of_children(two).items()
                ]
                shares.append([round(x, 2) for x in sorted(spent, reverse=True)])
            one_rps = statistics.median(r["median_rps"] for r in runs["1"])
            two_rps = statistics.median(r["median_rps"] for r in runs["2"])
            rows.append({"scenario": name, "path": path, "workers_1_rps": one_rps,
                         "workers_2_rps": two_rps, "ratio": round(two_rps / one_rps, 2) if one_rps else None,
                         "cpu_seconds_per_process_2": shares, "runs": runs})  # fmt: skip
            log(f"  {name}: 1 process {one_rps:.0f} req/s, 2 processes {two_rps:.0f} req/s "
                f"({rows[-1]['ratio']}x)")  # fmt: skip
    finally:
        two.stop()
    return {"rows": rows, "load_average_after": os.getloadavg()}


def bench_prism(seconds: int, repeats: int, workdir: Path) -> dict[str, Any]:
    port = free_port()
    argv = [
        "npx",
        "--yes",
        "@stoplight/prism-cli",
        "mock",
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        str(SPEC),
    ]
    try:
        prism = Server("prism", argv, child_env({}), port, "/users", workdir / "prism.log")
    except (RuntimeError, OSError) as exc:
        log(f"prism unavailable: {exc}")
        return {"available": False, "reason": str(exc)}
    try:
        version = subprocess.run(["npx", "--yes", "@stoplight/prism-cli", "--version"], capture_output=True,
                                 text=True, check=False).stdout.strip()  # fmt: skip
        headers = {"X-Auth-API-Key": "any", "X-Auth-Subdomain": "bench"}
        rows = [measure("(c) Stoplight Prism mock", Scenario(name, "thinkific", load.Request("GET", path, headers)),
                        prism.base, path, seconds, repeats)
                for name, path in (("enrollments page 1", "/enrollments"), ("keyed GET user", "/users/1"))]  # fmt: skip
        return {"available": True, "version": version, "measurements": rows}
    finally:
        prism.stop()


def environment() -> dict[str, Any]:
    import importlib.metadata as md
    import sqlite3

    def version(name: str) -> str | None:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return None

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "0")  # fmt: skip
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip())  # fmt: skip
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0] \
        if load.tool_name() == "wrk" else None  # fmt: skip
    pg = None
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"],
                            capture_output=True, text=True, timeout=10).stdout.strip() or None  # fmt: skip
    return {
        "machine": {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(int(mem) / 1024 / 1024, 1),
                    "os": platform.platform()},
        "versions": {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "postgresql": pg,
                     **{n: version(n) for n in ("coursegate", "fastapi", "starlette", "sqlalchemy", "asyncpg",
                                                "aiosqlite", "uvicorn", "uvloop", "httptools", "orjson")},
                     "load_generator": wrk or load.tool_name()},
        "commit": commit + ("+dirty" if dirty else ""),
    }  # fmt: skip


def main() -> None:
    scale_name = os.environ.get("BENCH_SCALE", "modest")
    scale = SCALES[scale_name]
    seconds = int(os.environ.get("BENCH_DURATION", "5"))
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    kinds = [
        k.strip()
        for k in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
        if k.strip()
    ]
    groups = {
        g.strip() for g in os.environ.get("BENCH_ONLY", ",".join(GROUPS)).split(",") if g.strip()
    }
    if unknown := groups - set(GROUPS):
        raise SystemExit(f"BENCH_ONLY: unknown group(s) {sorted(unknown)}; known: {GROUPS}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results: dict[str, Any] = {
        "started_at": stamp, "scale_name": scale_name, "scale": scale, "seconds_per_run": seconds,
        "repeats": repeats, "groups": sorted(groups), "load_average_start": os.getloadavg(), "threads": load.THREADS, "connections": load.CONNECTIONS, **environment(),
        "databases": [],
    }  # fmt: skip
    log(
        f"scale {scale_name}, {repeats} x {seconds}s per measurement, load by {results['versions']['load_generator']}"
    )
    with tempfile.TemporaryDirectory(prefix="coursegate-bench-") as tmp:
        workdir = Path(tmp)
        for kind in kinds:
            results["databases"].append(
                bench_database(kind, scale, seconds, repeats, workdir, groups)
            )
        if os.environ.get("BENCH_PRISM", "1") == "1" and "reads" in groups:
            results["prism"] = bench_prism(seconds, repeats, workdir)
    out = ROOT / "bench" / "results"
    json_path, md_path = write_reports(results, out, stamp)
    log(f"wrote {json_path} and {md_path}")
    print(md_path.read_text())
