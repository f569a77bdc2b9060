"""Refuse hostile request input at the door, before any route or database sees it.

PostgreSQL text cannot hold NUL, deep JSON exhausts recursive parsers, and non-JSON bodies have
no meaning to either dialect: each is answered with a 4xx in the vendor's envelope instead of
reaching a driver and failing as a 500 (docs/compat, "Reliability").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import orjson

NOT_JSON = "Request body is not valid JSON."
NUL = "Request contains a NUL character, which is not allowed."
NUL_IN_FIELD = "contains a NUL character, which is not allowed"
HUGE_NUMBER = "Request body holds an integer outside the 64-bit range."
HUGE_IN_FIELD = "must be an integer within the 64-bit range"

# What each door-level refusal says when it can name the member at fault.
FIELD_MESSAGES = {NUL: NUL_IN_FIELD, HUGE_NUMBER: HUGE_IN_FIELD}

_LONG_DIGITS = re.compile(rb"\d{19,}")
_INT64 = range(-(2**63), 2**63)


def _huge_integer(body: bytes) -> BodyProblem | None:
    """The integer no database column or encoder here can carry, by top-level member.
    orjson reads such literals as floats, so look again with the standard parser (exact
    integers), and only when a long run of digits makes it possible at all."""
    if _LONG_DIGITS.search(body) is None:
        return None
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None
    stack: list[tuple[Any, str | None, bool]] = [(document, None, True)]
    while stack:
        node, member, top = stack.pop()
        if isinstance(node, int) and not isinstance(node, bool) and node not in _INT64:
            return BodyProblem(HUGE_NUMBER, member)
        # Pushed in reverse so members are visited (and reported) in document order.
        if isinstance(node, dict):
            stack.extend((v, k if top else member, False) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((v, member, False) for v in reversed(node))
    return None


@dataclass(frozen=True, slots=True)
class BodyProblem:
    """What is wrong with a body; `field` names the top-level member at fault, when one is."""

    message: str
    field: str | None = None


def too_deep(limit: int) -> str:
    return f"Request body is nested too deeply (maximum depth is {limit})."


def unsupported(content_type: str) -> str:
    return f"Unsupported Content-Type '{content_type[:60]}'; send application/json."


def is_json_type(content_type: bytes | None) -> bool:
    """No Content-Type is read as JSON (as FastAPI does); otherwise it must say JSON."""
    if content_type is None:
        return True
    media = content_type.split(b";", 1)[0].strip().lower()
    return media in (b"", b"application/json") or media.endswith(b"+json")


def url_problem(path: str, query_string: bytes) -> str | None:
    if "\x00" in path or b"%00" in query_string or b"\x00" in query_string:
        return NUL
    return None


def json_problem(body: bytes, max_depth: int) -> BodyProblem | None:
    """What is wrong with a JSON body, or None when it may pass."""
    if not body.strip():
        return None  # an absent body is the route's business (it says what is required)
    try:
        document = orjson.loads(body)  # strict UTF-8; refuses documents deeper than 1024
    except orjson.JSONDecodeError:
        return BodyProblem(NOT_JSON)
    huge = _huge_integer(body)
    if huge is not None:
        return huge
    # Walk iteratively so the check itself cannot overflow the stack; remember which top-level
    # member each node came from so the answer can name the field.
    stack: list[tuple[Any, int, str | None]] = [(document, 1, None)]
    while stack:
        node, depth, member = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return BodyProblem(NUL, member)
        elif isinstance(node, dict | list):
            if depth > max_depth:
                return BodyProblem(too_deep(max_depth), member)
            if isinstance(node, dict):
                for key, value in node.items():
                    if "\x00" in key:
                        return BodyProblem(NUL, member)
                    stack.append(
                        (value, depth + 1, key if member is None and depth == 1 else member)
                    )
            else:
                stack.extend((value, depth + 1, member) for value in node)
    return None
