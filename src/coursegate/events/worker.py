"""The delivery worker: lease due deliveries, POST them signed, log every attempt, retry on the
vendor's ladder against the site's clock, and disable endpoints that keep failing.

Leases use real time (a frozen sandbox clock must not pin a crashed worker's lease forever);
due times use the site's clock (so a sandbox can walk the retry ladder by moving its clock).
On PostgreSQL the claim uses FOR UPDATE SKIP LOCKED, so any number of workers can run."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

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
    DELIVERED,
    DISABLED,
    UNDELIVERABLE,
    AttemptRepo,
    DeliveryRepo,
    OutboxDirectory,
    WebhookRepo,
)

log = logging.getLogger("coursegate.worker")

EXCERPT_CHARS = 2000
# A lease outlives the whole attempt: the POST (bounded by the timeout) plus recording it.
LEASE_MARGIN_SECONDS = 5.0


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
    client: httpx.AsyncClient,
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
        target = httpx.URL(url)
        request_headers = {**headers, "Host": target.netloc.decode("ascii")}
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        async with asyncio.timeout(timeout):
            address = await resolve(url, policy)
            request = client.build_request(
                "POST",
                pinned_url(url, address),
                content=body,
                headers=request_headers,
                timeout=timeout,
                extensions=extensions,
            )
            response = await client.send(request, stream=True, follow_redirects=False)
            try:
                excerpt = await _excerpt(response)
            finally:
                await response.aclose()
    except TargetRefused as exc:
        return Outcome(None, None, f"refused: {exc}", spent())
    except (httpx.InvalidURL, UnicodeError) as exc:
        return Outcome(None, None, f"refused: {exc}", spent())
    except TimeoutError:
        return Outcome(None, None, f"timed out after {timeout:g}s", spent())
    except httpx.HTTPError as exc:
        return Outcome(None, None, f"{type(exc).__name__}: {exc}"[:EXCERPT_CHARS], spent())
    return Outcome(response.status_code, excerpt, None, spent())


async def _excerpt(response: httpx.Response) -> str:
    """The start of the response body; a receiver cannot make us read (or keep) more."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= EXCERPT_CHARS:
            break
    return b"".join(chunks)[:EXCERPT_CHARS].decode("utf-8", "replace")


class Worker:
    def __init__(
        self,
        db: Database,
        base_clock: Clock,
        client: httpx.AsyncClient,
        *,
        allow_private: bool = False,
        batch: int = 20,
        lease_margin_seconds: float = LEASE_MARGIN_SECONDS,
    ) -> None:
        self.db = db
        self.base_clock = base_clock
        self.client = client
        self.allow_private = allow_private
        self.batch = batch
        self.lease_margin_seconds = lease_margin_seconds

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
                clock.now(), real_now, lease_until, self.batch, skip_locked=self.db.is_postgres
            )
        if not claimed:
            return 0
        # Claimed rows belong to distinct endpoints (only queue heads are claimable).
        await asyncio.gather(*(self._deliver(site, clock, row) for row in claimed))
        return len(claimed)

    async def _deliver(self, site: Site, clock: SiteClock, row: Any) -> None:
        profile = profile_for(row.vendor, site)
        body = row.body.encode()
        headers = headers_for(row.vendor, site, row.topic, row.secret, body)
        policy = Policy(sandbox=site.sandbox, allow_private=self.allow_private)
        outcome = await post(
            self.client, row.target_url, body, headers, profile.webhook_timeout_seconds, policy
        )
        await self._settle(site, clock, row, profile, outcome)

    async def _settle(
        self, site: Site, clock: SiteClock, row: Any, profile: VendorProfile, outcome: Outcome
    ) -> None:
        async with self.db.write() as conn:
            now = clock.now()
            u = Unit(conn, site.id, now)
            number = row.attempts + 1
            await AttemptRepo(u).add(
                {
                    "delivery_id": row.id,
                    "number": number,
                    "attempted_at": now,
                    "request_body": row.body,
                    "response_status": outcome.status,
                    "response_excerpt": outcome.excerpt,
                    "error": outcome.error,
                    "duration_ms": outcome.duration_ms,
                }
            )
            hooks = WebhookRepo(u)
            deliveries = DeliveryRepo(u)
            if outcome.ok:
                await deliveries.settle(
                    row.id,
                    {
                        "status": DELIVERED,
                        "attempts": number,
                        "last_attempt_at": now,
                        "delivered_at": now,
                    },
                )
                await hooks.note_success(row.webhook_id)
                return
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
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                made = await self.run_once()
            except Exception:  # keep delivering after a transient database error
                log.exception("webhook worker pass failed")
                made = 0
            if made == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), idle_seconds)
