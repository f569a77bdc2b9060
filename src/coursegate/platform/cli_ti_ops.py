"""`coursegate ti ...`: Thought Industries company features of a site, and ILT/VILT meetings
(the vendor API has no meeting writes, so operators schedule them here)."""

from __future__ import annotations

from typing import Annotated

import typer

from coursegate.dialects.thoughtindustries.ops_params import FEATURE_DEFAULTS
from coursegate.domain import catalog, meetings
from coursegate.platform import tenancy
from coursegate.platform.cli import _ctx, _run, out
from coursegate.platform.wiretime import parse_instant
from coursegate.store.database import Database

app = typer.Typer(help="Thought Industries features and meetings of a site.", no_args_is_help=True)


@app.command("feature")
def feature(
    site: Annotated[str, typer.Option("--site")],
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(FEATURE_DEFAULTS)}")],
    on: Annotated[bool, typer.Option("--on/--off")] = True,
) -> None:
    """Switch a company feature flag (stored in the site profile) on or off."""
    if name not in FEATURE_DEFAULTS:
        raise typer.BadParameter(f"unknown feature {name!r}; known: {', '.join(FEATURE_DEFAULTS)}")

    async def work(db: Database) -> None:
        current = await tenancy.get_site(db, site)
        profile = dict(current.profile)
        vendor = dict(profile.get("thoughtindustries") or {})
        vendor["features"] = {**(vendor.get("features") or {}), name: on}
        profile["thoughtindustries"] = vendor
        await tenancy.update_site(db, site, {"profile": profile})

    _run(work)
    out.print(f"{name} {'on' if on else 'off'} for site {site}")


@app.command("meeting")
def meeting(
    site: Annotated[str, typer.Option("--site")],
    course: Annotated[str, typer.Option(help="Course UUID, slug or id")],
    title: Annotated[str, typer.Option()],
    start: Annotated[str, typer.Option(help="ISO 8601")],
    end: Annotated[str, typer.Option(help="ISO 8601")],
    location: Annotated[str | None, typer.Option()] = None,
    address: Annotated[str | None, typer.Option()] = None,
    url: Annotated[str | None, typer.Option(help="Join URL of a virtual session")] = None,
    instructor: Annotated[list[str] | None, typer.Option(help="Repeat for several")] = None,
    seats: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Schedule a meeting of a course."""
    starts_at, ends_at = parse_instant(start), parse_instant(end)
    if starts_at is None or ends_at is None:
        raise typer.BadParameter("--start and --end must be ISO 8601 dates")

    async def work(db: Database) -> str:
        ctx = await _ctx(db, site)
        found = await catalog.get_course(ctx, course)
        created = await meetings.create_meeting(
            ctx,
            found.id,
            title,
            starts_at,
            ends_at,
            location_name=location,
            location_address=address,
            virtual_url=url,
            instructors=instructor or [],
            seats_limit=seats,
        )
        return created.uuid

    out.print(f"created meeting {_run(work)}")
