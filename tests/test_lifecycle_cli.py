"""`coursegate simulate`, run as a user would run it, against the test database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"


def cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "COURSEGATE_DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "coursegate", *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


def ok(database_url: str, *args: str) -> Any:
    done = cli(database_url, *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip().startswith("{") else done.stdout


def test_simulate_commands(database_url: str) -> None:
    site = f"sim{uuid.uuid4().hex[:10]}"
    ok(database_url, "sites", "create", site, "--sandbox")
    ok(database_url, "seed", "--site", site, "--demo")
    lesson = ok(database_url, "simulate", "complete-lesson", "1", "--site", site, "--user", "alice@example.com")
    assert lesson["newly_completed"] is True
    assert lesson["events"][:2] == ["enrollment.started", "lesson.completed"]
    viewed = ok(database_url, "simulate", "view-course", "1", "--site", site, "--user", "alice@example.com")
    assert viewed["events"] == ["course.viewed"]

    frozen = ok(database_url, "simulate", "clock", "freeze", "--site", site)
    assert frozen["frozen"] is True
    advanced = ok(database_url, "simulate", "clock", "advance", "86400", "--site", site)
    assert advanced["advanced"]["from"] == frozen["now"]
    assert ok(database_url, "simulate", "clock", "show", "--site", site)["now"] == advanced["now"]
    assert ok(database_url, "simulate", "clock", "resume", "--site", site)["frozen"] is False
    swept = ok(database_url, "simulate", "sweep", "--site", site)
    assert set(swept[site]) == {"enrollments_expired", "certificates_expired", "chapters_released"}

    live = f"live{uuid.uuid4().hex[:10]}"
    ok(database_url, "sites", "create", live)
    refused = cli(database_url, "simulate", "clock", "freeze", "--site", live)
    assert refused.returncode == 1 and "sandbox" in refused.stderr
