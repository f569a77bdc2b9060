"""What every `coursegate` sub-command shares: a database for one command, a site's context,
and the consoles (results on stdout, messages on stderr so output stays scriptable)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from coursegate.domain.context import Ctx
from coursegate.domain.errors import DomainError, Duplicate, NotFound
from coursegate.platform import tenancy
from coursegate.platform.clock import SystemClock
from coursegate.platform.settings import get_settings
from coursegate.store.database import Database

T = TypeVar("T")
err = Console(stderr=True)
out = Console()


def run(work: Callable[[Database], Awaitable[T]]) -> T:
    """Run one command's work against the configured database; domain errors exit 1."""
    settings = get_settings()

    async def main() -> T:
        db = Database(settings.database_url, 4)
        try:
            return await work(db)
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except Duplicate as exc:
        err.print(f"[red]already exists:[/red] {', '.join(p.field for p in exc.problems)}")
        raise typer.Exit(1) from exc
    except NotFound as exc:
        err.print(f"[red]not found:[/red] {exc.resource} {exc.key}")
        raise typer.Exit(1) from exc
    except DomainError as exc:
        err.print(f"[red]invalid:[/red] {exc}")
        raise typer.Exit(1) from exc


async def site_ctx(db: Database, subdomain: str) -> Ctx:
    """The domain context of a site, on the site's own clock."""
    site = await tenancy.get_site(db, subdomain)
    return Ctx(db, site, await tenancy.site_clock(db, SystemClock(), site.id))
