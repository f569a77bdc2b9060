"""API keys: shown once, stored as salted HMAC-SHA256 digests, compared in constant time.

A key reads `cg_<live|test>_<key id>_<secret>`. The key id locates the row; the secret (256 bits
of randomness) is what is verified. A fast keyed hash is enough for secrets of that strength.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX = "cg"


@dataclass(frozen=True, slots=True)
class IssuedKey:
    key_id: str
    salt: str
    secret_hash: str
    plaintext: str


def digest(secret: str, salt: str) -> str:
    return hmac.new(bytes.fromhex(salt), secret.encode(), hashlib.sha256).hexdigest()


def issue(sandbox: bool) -> IssuedKey:
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32).replace("_", "x").replace("-", "y")
    salt = secrets.token_hex(16)
    mode = "test" if sandbox else "live"
    return IssuedKey(key_id, salt, digest(secret, salt), f"{PREFIX}_{mode}_{key_id}_{secret}")


def split(plaintext: str) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed key, else None."""
    parts = plaintext.split("_")
    if len(parts) != 4 or parts[0] != PREFIX or parts[1] not in ("live", "test"):
        return None
    if not parts[2] or not parts[3]:
        return None
    return parts[2], parts[3]


def matches(secret: str, salt: str, expected: str) -> bool:
    return hmac.compare_digest(digest(secret, salt), expected)
