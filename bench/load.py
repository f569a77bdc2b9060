"""Load generation: wrk with a generated Lua script, or (when wrk is missing) the labelled
httpx+asyncio fallback in `bench.loadgen`, run in its own process."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

THREADS = 2
CONNECTIONS = 32


@dataclass
class Request:
    """What each request sends. `body` may hold `{user}` (next id of `users`, distinct per
    request across threads) and `{n}` (a per-request unique token)."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    users: list[int] = field(default_factory=list)
    # When set, request k goes to paths[k % len(paths)] (e.g. the pages of a cursor walk).
    paths: list[str] = field(default_factory=list)


@dataclass
class Result:
    tool: str
    requests_per_second: float
    requests: int
    non_2xx: int
    errors: int
    p50_ms: float | None
    p99_ms: float | None


def tool_name() -> str:
    return "wrk" if shutil.which("wrk") else "httpx-asyncio fallback (bench.loadgen)"


def _lua(req: Request, tag: str) -> str:
    headers = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in req.headers.items())
    users = ", ".join(str(u) for u in req.users)
    body = json.dumps(req.body) if req.body is not None else "nil"
    paths = ", ".join(json.dumps(p) for p in req.paths)
    return f"""
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local headers = {{{headers}}}
local users = {{{users}}}
local paths = {{{paths}}}
local counter = 0
function request()
  counter = counter + 1
  local body = {body}
  if body ~= nil then
    local k = (counter - 1) * {THREADS} + tid + 1
    if #users > 0 then body = body:gsub("{{user}}", tostring(users[((k - 1) % #users) + 1])) end
    body = body:gsub("{{n}}", "{tag}-" .. tid .. "-" .. counter)
  end
  local path = {json.dumps(req.path)}
  if #paths > 0 then path = paths[((counter - 1) * {THREADS} + tid) % #paths + 1] end
  return wrk.format({json.dumps(req.method)}, path, headers, body)
end
"""


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run(base: str, req: Request, seconds: int, tag: str) -> Result:
    if not shutil.which("wrk"):
        return _fallback(base, req, seconds, tag)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(req, tag))
    try:
        out = subprocess.run(
            ["wrk", "--timeout", "30s", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", script.name,
             base + req.path],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout  # fmt: skip
    finally:
        Path(script.name).unlink(missing_ok=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    p50 = re.search(r"\s50%\s+(\S+)", out)
    p99 = re.search(r"\s99%\s+(\S+)", out)
    return Result(
        tool="wrk",
        requests_per_second=rps,
        requests=total,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        errors=sum(int(g) for g in socket_errors.groups()) if socket_errors else 0,
        p50_ms=_ms(p50.group(1)) if p50 else None,
        p99_ms=_ms(p99.group(1)) if p99 else None,
    )


def _fallback(base: str, req: Request, seconds: int, tag: str) -> Result:
    payload = {"base": base, "req": req.__dict__, "seconds": seconds, "tag": tag,
               "connections": CONNECTIONS}  # fmt: skip
    out = subprocess.run([sys.executable, "-m", "bench.loadgen"], input=json.dumps(payload),
                         capture_output=True, text=True, check=True, timeout=seconds + 120).stdout  # fmt: skip
    data: dict[str, Any] = json.loads(out)
    return Result(tool=tool_name(), **data)
