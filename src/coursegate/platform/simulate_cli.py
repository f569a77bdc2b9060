"""`coursegate simulate`: drive learners and the virtual clock of a sandbox site from the shell.
Each command prints the same JSON the sandbox API answers."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
import typer

from coursegate.domain.context import Ctx
from coursegate.store.database import Database

simulate_app = typer.Typer(
    help="Simulate learners and move a sandbox site's clock.", no_args_is_help=True
)
clock_app = typer.Typer(help="The site's virtual clock (sandbox sites only).", no_args_is_help=True)
simulate_app.add_typer(clock_app, name="clock")

Site = Annotated[str, typer.Option("--site", help="Site subdomain.")]
UserKey = Annotated[str, typer.Option("--user", help="User id, UUID or email.")]


def _print(payload: Any) -> None:
    typer.echo(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode())


def _on_site(site: str, work: Any) -> Any:
    """Run `work(ctx)` against the site, with the CLI's error reporting."""
    from coursegate.platform.cli import _ctx, _run

    async def run(db: Database) -> Any:
        return await work(await _ctx(db, site))

    return _run(run)


@simulate_app.command("complete-lesson")
def complete_lesson(lesson: str, site: Site, user: UserKey) -> None:
    """The user completes a lesson (progress, completion and certificate follow)."""
    from coursegate.dialects.sandbox.routes import progress_out
    from coursegate.domain import catalog, people, progress

    async def work(ctx: Ctx) -> Any:
        found = await progress.complete_lesson(
            ctx, (await people.find_user(ctx, user)).id, (await catalog.get_lesson(ctx, lesson)).id
        )
        return progress_out(found, ctx.clock.now())

    _print(_on_site(site, work))


@simulate_app.command("view-course")
def view_course(course: str, site: Site, user: UserKey) -> None:
    """The user views a course."""
    from coursegate.domain import catalog, people, progress

    async def work(ctx: Ctx) -> Any:
        found = await progress.view_course(
            ctx, (await people.find_user(ctx, user)).id, (await catalog.get_course(ctx, course)).id
        )
        return {"events": found.events if found else ["course.viewed"]}

    _print(_on_site(site, work))


@simulate_app.command("purchase")
def purchase(
    product: int,
    site: Site,
    user: UserKey,
    coupon: Annotated[str | None, typer.Option("--coupon", help="A coupon code.")] = None,
) -> None:
    """The user buys a product through the platform's checkout (order and access follow)."""
    from coursegate.dialects.thinkific.mappers_commerce import order as order_wire
    from coursegate.domain import orders, people

    async def work(ctx: Ctx) -> Any:
        buyer = await people.find_user(ctx, user)
        return order_wire(
            await orders.purchase(ctx, user_id=buyer.id, product_id=product, coupon_code=coupon)
        )

    _print(_on_site(site, work))


@simulate_app.command("attempt-quiz")
def attempt_quiz(
    lesson: str,
    site: Site,
    user: UserKey,
    score: Annotated[float, typer.Option(help="Percentage score, 0-100.")],
    passed: Annotated[bool, typer.Option("--passed/--failed")],
) -> None:
    """The user attempts a quiz; a pass completes the quiz lesson."""
    from coursegate.dialects.sandbox.routes import progress_out
    from coursegate.domain import catalog, people, progress

    async def work(ctx: Ctx) -> Any:
        user_id = (await people.find_user(ctx, user)).id
        lesson_id = (await catalog.get_lesson(ctx, lesson)).id
        return progress_out(
            await progress.attempt_quiz(ctx, user_id, lesson_id, score, passed), ctx.clock.now()
        )

    _print(_on_site(site, work))


def _clock(site: str, action: str, seconds: float | None = None) -> None:
    from coursegate.dialects.sandbox.routes import clock_out
    from coursegate.platform import virtual_clock
    from coursegate.platform.wiretime import iso_ms

    async def work(ctx: Ctx) -> Any:
        if action == "advance":
            state, report = await virtual_clock.advance(ctx, seconds)
            return {
                **clock_out(state),
                "advanced": {
                    "from": iso_ms(report.start),
                    "to": iso_ms(report.end),
                    **report.counts,
                },
            }
        operation = {
            "show": virtual_clock.state,
            "freeze": virtual_clock.freeze,
            "resume": virtual_clock.resume,
        }[action]
        return clock_out(await operation(ctx))

    _print(_on_site(site, work))


@clock_app.command("show")
def clock_show(site: Site) -> None:
    """Print the site's time."""
    _clock(site, "show")


@clock_app.command("freeze")
def clock_freeze(site: Site) -> None:
    """Stop the site's time."""
    _clock(site, "freeze")


@clock_app.command("advance")
def clock_advance(seconds: float, site: Site) -> None:
    """Move the site's time forward by SECONDS; expiries and drip releases in between fire."""
    _clock(site, "advance", seconds)


@clock_app.command("resume")
def clock_resume(site: Site) -> None:
    """Let the site's time run again from where it stands."""
    _clock(site, "resume")


@simulate_app.command("sweep")
def sweep(
    site: Annotated[str | None, typer.Option("--site", help="One site (default: all).")] = None,
) -> None:
    """Apply what fell due in real time (expiries, drip releases); run it periodically."""
    from coursegate.domain.time_effects import sweep as sweep_site
    from coursegate.platform import tenancy
    from coursegate.platform.cli import _ctx, _run

    async def work(db: Database) -> Any:
        subdomains = [site] if site else [s.subdomain for s in await tenancy.list_sites(db)]
        return {name: (await sweep_site(await _ctx(db, name))).counts for name in subdomains}

    _print(_run(work))
