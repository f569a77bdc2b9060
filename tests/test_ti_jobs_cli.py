"""`coursegate jobs resume` finishes what a stopped process left queued."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from typer.testing import CliRunner

from coursegate.domain import bulk, jobs
from coursegate.domain.context import Ctx
from coursegate.platform import tenancy
from coursegate.platform.cli import app
from coursegate.platform.clock import SiteClock, SystemClock
from coursegate.platform.settings import get_settings
from coursegate.store.database import Database


async def _queue_job(url: str, subdomain: str) -> str:
    db = Database(url, 2)
    try:
        site = await tenancy.create_site(
            db, SystemClock(), subdomain, sandbox=True, rate_limits=False
        )
        ctx = Ctx(db, site, SiteClock(SystemClock()))
        items = [
            {"index": i, "data": {"title": f"Queued {i}", "course_type": "course"}}
            for i in range(3)
        ]
        return (await jobs.create_job(ctx, bulk.COURSES, "Bulk course creation", items)).uuid
    finally:
        await db.dispose()


async def _job_status(url: str, subdomain: str, job_uuid: str) -> tuple[str, int]:
    db = Database(url, 2)
    try:
        site = await tenancy.get_site(db, subdomain)
        job = await jobs.get_job(Ctx(db, site, SiteClock(SystemClock())), job_uuid)
        return job.status, job.succeeded_count
    finally:
        await db.dispose()


def test_resume_command_finishes_queued_jobs(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    subdomain = f"jobs{uuid.uuid4().hex[:10]}"
    job_uuid = asyncio.run(_queue_job(database_url, subdomain))
    monkeypatch.setenv("COURSEGATE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        shown = runner.invoke(app, ["jobs", "show", job_uuid, "--site", subdomain])
        assert shown.exit_code == 0 and "queued processed=0/3" in shown.output
        resumed = runner.invoke(app, ["jobs", "resume", "--site", subdomain])
        assert resumed.exit_code == 0, resumed.output
        assert asyncio.run(_job_status(database_url, subdomain, job_uuid)) == ("complete", 3)
        missing = runner.invoke(app, ["jobs", "show", str(uuid.uuid4()), "--site", subdomain])
        assert missing.exit_code == 1
    finally:
        get_settings.cache_clear()
