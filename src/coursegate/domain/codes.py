"""Generating many unique, human-friendly codes (coupons, redemption codes)."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from coursegate.domain.errors import Invalid

# No 0/O, 1/I/L: codes are read aloud and typed by people.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MAX_ROUNDS = 20


async def unique_codes(
    count: int, length: int, taken: Callable[[list[str]], Awaitable[set[str]]]
) -> list[str]:
    """`count` distinct codes none of which `taken` reports as already used. Collisions are
    redrawn; with the lengths we allow (>= 6 characters, ~10^9 combinations) a redraw is rare."""
    chosen: set[str] = set()
    for _ in range(MAX_ROUNDS):
        wanted = count - len(chosen)
        if wanted == 0:
            break
        fresh = {_draw(length) for _ in range(wanted)} - chosen
        fresh -= await taken(sorted(fresh))
        chosen |= fresh
    if len(chosen) < count:
        raise Invalid.one("code_length", "too_short", count=length + 1)
    return sorted(chosen)


def _draw(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
