"""`coursegate`: migrate, manage sites and keys, seed, and serve."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.progress import Progress
from rich.table import Table

from coursegate.domain.errors import NotFound
from coursegate.platform import tenancy
from coursegate.platform.cli_support import err, out, run, site_ctx
from coursegate.platform.clock import SystemClock
from coursegate.platform.migrate import upgrade
from coursegate.platform.settings import get_settings
from coursegate.store.database import Database

T = TypeVar("T")
app = typer.Typer(
    help="coursegate: a course platform speaking Thinkific v1 and Thought Industries v2.",
    no_args_is_help=True,
)
sites_app = typer.Typer(help="Sites (tenants).", no_args_is_help=True)
keys_app = typer.Typer(help="API keys (stored only as salted hashes).", no_args_is_help=True)
fields_app = typer.Typer(help="Course custom fields configured for a site.", no_args_is_help=True)
app.add_typer(sites_app, name="sites")
app.add_typer(keys_app, name="keys")
app.add_typer(fields_app, name="fields")
# Shared by the sub-command modules, which import these names from here.
_run = run
_ctx = site_ctx


# `coursegate ti ...` (Thought Industries features and meetings) uses the helpers above.
from coursegate.platform.cli_ti_ops import app as ti_app  # noqa: E402

app.add_typer(ti_app, name="ti")


@app.command()
def migrate() -> None:
    """Apply database migrations (COURSEGATE_DATABASE_URL)."""
    upgrade(get_settings().database_url)
    err.print("[green]database is up to date[/green]")


@sites_app.command("create")
def sites_create(
    subdomain: str,
    sandbox: Annotated[
        bool, typer.Option("--sandbox", help="Allow loopback webhooks and the virtual clock.")
    ] = False,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    no_rate_limits: Annotated[
        bool, typer.Option("--no-rate-limits", help="Switch vendor rate limits off.")
    ] = False,
) -> None:
    """Create a site."""
    site = _run(
        lambda db: tenancy.create_site(
            db, SystemClock(), subdomain, sandbox=sandbox, name=name, rate_limits=not no_rate_limits
        )
    )
    out.print(
        f"created site [bold]{site.subdomain}[/bold] (id {site.id}, uuid {site.uuid}"
        f"{', sandbox' if site.sandbox else ''})"
    )


@sites_app.command("list")
def sites_list() -> None:
    """List sites."""
    table = Table("id", "subdomain", "name", "sandbox", "rate limits")
    for site in _run(tenancy.list_sites):
        table.add_row(
            str(site.id),
            site.subdomain,
            site.name,
            str(site.sandbox),
            str(site.rate_limits_enabled),
        )
    out.print(table)


@sites_app.command("set")
def sites_set(
    subdomain: str,
    rate_limits: Annotated[bool | None, typer.Option("--rate-limits/--no-rate-limits")] = None,
    envelope: Annotated[
        str | None, typer.Option(help="Thought Industries envelope: documented|observed")
    ] = None,
) -> None:
    """Change a site's settings."""

    async def work(db: Database) -> tenancy.Site:
        values: dict[str, Any] = {}
        if rate_limits is not None:
            values["rate_limits_enabled"] = rate_limits
        if envelope is not None:
            if envelope not in ("documented", "observed"):
                raise typer.BadParameter("envelope must be documented or observed")
            site = await tenancy.get_site(db, subdomain)
            profile = dict(site.profile)
            profile["thoughtindustries"] = {
                **profile.get("thoughtindustries", {}),
                "envelope": envelope,
            }
            values["profile"] = profile
        return await tenancy.update_site(db, subdomain, values)

    site = _run(work)
    out.print(f"updated site {site.subdomain}")


@keys_app.command("create")
def keys_create(
    site: Annotated[str, typer.Option("--site", help="Site subdomain.")],
    label: Annotated[str, typer.Option(help="A note to recognise the key by.")] = "",
) -> None:
    """Create an API key and print it (only the key, on stdout)."""
    key = _run(lambda db: tenancy.create_key(db, SystemClock(), site, label))
    typer.echo(key)


@keys_app.command("list")
def keys_list(site: Annotated[str, typer.Option("--site")]) -> None:
    """List a site's keys (ids only; secrets are never shown again)."""
    table = Table("key id", "label", "created", "last used", "revoked")
    for info in _run(lambda db: tenancy.list_keys(db, site)):
        table.add_row(
            info.key_id,
            info.label,
            str(info.created_at),
            str(info.last_used_at or "-"),
            str(info.revoked_at or "-"),
        )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: str, site: Annotated[str, typer.Option("--site")]) -> None:
    """Revoke a key; the next request with it is refused."""
    _run(lambda db: tenancy.revoke_key(db, SystemClock(), site, key_id))
    err.print(f"revoked {key_id}")


@fields_app.command("add")
def fields_add(
    key: str,
    site: Annotated[str, typer.Option("--site")],
    label: Annotated[str | None, typer.Option()] = None,
    field_type: Annotated[str, typer.Option("--type")] = "text",
) -> None:
    """Configure a course custom field key (Thought Industries `customFields`)."""
    from coursegate.store.catalog import CustomFieldRepo

    async def work(db: Database) -> None:
        ctx = await _ctx(db, site)
        async with ctx.writing() as u:
            await CustomFieldRepo(u).add(key, label or key, field_type)

    _run(work)
    err.print(f"added custom field {key}")


@app.command()
def seed(
    site: Annotated[str, typer.Option("--site")],
    demo: Annotated[bool, typer.Option("--demo", help="Load the small demo catalogue.")] = False,
    users: Annotated[int, typer.Option(help="Learners to create (bulk).")] = 0,
    courses: Annotated[int, typer.Option(help="Courses to create (bulk).")] = 0,
    lessons_per_course: Annotated[int, typer.Option(help="Lessons per course (5 a chapter).")] = 0,
    enrollments: Annotated[int, typer.Option(help="Enrollments of new users in new courses.")] = 0,
    events: Annotated[int | None, typer.Option(help="Events (default: one per entity).")] = None,
) -> None:
    """Load data into a site: the demo catalogue (--demo) and/or bulk data at scale."""
    from coursegate.platform.demo import DEMO_STEPS, seed_demo
    from coursegate.platform.seeding import Scale, seed_scale

    scale = Scale(users, courses, lessons_per_course, enrollments, events)
    bulk = any((users, courses, lessons_per_course, enrollments, events))
    if not demo and not bulk:
        raise typer.BadParameter("say what to load: --demo, or --users/--courses/... counts")

    async def work(db: Database) -> None:
        ctx = await _ctx(db, site)
        with Progress(console=err) as progress:
            if demo:
                task = progress.add_task("seeding demo catalogue", total=DEMO_STEPS)
                await seed_demo(ctx, lambda n: progress.advance(task, n))
            if bulk:
                task = progress.add_task("seeding rows", total=scale.rows)
                await seed_scale(ctx, scale, lambda n: progress.advance(task, n))

    started = time.perf_counter()
    _run(work)
    if bulk:
        err.print(f"seeded {scale.rows:,} rows in {time.perf_counter() - started:.1f}s")


DEMO_KEY_FILE = Path("var") / "demo.key"


@app.command()
def demo(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Prepare a local demo: migrate, create the `demo` sandbox site with a key and a catalogue
    on first run, then print the key and example requests for both dialects."""
    from coursegate.platform.demo import DEMO_STEPS, seed_demo

    upgrade(get_settings().database_url)

    async def work(db: Database) -> str:
        try:
            await tenancy.get_site(db, "demo")
        except NotFound:
            await tenancy.create_site(db, SystemClock(), "demo", sandbox=True, name="Demo Academy")
            ctx = await _ctx(db, "demo")
            with Progress(console=err) as progress:
                task = progress.add_task("seeding demo catalogue", total=DEMO_STEPS)
                await seed_demo(ctx, lambda n: progress.advance(task, n))
        if DEMO_KEY_FILE.exists():
            key = DEMO_KEY_FILE.read_text().strip()
            if await tenancy.authenticate(db, SystemClock(), key) is not None:
                return key
        key = await tenancy.create_key(db, SystemClock(), "demo", "demo (make run)")
        DEMO_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        DEMO_KEY_FILE.write_text(key + "\n")
        os.chmod(DEMO_KEY_FILE, stat.S_IRUSR | stat.S_IWUSR)
        return key

    key = _run(work)
    base = f"http://{host}:{port}"
    out.print(
        f"\n[bold]Demo site[/bold] 'demo' is ready. API key (kept in {DEMO_KEY_FILE}):\n\n  {key}\n"
    )
    out.print("[bold]Thinkific Admin API v1[/bold]")
    out.print(
        f"  curl -s {base}/api/public/v1/courses -H 'X-Auth-API-Key: {key}' -H 'X-Auth-Subdomain: demo'",
        soft_wrap=True,
    )
    out.print(
        f"  curl -sg '{base}/api/public/v1/enrollments?query[completed]=false' -H 'Authorization: Bearer {key}'",
        soft_wrap=True,
        markup=False,
    )
    out.print("[bold]Thought Industries incoming/v2[/bold]")
    out.print(f"  curl -s {base}/incoming/v2/ping -H 'Authorization: Bearer {key}'", soft_wrap=True)
    out.print(
        f"  curl -s '{base}/incoming/v2/content?types=courseGroup&perPage=2' -H 'Authorization: Bearer {key}'",
        soft_wrap=True,
    )
    out.print(
        f"  curl -s -X POST {base}/incoming/v2/courses -H 'Authorization: Bearer {key}' "
        '-H \'Content-Type: application/json\' -d \'{"title": "My first course", "courseType": "course"}\'',
        soft_wrap=True,
    )
    out.print(f"\nInteractive docs: {base}/docs\n")


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "",
    port: Annotated[int, typer.Option()] = 0,
    workers: Annotated[int, typer.Option(help="Server processes (use with PostgreSQL).")] = 1,
) -> None:
    """Serve both dialects (migrations are applied on start unless COURSEGATE_AUTO_MIGRATE=false)."""
    import uvicorn

    from coursegate.platform.http_protocol import CoalescingHttpToolsProtocol
    from coursegate.platform.logsafety import install, uvicorn_log_config

    install()

    settings = get_settings()
    if settings.auto_migrate:
        upgrade(settings.database_url)
    os.environ["COURSEGATE_AUTO_MIGRATE"] = "false"  # already done; workers need not race
    uvicorn.run(
        "coursegate.platform.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level=settings.log_level,
        log_config=uvicorn_log_config(settings.log_level),
        access_log=False,
        loop="uvloop",
        http=CoalescingHttpToolsProtocol,
    )


from coursegate.platform.cli_catalog import catalog_app  # noqa: E402

app.add_typer(catalog_app, name="catalog")
from coursegate.platform.simulate_cli import simulate_app  # noqa: E402 - registered last

app.add_typer(simulate_app, name="simulate")


def main() -> None:
    app()


from coursegate.platform.cli_webhooks import register as _register_webhooks  # noqa: E402

_register_webhooks(app)
from coursegate.platform.cli_jobs import jobs_app  # noqa: E402 - registered after the base commands

app.add_typer(jobs_app, name="jobs")
