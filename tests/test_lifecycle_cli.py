"""`coursegate simulate`, run as a user would run it, against the test database."""

from __future__ import annotations

import asyncio
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
    return subprocess.run(
        [sys.executable, "-m", "coursegate", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def ok(database_url: str, *args: str) -> Any:
    done = cli(database_url, *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip().startswith("{") else done.stdout


async def first_lesson_of_alice(database_url: str, subdomain: str) -> tuple[str, str]:
    """The uuid of the first course Alice (demo seed) is enrolled in, and of its first lesson."""
    from coursegate.domain import catalog, learning, people
    from coursegate.domain.context import Ctx
    from coursegate.domain.models import EnrollmentQuery
    from coursegate.platform import tenancy
    from coursegate.platform.clock import SystemClock
    from coursegate.store.database import Database

    db = Database(database_url, 1)
    try:
        site = await tenancy.get_site(db, subdomain)
        ctx = Ctx(db, site, SystemClock())
        alice = await people.find_user(ctx, "alice@example.com")
        page = await learning.list_enrollments(ctx, EnrollmentQuery(user_id=alice.id), 0, 1)
        course = await catalog.get_course(ctx, page.items[0].course_id)
        chapter = await catalog.get_chapter(ctx, course.chapter_ids[0])
        lesson = await catalog.get_lesson(ctx, chapter.lesson_ids[0])
        return course.uuid, lesson.uuid
    finally:
        await db.dispose()


def test_simulate_commands(database_url: str) -> None:
    site = f"sim{uuid.uuid4().hex[:10]}"
    ok(database_url, "sites", "create", site, "--sandbox")
    ok(database_url, "seed", "--site", site, "--demo")
    course_uuid, lesson_uuid = asyncio.run(first_lesson_of_alice(database_url, site))
    lesson = ok(
        database_url,
        "simulate",
        "complete-lesson",
        lesson_uuid,
        "--site",
        site,
        "--user",
        "alice@example.com",
    )
    assert lesson["newly_completed"] is True
    assert lesson["events"][:2] == ["enrollment.started", "lesson.completed"]
    viewed = ok(
        database_url,
        "simulate",
        "view-course",
        course_uuid,
        "--site",
        site,
        "--user",
        "alice@example.com",
    )
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
