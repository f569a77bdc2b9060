"""Where a served request's CPU goes: `coursegate serve` as users run it, under wrk, sampled by
py-spy. `bench.cpu` calls the app in process (no sockets, no uvicorn, best of 20 batches); this
looks at the real server, where the numbers differ (the SQLite share of a request, say).

    COURSEGATE_DATABASE_URL=... python -m bench.profile KEY PATH [--seconds N] [--top N]

KEY is an API key of a seeded site (`coursegate seed`), PATH a request path (both dialects take
`Authorization: Bearer KEY`). Prints the rate, the server's CPU per request (from /proc) and the
functions with the most samples: by line where the time is their own, by function including
what they call.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import load
from bench.procs import Server, child_env, cpu_seconds, free_port, python

WARM_SECONDS = 2
SAMPLES_PER_SECOND = 500
# py-spy frames read "function (path:line)"; paths are shortened to what follows these.
_SHORTEN = re.compile(r"\(/\S*?/(?:site-packages|src|lib/python3\.\d+)/")


def _frames(stack: str) -> list[str]:
    return [_SHORTEN.sub("(", frame) for frame in stack.split(";")]


def _without_line(frame: str) -> str:
    return re.sub(r":\d+\)$", ")", frame)


def summarise(raw: str, top: int) -> str:
    """The collapsed stacks py-spy wrote, as the functions taking the most samples."""
    own: Counter[str] = Counter()
    within: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = _frames(stack)
        own[frames[-1]] += n
        for frame in {_without_line(f) for f in frames}:
            within[frame] += n
    if not total:
        return "no samples (is py-spy allowed to read the process? it needs ptrace)"
    lines = [f"{total} samples", "", "own time (by line):"]
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in own.most_common(top)]
    lines += ["", "including callees (by function):"]
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in within.most_common(top)]
    return "\n".join(lines)


def profile(url: str, key: str, path: str, seconds: int, top: int) -> str:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        raise SystemExit("py-spy is not installed (it is in the dev extras: make install)")
    env = child_env({"COURSEGATE_DATABASE_URL": url, "COURSEGATE_LOG_LEVEL": "warning",
                     "COURSEGATE_AUTO_MIGRATE": "false"})  # fmt: skip
    port = free_port()
    server = Server("coursegate serve", python("-m", "coursegate", "serve", "--port", str(port)),
                    env, port, "/healthz")  # fmt: skip
    request = load.Request("GET", path, {"Authorization": f"Bearer {key}"})
    try:
        load.run(server.base, request, WARM_SECONDS, "warm")
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "stacks.txt"
            spy_argv = [spy, "record", "--pid", str(server.proc.pid), "--duration", str(seconds),
                        "--rate", str(SAMPLES_PER_SECOND), "--format", "raw", "--nonblocking",
                        "--output", str(out)]  # fmt: skip
            before = cpu_seconds(server.proc.pid) or 0.0
            spying = subprocess.Popen(spy_argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(0.5)  # py-spy attaches before the load starts
            result = load.run(server.base, request, seconds, "profiled")
            used = (cpu_seconds(server.proc.pid) or before) - before
            _, err = spying.communicate(timeout=seconds + 60)
            if spying.returncode != 0 or not out.exists():
                raise SystemExit(f"py-spy failed: {err.decode(errors='replace').strip()}")
            stacks = out.read_text()
    finally:
        server.stop()
    per_request = used / max(result.requests, 1) * 1e6
    head = (
        f"{path}: {result.requests_per_second:.0f} req/s ({result.tool}), "
        f"server CPU {per_request:.0f} us per request"
    )
    return head + "\n\n" + summarise(stacks, top)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("key")
    parser.add_argument("path")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("COURSEGATE_DATABASE_URL")
    if not url:
        raise SystemExit(__doc__)
    print(profile(url, args.key, args.path, args.seconds, args.top))


if __name__ == "__main__":
    main()
