"""Query/body helpers shared by the operations endpoints (assessments, meetings, Panorama,
logs): UUID parameters, dates, filter ids and the company feature flags."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request

from coursegate.domain import catalog, people
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Invalid, NotFound
from coursegate.platform.http import ctx_of
from coursegate.platform.ids import is_uuid
from coursegate.platform.wiretime import parse_unix_ms_or_iso

# An id no row has: a filter on an unknown UUID matches nothing instead of failing.
NO_MATCH = 0

# Company feature flags and their state when a site never set them (docs/compat).
FEATURE_DEFAULTS = {"externalActivity": False}


def feature_enabled(request: Request, name: str) -> bool:
    """Read `profile.thoughtindustries.features.<name>` of the calling site."""
    profile = ctx_of(request).site.profile or {}
    features = (profile.get("thoughtindustries") or {}).get("features") or {}
    value = features.get(name, FEATURE_DEFAULTS.get(name, False))
    return value is True


def uuid_param(name: str, raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    if not is_uuid(raw.strip()):
        raise Invalid.one(name, "invalid", value=raw[:64])
    return raw.strip()


def date_param(name: str, raw: str | None) -> datetime | None:
    """Unix milliseconds or ISO 8601 (reference §2.3)."""
    if raw is None or raw == "":
        return None
    parsed = parse_unix_ms_or_iso(raw)
    if parsed is None:
        raise Invalid.one(name, "invalid", value=raw[:64])
    return parsed


def bool_param(name: str, raw: str | None) -> bool:
    if raw is None or raw == "":
        return False
    text = raw.strip().lower()
    if text not in ("true", "false", "1", "0"):
        raise Invalid.one(name, "invalid", value=raw[:32])
    return text in ("true", "1")


async def course_filter(ctx: Ctx, name: str, raw: str | None) -> int | None:
    key = uuid_param(name, raw)
    if key is None:
        return None
    try:
        return (await catalog.get_course(ctx, key)).id
    except NotFound:
        return NO_MATCH


async def user_filter(ctx: Ctx, name: str, raw: str | None) -> int | None:
    key = uuid_param(name, raw)
    if key is None:
        return None
    try:
        return (await people.find_user(ctx, key)).id
    except NotFound:
        return NO_MATCH
