"""Identifier helpers: UUIDs for the Thought Industries wire, slugs, opaque tokens."""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid

_SLUG_STRIP = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def new_uuid() -> str:
    return str(uuid.uuid4())


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return len(value) == 36


def slugify(text: str, max_length: int = 200) -> str:
    normalized = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_STRIP.sub("-", normalized.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)


def group_token() -> str:
    """An 8-character code (Thinkific group tokens)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def is_int_id(text: str) -> bool:
    """ASCII digits that fit a 64-bit id. (`str.isdigit` also accepts characters such as '²'
    that `int()` refuses, and any number of digits.)"""
    return 0 < len(text) <= 18 and text.isascii() and text.isdigit()
