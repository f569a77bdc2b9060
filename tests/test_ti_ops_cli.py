"""`coursegate ti feature` and `coursegate ti meeting` against the test database."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from coursegate.domain import meetings
from coursegate.domain.context import Ctx
from coursegate.platform import cli, tenancy
from coursegate.platform.clock import SiteClock, SystemClock
from coursegate.platform.settings import get_settings
from coursegate.store.database import Database
from tests import builders


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("COURSEGATE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def _in_site(url: str, subdomain: str, work: Any) -> Any:
    async def main() -> Any:
        db = Database(url, 2)
        try:
            site = await tenancy.get_site(db, subdomain)
            return await work(Ctx(db, site, SiteClock(SystemClock())))
        finally:
            await db.dispose()

    return asyncio.run(main())


def test_feature_flag_and_meeting_commands(cli_env: str) -> None:
    runner = CliRunner()
    subdomain = f"cli{uuid.uuid4().hex[:10]}"
    assert runner.invoke(cli.app, ["sites", "create", subdomain]).exit_code == 0
    on = runner.invoke(cli.app, ["ti", "feature", "--site", subdomain, "externalActivity"])
    assert on.exit_code == 0, on.output

    async def profile(ctx: Ctx) -> Any:
        return ctx.site.profile

    assert _in_site(cli_env, subdomain, profile) == {
        "thoughtindustries": {"features": {"externalActivity": True}}
    }
    off = runner.invoke(
        cli.app, ["ti", "feature", "--site", subdomain, "externalActivity", "--off"]
    )
    assert off.exit_code == 0
    assert (
        _in_site(cli_env, subdomain, profile)["thoughtindustries"]["features"]["externalActivity"]
        is False
    )
    unknown = runner.invoke(cli.app, ["ti", "feature", "--site", subdomain, "teleportation"])
    assert unknown.exit_code != 0

    async def make_course(ctx: Ctx) -> str:
        return (await builders.course(ctx)).slug

    slug = _in_site(cli_env, subdomain, make_course)
    args = [
        "ti",
        "meeting",
        "--site",
        subdomain,
        "--course",
        slug,
        "--title",
        "Kickoff",
        "--start",
        "2026-06-01T09:00:00Z",
        "--end",
        "2026-06-01T11:00:00Z",
        "--instructor",
        "Ada Lovelace",
        "--location",
        "Room 1",
        "--seats",
        "20",
    ]
    made = runner.invoke(cli.app, args)
    assert made.exit_code == 0, made.output

    async def listed(ctx: Ctx) -> Any:
        return (await meetings.list_meetings(ctx, None, 0, 10))[0]

    [meeting] = _in_site(cli_env, subdomain, listed)
    assert (
        meeting.title == "Kickoff"
        and meeting.instructors == ["Ada Lovelace"]
        and meeting.seats_limit == 20
    )
    assert meeting.uuid in made.output
    backwards = runner.invoke(
        cli.app, [*args[:8], "--start", "2026-06-01T12:00:00Z", "--end", "2026-06-01T11:00:00Z"]
    )
    assert backwards.exit_code == 1 and "invalid" in backwards.output
