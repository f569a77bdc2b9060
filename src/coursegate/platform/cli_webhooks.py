"""`coursegate worker` and `coursegate webhooks …`: deliver the outbox, read the delivery log,
redeliver, and derive a Thinkific hook's signing key."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Annotated, TypeVar

import typer
from rich.table import Table

from coursegate.domain.context import Ctx
from coursegate.domain.errors import NotFound
from coursegate.events import signing, subscriptions
from coursegate.events.outbox import THINKIFIC, THOUGHT_INDUSTRIES
from coursegate.events.worker import BATCH, PER_ENDPOINT, Worker
from coursegate.platform.cli_support import err, out, run, site_ctx
from coursegate.platform.clock import SystemClock
from coursegate.platform.settings import get_settings
from coursegate.platform.wiretime import iso_ms
from coursegate.store.database import Database

T = TypeVar("T")
webhooks_app = typer.Typer(
    help="Webhook subscriptions and their delivery log.", no_args_is_help=True
)
_run = run
_ctx = site_ctx


async def _hook(ctx: Ctx, wire_id: str) -> subscriptions.Webhook:
    for vendor in (THINKIFIC, THOUGHT_INDUSTRIES):
        try:
            return await subscriptions.find(ctx, vendor, wire_id)
        except NotFound:
            continue
    raise NotFound("webhook", wire_id)


def worker(
    once: Annotated[bool, typer.Option(help="Deliver what is due now, then exit.")] = False,
    idle: Annotated[float, typer.Option(help="Seconds to wait when nothing is due.")] = 1.0,
    batch: Annotated[int, typer.Option(help="Deliveries leased per site per pass.")] = BATCH,
    per_endpoint: Annotated[
        int, typer.Option(help="Of those, at most this many per subscription (sent in order).")
    ] = PER_ENDPOINT,
    lease_margin: Annotated[
        float, typer.Option(help="Seconds a lease outlives the delivery timeout (crash recovery).")
    ] = 5.0,
) -> None:
    """Deliver webhooks from the outbox. Run as many as you like on PostgreSQL."""
    settings = get_settings()

    async def work(db: Database) -> None:
        runner = Worker(
            db,
            SystemClock(),
            batch=batch,
            per_endpoint=per_endpoint,
            lease_margin_seconds=lease_margin,
            allow_private=settings.webhook_allow_private_targets,
        )
        if once:
            try:
                made = await runner.run_once()
            finally:
                await runner.aclose()
            err.print(f"{made} delivery attempt(s)")
            return
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        err.print("webhook worker running (Ctrl-C to stop)")
        await runner.run_forever(idle, stop)

    _run(work)


@webhooks_app.command("list")
def list_hooks(site: Annotated[str, typer.Option("--site")]) -> None:
    """Subscriptions of a site (both vendors)."""

    async def work(db: Database) -> list[subscriptions.Webhook]:
        ctx = await _ctx(db, site)
        found: list[subscriptions.Webhook] = []
        for vendor in (THINKIFIC, THOUGHT_INDUSTRIES):
            found += (await subscriptions.list_page(ctx, vendor, 0, 10_000))[0]
        return found

    table = Table("id", "vendor", "topics", "target", "status", "failures")
    for h in _run(work):
        wire = h.wire_id if h.vendor == THINKIFIC else h.uuid
        table.add_row(
            wire, h.vendor, ", ".join(h.topics), h.target_url, h.status, str(h.consecutive_failures)
        )
    out.print(table)


@webhooks_app.command("deliveries")
def deliveries(
    site: Annotated[str, typer.Option("--site")],
    webhook: Annotated[str, typer.Option("--webhook", help="Thinkific id or TI uuid")],
    limit: Annotated[int, typer.Option()] = 25,
) -> None:
    """The delivery log of one subscription, newest first."""

    async def work(db: Database) -> list[subscriptions.Delivery]:
        ctx = await _ctx(db, site)
        return (await subscriptions.deliveries(ctx, await _hook(ctx, webhook), 0, limit))[0]

    table = Table("delivery", "topic", "status", "attempts", "last status", "next attempt")
    for d in _run(work):
        last = d.log[-1] if d.log else None
        shown = "" if last is None else str(last.response_status or last.error or "")
        pending = iso_ms(d.next_attempt_at) if subscriptions.is_pending(d) else ""
        table.add_row(str(d.id), d.topic, d.status, str(d.attempts), shown[:60], pending or "")
    out.print(table)


@webhooks_app.command("redeliver")
def redeliver(
    site: Annotated[str, typer.Option("--site")],
    webhook: Annotated[str, typer.Option("--webhook")],
    delivery: Annotated[int, typer.Option("--delivery")],
) -> None:
    """Queue a delivery again now (same body, same event id)."""

    async def work(db: Database) -> subscriptions.Delivery:
        ctx = await _ctx(db, site)
        return await subscriptions.redeliver(ctx, await _hook(ctx, webhook), delivery)

    queued = _run(work)
    err.print(f"delivery {queued.id} queued")


@webhooks_app.command("signing-key")
def signing_key() -> None:
    """Print the key Thinkific-style hooks are signed with, derived from the API key that created
    them (read from stdin, so it stays out of shell history)."""
    api_key = sys.stdin.readline().strip()
    if not api_key:
        raise typer.BadParameter("pipe the API key on stdin")
    out.print(signing.thinkific_signing_key(api_key))


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.add_typer(webhooks_app, name="webhooks")
