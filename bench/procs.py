"""Child processes the bench starts: servers on free ports, and their memory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env(extra: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, **extra}
    src = str(ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


class Server:
    """A server process, started on a free port and stopped (only it) on exit."""

    def __init__(self, label: str, argv: Sequence[str], env: dict[str, str], port: int,
                 ready_path: str | None = "/", log: Path | None = None) -> None:  # fmt: skip
        self.label = label
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in stop()
        self._out = out
        # Its own process group: `npx` runs Prism as a child, which must stop with it.
        self.proc = subprocess.Popen(
            list(argv),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
        self._wait_ready(ready_path)

    def _wait_ready(self, path: str | None, timeout: float = 90.0) -> None:
        if path is None:  # no HTTP to ask: it is up if it has not exited after a moment
            time.sleep(2.0)
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.label} exited with {self.proc.returncode} (log: {self.log})"
                )
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.label} exited with {self.proc.returncode} (log: {self.log})"
                )
            try:
                httpx.get(self.base + path, timeout=2.0)
                return
            except httpx.HTTPError:
                time.sleep(0.25)
        raise RuntimeError(f"{self.label} did not answer within {timeout}s (log: {self.log})")

    def rss_mb(self) -> float | None:
        """Resident memory of the server process and its children, in MB."""
        total = 0
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return round(total / 1024, 1) if total else None

    def stop(self) -> None:
        # Signal the group this server was started in (and only it): the server, its children.
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                continue
            time.sleep(0.5)  # grandchildren (node under npx) stop after their parent
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                break
        if self._out is not subprocess.DEVNULL:
            self._out.close()


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) the process has used so far; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    found = [int(p) for p in text.split()]
    return found + [g for c in found for g in _children(c)]


def python(*args: str) -> list[str]:
    return [sys.executable, *args]
