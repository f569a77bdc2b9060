"""Refuse hostile request input at the door, before any route or database sees it.

PostgreSQL text cannot hold NUL, deep JSON exhausts recursive parsers, and non-JSON bodies have
no meaning to either dialect: each is answered with a 4xx in the vendor's envelope instead of
reaching a driver and failing as a 500 (docs/compat, "Reliability"). A NUL inside a top-level
field is reported as that field's invalid value (the vendor's validation envelope).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

NUL = "Request contains a NUL character, which is not allowed."


def too_deep(limit: int) -> str:
    return f"Request body is nested too deeply (maximum depth is {limit})."


def parses_as_json(body: bytes) -> bool:
    try:
        orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return "depth limit" in str(exc)  # JSON, just too deep (refused as such later)
    return True


def is_json_type(content_type: bytes | None) -> bool:
    """Whether a declared Content-Type is JSON (`application/json` or `*+json`)."""
    if content_type is None:
        return False
    media = content_type.split(b";", 1)[0].strip().lower()
    return media in (b"", b"application/json") or media.endswith(b"+json")


def url_problem(path: str, query_string: bytes) -> str | None:
    if "\x00" in path or b"%00" in query_string or b"\x00" in query_string:
        return NUL
    return None


@dataclass(frozen=True, slots=True)
class NulField:
    """A top-level field whose value holds a NUL: refused as that field's invalid value."""

    name: str


def _nul_field(document: Any) -> NulField | None:
    """NUL in a top-level key, a top-level string, or a string directly inside a top-level
    array. Strings inside nested objects are the route's to validate (it can name the field
    the way its vendor does, e.g. a custom profile field by its label)."""
    if not isinstance(document, dict):
        return None
    for key, value in document.items():
        name = str(key).replace("\x00", "")
        if "\x00" in str(key):
            return NulField(name)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and "\x00" in v for v in values):
            return NulField(name)
    return None


def json_problem(body: bytes, max_depth: int) -> str | NulField | None:
    """What is wrong with a JSON body (a message, or the field holding a NUL), or None."""
    if not body.strip():
        return None  # an absent body is the route's business (it says what is required)
    try:
        document = orjson.loads(body)  # refuses documents deeper than 1024 outright
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc):
            return too_deep(max_depth)
        # Malformed JSON is the route's to refuse, in its own envelope (some routes answer a
        # dedicated validation object); only what would break the parser stops here.
        return None
    # Walk iteratively so the check itself cannot overflow the stack.
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > max_depth:
                return too_deep(max_depth)
            stack.extend(
                (value, depth + 1) for value in (node.values() if isinstance(node, dict) else node)
            )
    return _nul_field(document)
