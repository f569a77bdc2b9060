"""Thinkific-style ~23-digit string ids, derived stably from a timestamp and a row number.

`20200227213233` (UTC second) + the row number zero-padded to 9 digits. The id never changes,
sorts by time, and decodes back to the row without another column.
"""

from __future__ import annotations

from datetime import UTC, datetime

_STAMP = "%Y%m%d%H%M%S"
_STAMP_DIGITS = 14
_ROW_DIGITS = 9
MAX_ROW = 2**63 - 1


def encode(at: datetime, row: int) -> str:
    return at.astimezone(UTC).strftime(_STAMP) + str(row).zfill(_ROW_DIGITS)


def decode(wire_id: str) -> tuple[str, int] | None:
    """(timestamp prefix, row number), or None when the text is not one of our ids."""
    if not wire_id.isascii() or not wire_id.isdigit() or len(wire_id) < _STAMP_DIGITS + _ROW_DIGITS:
        return None
    if len(wire_id) > 40:
        return None
    row = int(wire_id[_STAMP_DIGITS:])
    # Beyond a 64-bit row id it cannot be ours (and must not reach the database).
    return (wire_id[:_STAMP_DIGITS], row) if row < MAX_ROW else None


def matches(wire_id: str, at: datetime, row: int) -> bool:
    return encode(at, row) == wire_id
