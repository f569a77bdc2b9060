"""Webhook signatures: lowercase hex HMAC-SHA256 over the exact body bytes."""

from __future__ import annotations

import hashlib
import hmac

# Thinkific signs with "the site's API key" (reference §6.5). coursegate keeps only salted hashes
# of keys, so a Thinkific hook is signed with a key derived from the API key that created it:
# hex HMAC-SHA256(api_key, THINKIFIC_DERIVATION). A receiver computes it once from its key
# (`coursegate webhooks signing-key` prints it). See docs/compat/thinkific.md.
THINKIFIC_DERIVATION = b"coursegate webhook signing key v1"


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def thinkific_signing_key(api_key: str) -> str:
    return hmac.new(api_key.encode(), THINKIFIC_DERIVATION, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, body), signature)
