"""What a key lookup found, kept for a moment so a busy key is not looked up on every request.

The key lookup was a third to a half of a keyed read's cost (one more statement; on PostgreSQL
one more round trip). An entry is used only while both hold:

- this process has committed no write since the entry was fetched (`store.database.write_epoch`):
  a key revoked, a site changed, its virtual clock moved or a profile field defined here is seen
  by the very next request, as without the cache;
- it is younger than `COURSEGATE_AUTH_CACHE_SECONDS` (default 1 s; 0 turns the cache off): the
  bound on how late another process's change (a CLI `keys revoke`, a second server process) is
  seen here.

The secret is still verified against the stored salted digest on every request; only successful
lookups are kept, so a wrong or revoked key always reaches the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from coursegate.platform import tenancy
from coursegate.platform.clock import Clock
from coursegate.store.database import Database, write_epoch

# Distinct keys kept at most; past it the cache starts again (keys in use come back at once).
MAX_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class _Entry:
    found: tenancy.Found
    epoch: int
    fetched: float


class AuthCache:
    def __init__(self, seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        # Real elapsed time, not the (possibly virtual) site clock: this bounds staleness.
        self._monotonic = monotonic
        self._entries: dict[str, _Entry] = {}

    async def find(self, db: Database, base: Clock, key_id: str) -> tenancy.Found | None:
        """`tenancy.find_key`, answered from the cache while the entry is fresh."""
        now = self._monotonic()
        epoch = write_epoch()
        entry = self._entries.get(key_id)
        if entry is not None and entry.epoch == epoch and now - entry.fetched < self.seconds:
            return entry.found
        found = await tenancy.find_key(db, base, key_id)
        if found is None:
            self._entries.pop(key_id, None)
        elif self.seconds > 0:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            # The epoch read before the lookup: a write committed while it ran leaves the
            # entry stale at once.
            self._entries[key_id] = _Entry(found, epoch, now)
        return found
