"""The delivery worker: lease due deliveries, POST them signed, log every attempt, retry on the
vendor's ladder against the site's clock, and disable endpoints that keep failing.

Leases use real time (a frozen sandbox clock must not pin a crashed worker's lease forever);
due times use the site's clock (so a sandbox can walk the retry ladder by moving its clock).
On PostgreSQL the claim uses FOR UPDATE SKIP LOCKED, so any number of workers can run."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import yarl

from coursegate.domain.context import Site
from coursegate.events import signing
from coursegate.events.outbox import THINKIFIC
from coursegate.events.targets import Policy, TargetRefused, pinned_url, resolve
from coursegate.platform.clock import Clock, SiteClock
from coursegate.platform.profiles import THINKIFIC as THINKIFIC_PROFILE
from coursegate.platform.profiles import THOUGHT_INDUSTRIES, VendorProfile, for_site
from coursegate.platform.tenancy import clock_from_row, site_from_row
from coursegate.store.database import Database, Unit
from coursegate.store.webhooks import (
    DISABLED,
    UNDELIVERABLE,
    AttemptRepo,
    DeliveryRepo,
    OutboxDirectory,
    WebhookRepo,
    outbox_notifications,
)

log = logging.getLogger("coursegate.worker")

EXCERPT_CHARS = 2000
# A lease outlives the whole attempt: the POST (bounded by the timeout) plus recording it.
LEASE_MARGIN_SECONDS = 5.0
# Deliveries leased per site per pass, and at most this many of one subscription: a backlog to
# one endpoint drains several per pass instead of one per round of claim and record.
BATCH = 200
PER_ENDPOINT = 10


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int | None
    excerpt: str | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def profile_for(vendor: str, site: Site) -> VendorProfile:
    base = THINKIFIC_PROFILE if vendor == THINKIFIC else THOUGHT_INDUSTRIES
    return for_site(base, site.profile)


def headers_for(vendor: str, site: Site, topic: str, secret: str, body: bytes) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "User-Agent": "coursegate-webhooks"}
    signature = signing.sign(secret, body)
    if vendor == THINKIFIC:
        headers["X-Thinkific-Topic"] = topic
        headers["X-Thinkific-Subdomain"] = site.subdomain
        headers["X-Thinkific-Hmac-Sha256"] = signature
    else:
        headers["X-TI-Signature"] = signature
    return headers


async def post(
    session: aiohttp.ClientSession,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    policy: Policy,
) -> Outcome:
    started = time.perf_counter()

    def spent() -> int:
        return int((time.perf_counter() - started) * 1000)

    try:
        target = _parsed(url)
        async with asyncio.timeout(timeout):
            address = await resolve(url, policy)
            # To the checked address; Host and SNI (and so the certificate check) keep the name.
            async with session.post(
                _parsed(pinned_url(url, address)),
                data=body,
                headers={**headers, "Host": target.host_port_subcomponent or ""},
                server_hostname=target.raw_host if target.scheme == "https" else None,
                allow_redirects=False,
            ) as response:
                excerpt = await _excerpt(response)
    except TargetRefused as exc:
        return Outcome(None, None, f"refused: {exc}", spent())
    except (aiohttp.InvalidURL, ValueError, UnicodeError) as exc:
        return Outcome(None, None, f"refused: {exc}", spent())
    except TimeoutError:
        return Outcome(None, None, f"timed out after {timeout:g}s", spent())
    except (aiohttp.ClientError, OSError) as exc:
        return Outcome(None, None, f"{type(exc).__name__}: {exc}"[:EXCERPT_CHARS], spent())
    return Outcome(response.status, excerpt, None, spent())


@functools.lru_cache(maxsize=4096)
def _parsed(url: str) -> yarl.URL:
    """Parsing a URL is a tenth of a delivery's CPU; targets repeat, so parse each once."""
    return yarl.URL(url)


async def _excerpt(response: aiohttp.ClientResponse) -> str:
    """The start of the response body; a receiver cannot make us read (or keep) more."""
    chunks: list[bytes] = []
    size = 0
    while size < EXCERPT_CHARS and (chunk := await response.content.read(EXCERPT_CHARS - size)):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def http_session(tls: ssl.SSLContext | None = None) -> aiohttp.ClientSession:
    """The worker's HTTP client: aiohttp, whose C parser costs a delivery about a quarter of
    httpx's CPU (docs/performance.md). Connections are kept per address (`limit=0`: the pass's
    batch bounds concurrency, one delivery per subscription at a time); no cookies, no proxy
    from the environment, no decompression (only an excerpt of a reply is kept); certificates
    are checked against the system's trust store unless `tls` says otherwise."""
    connector = aiohttp.TCPConnector(
        limit=0, ssl=tls or ssl.create_default_context(), use_dns_cache=False
    )
    return aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,
        trust_env=False,
        timeout=aiohttp.ClientTimeout(total=None),
        skip_auto_headers=("Accept", "Accept-Encoding"),
    )


class Worker:
    def __init__(
        self,
        db: Database,
        base_clock: Clock,
        *,
        allow_private: bool = False,
        batch: int = BATCH,
        per_endpoint: int = PER_ENDPOINT,
        lease_margin_seconds: float = LEASE_MARGIN_SECONDS,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        """A pass leases up to `batch` deliveries of a site, at most `per_endpoint` of each
        subscription (posted one after another, in order). `tls` replaces the system's trust
        store for https targets. Call `aclose` when done (it closes the HTTP connections)."""
        self.db = db
        self.base_clock = base_clock
        self.tls = tls
        self._http: aiohttp.ClientSession | None = None
        self.allow_private = allow_private
        self.batch = batch
        self.per_endpoint = per_endpoint
        self.lease_margin_seconds = lease_margin_seconds

    @property
    def http(self) -> aiohttp.ClientSession:
        # Made on first use: an aiohttp session belongs to the running event loop.
        if self._http is None:
            self._http = http_session(self.tls)
        return self._http

    async def run_once(self) -> int:
        """Deliver whatever is due now; returns how many attempts were made."""
        real_now = self.base_clock.now()
        async with self.db.read() as conn:
            site_rows = await OutboxDirectory(conn).sites_with_pending(real_now)
        made = 0
        for row in site_rows:
            made += await self._site(site_from_row(row), clock_from_row(self.base_clock, row))
        return made

    async def _site(self, site: Site, clock: SiteClock) -> int:
        real_now = self.base_clock.now()

        def lease_until(vendor: str) -> datetime:
            timeout = profile_for(vendor, site).webhook_timeout_seconds
            return real_now + timedelta(seconds=timeout + self.lease_margin_seconds)

        async with self.db.read() as conn:
            if not await DeliveryRepo(Unit(conn, site.id, clock.now())).any_due(
                clock.now(), real_now
            ):
                return 0
        async with self.db.write() as conn:
            claimed = await DeliveryRepo(Unit(conn, site.id, clock.now())).claim(
                clock.now(),
                real_now,
                lease_until,
                self.batch,
                per_endpoint=self.per_endpoint,
                skip_locked=self.db.is_postgres,
            )
        if not claimed:
            return 0
        # Subscriptions are posted to concurrently; each one's deliveries one after another,
        # in queue order, stopping at the first failure (what follows waits behind it). Then
        # every attempt is recorded in one transaction.
        runs: dict[int, list[Any]] = {}
        for row in claimed:
            runs.setdefault(row.webhook_id, []).append(row)
        # Every claimed row's lease covers one post plus the margin: a run starts another post
        # only in the first half of the margin, so whatever it sends ends within its lease.
        until = time.monotonic() + self.lease_margin_seconds / 2
        posted = await asyncio.gather(
            *(self._post_run(site, rows, until) for rows in runs.values())
        )
        done = [attempt for attempts in posted for attempt in attempts]
        unsent = [
            row.id
            for rows, attempts in zip(runs.values(), posted, strict=True)
            for row in rows[len(attempts) :]
        ]
        await self._settle(site, clock, done, unsent)
        return len(done)

    async def _post_run(
        self, site: Site, rows: list[Any], until: float
    ) -> list[tuple[Any, Outcome]]:
        """Post one subscription's claimed deliveries in order until one fails or, after the
        first, the monotonic clock passes `until` (the rest are given back)."""
        done: list[tuple[Any, Outcome]] = []
        for row in rows:
            if done and time.monotonic() >= until:
                break
            outcome = await self._post(site, row)
            done.append((row, outcome))
            if not outcome.ok:
                break
        return done

    async def _post(self, site: Site, row: Any) -> Outcome:
        profile = profile_for(row.vendor, site)
        body = row.body.encode()
        headers = headers_for(row.vendor, site, row.topic, row.secret, body)
        policy = Policy(sandbox=site.sandbox, allow_private=self.allow_private)
        timeout = profile.webhook_timeout_seconds
        return await post(self.http, row.target_url, body, headers, timeout, policy)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def _settle(
        self, site: Site, clock: SiteClock, done: list[tuple[Any, Outcome]], unsent: list[int]
    ) -> None:
        """Record a batch of attempts and their consequences in one transaction, and give back
        the leases of deliveries not attempted."""
        async with self.db.write() as conn:
            now = clock.now()
            u = Unit(conn, site.id, now)
            await AttemptRepo(u).add_many(
                [
                    {
                        "delivery_id": row.id,
                        "number": row.attempts + 1,
                        "attempted_at": now,
                        "request_body": row.body,
                        "response_status": outcome.status,
                        "response_excerpt": outcome.excerpt,
                        "error": outcome.error,
                        "duration_ms": outcome.duration_ms,
                    }
                    for row, outcome in done
                ]
            )
            hooks = WebhookRepo(u)
            deliveries = DeliveryRepo(u)
            succeeded = [row for row, outcome in done if outcome.ok]
            await deliveries.settle_delivered([(r.id, r.attempts + 1) for r in succeeded], now)
            await deliveries.release(unsent)
            await hooks.note_successes([r.webhook_id for r in succeeded])
            for row, outcome in done:
                if not outcome.ok:
                    await self._failed(hooks, deliveries, site, row, now)

    async def _failed(
        self, hooks: WebhookRepo, deliveries: DeliveryRepo, site: Site, row: Any, now: datetime
    ) -> None:
        profile = profile_for(row.vendor, site)
        number = row.attempts + 1
        ladder = profile.webhook_retry_seconds
        values: dict[str, Any] = {"attempts": number, "last_attempt_at": now}
        if number <= len(ladder):
            values["next_attempt_at"] = now + timedelta(seconds=ladder[number - 1])
        else:
            values["status"] = UNDELIVERABLE
        await deliveries.settle(row.id, values)
        failures = await hooks.note_failure(row.webhook_id)
        limit = profile.webhook_disable_after_failures
        if limit and failures >= limit:
            await hooks.update(row.webhook_id, {"status": DISABLED, "disabled_at": now})
            log.warning("webhook %s disabled after %s failures", row.webhook_id, failures)

    async def run_forever(
        self, idle_seconds: float = 1.0, stop: asyncio.Event | None = None
    ) -> None:
        """Deliver until `stop`. Between passes that found nothing it sleeps until a transaction
        that queued deliveries commits (or `idle_seconds`, for retries coming due and for
        writers it cannot hear: other processes on SQLite)."""
        stop = stop or asyncio.Event()
        wake = asyncio.Event()
        async with contextlib.AsyncExitStack() as stack:
            try:
                await stack.enter_async_context(outbox_notifications(self.db, wake.set))
            except Exception:  # polling still delivers everything
                log.exception("webhook worker: no commit notifications, polling only")
            while not stop.is_set():
                wake.clear()  # before the pass: a commit during it wakes the next wait
                try:
                    made = await self.run_once()
                except Exception:  # keep delivering after a transient database error
                    log.exception("webhook worker pass failed")
                    made = 0
                if made == 0:
                    await _first(stop, wake, idle_seconds)
            await self.aclose()


async def _first(stop: asyncio.Event, wake: asyncio.Event, timeout: float) -> None:
    """Wait until either event is set or `timeout` passes."""
    waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
