"""Opaque cursors (unpadded base64 of a small JSON key) and `pageInfo` blocks."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson
from fastapi import Request

from coursegate.domain.errors import Invalid
from coursegate.platform.http import profile_of
from coursegate.platform.ids import is_int_id
from coursegate.platform.wiretime import parse_instant


def encode_cursor(payload: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode("ascii")


def decode_cursor(raw: str | None, expected_keys: set[str]) -> dict[str, Any] | None:
    """The cursor's key, or None for the first page; a forged or truncated one is refused."""
    if raw is None or raw == "":
        return None
    try:
        padded = raw + "=" * (-len(raw) % 4)
        text = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
        decoded = orjson.loads(text)
    except (binascii.Error, ValueError, UnicodeEncodeError, orjson.JSONDecodeError):
        raise Invalid.one("cursor", "invalid", value=raw[:64]) from None
    if not isinstance(decoded, dict) or set(decoded) != expected_keys:
        raise Invalid.one("cursor", "invalid", value=raw[:64])
    # Only the exact text we mint is a cursor (no stray characters, no re-encodings).
    if encode_cursor(decoded) != raw:
        raise Invalid.one("cursor", "invalid", value=raw[:64])
    return decoded


def _refuse(raw: Any) -> Invalid:
    return Invalid.one("cursor", "invalid", value=str(raw)[:64])


def cursor_id(value: Any) -> int:
    """A row id read from a cursor: a positive 64-bit integer, or the cursor is forged."""
    if type(value) is not int or not 0 < value < 2**63:
        raise _refuse(value)
    return value


def cursor_value(value: Any, is_instant: bool) -> Any:
    """A sort value read from a cursor: an ISO instant for date sorts, else text."""
    if not isinstance(value, str):
        raise _refuse(value)
    if not is_instant:
        return value
    instant = parse_instant(value)
    if instant is None:
        raise _refuse(value)
    return instant


def per_page(request: Request, raw: str | None, name: str = "perPage") -> int:
    profile = profile_of(request)
    if raw is None or raw == "":
        return profile.default_page_size
    text = raw.strip()
    if not is_int_id(text) or int(text) < 1:
        raise Invalid.one(name, "invalid", value=raw[:32])
    return min(int(text), profile.max_page_size)


def page_number(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if not is_int_id(text) or int(text) < 1 or len(text) > 9:
        raise Invalid.one("page", "invalid", value=raw[:32])
    return int(text)


def page_info(
    per: int, total: int, has_more: bool, cursor: str | None, current_page: int | None = None
) -> dict[str, Any]:
    info: dict[str, Any] = {"perPage": per, "cursor": cursor, "total": total, "hasMore": has_more}
    if current_page is not None:
        info["currentPage"] = current_page
    return info


def envelope(request: Request, operation: str, payload: Any) -> dict[str, Any]:
    """`{"data": {"<Operation>": payload}}` as documented, or the payload itself for sites on
    the `observed` profile (what production clients read; docs/compat)."""
    if profile_of(request).envelope == "observed" and isinstance(payload, dict):
        return payload
    return {"data": {operation: payload}}
