"""Scripts a site injects into its pages: by URL (`src`) or inline (`content`, which must be
signed with the site's app secret so only the holder of that secret can inject code)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any
from urllib.parse import urlparse

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, NotFound
from coursegate.domain.models import Page
from coursegate.domain.offering_models import SiteScript
from coursegate.domain.recording import record
from coursegate.platform.ids import is_uuid, new_uuid
from coursegate.store.community import AppSecretRepo, SiteScriptRepo
from coursegate.store.database import Unit

PAGE_SCOPES = (
    "landing_pages",
    "checkout",
    "learning_experience",
    "all",
    "home_landing_page",
    "course_landing_page",
    "collections_landing_page",
    "bundle_landing_page",
    "coming_soon_page",
    "page_template",
    "checkout_thankyou_page",
    "student_dashboard",
    "course_player",
)
LOCATIONS = ("head", "footer")
LOAD_METHODS = ("async", "defer", "default")
CATEGORIES = ("functional", "analytics", "marketing")
NAME_MAX = 255
URL_MAX = 2048
CONTENT_MAX = 100_000


def sign(secret: str, content: str) -> str:
    """Hex HMAC-SHA256 of the content keyed with the secret (what a client sends)."""
    return hmac.new(secret.encode(), content.encode(), hashlib.sha256).hexdigest()


async def _secret(u: Unit) -> str:
    repo = AppSecretRepo(u)
    secret = await repo.get()
    if secret is None:
        secret = secrets.token_hex(32)
        await repo.create(secret)
        await record(u, "site.app_secret_created", "site", u.site_id, None, {})
    return secret


async def app_secret(ctx: Ctx) -> str:
    """The site's app client secret (created on first use; shown by `coursegate scripts secret`)."""
    async with ctx.writing() as u:
        return await _secret(u)


def _check_shape(data: dict[str, Any], problems: Collector) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("name", "description"):
        value = data.get(name)
        if value is None or (name == "name" and not str(value).strip()):
            problems.add(name, "required")
        elif name == "name" and len(value) > NAME_MAX:
            problems.add(name, "too_long", count=NAME_MAX)
        else:
            values[name] = value.strip() if name == "name" else value
    scopes = data.get("page_scopes")
    if not scopes:
        problems.add("page_scopes", "required")
    else:
        bad = [s for s in scopes if s not in PAGE_SCOPES]
        if bad:
            problems.add("page_scopes", "invalid_choice", value=bad[0], choices=PAGE_SCOPES)
        values["page_scopes"] = list(dict.fromkeys(scopes))
    for name, choices, default in (
        ("category", CATEGORIES, None),
        ("location", LOCATIONS, "footer"),
        ("load_method", LOAD_METHODS, "async"),
    ):
        value = data.get(name) if data.get(name) is not None else default
        if value is None:
            problems.add(name, "required")
        elif value not in choices:
            problems.add(name, "invalid_choice", value=value, choices=choices)
        else:
            values[name] = value
    return values


async def _check(u: Unit, data: dict[str, Any], signature: str | None) -> dict[str, Any]:
    problems = Collector()
    values = _check_shape(data, problems)
    src, content = data.get("src"), data.get("content")
    if (src is None) == (content is None):
        problems.add("base", "script_source_choice")
    elif src is not None:
        parsed = urlparse(src)
        if len(src) > URL_MAX:
            problems.add("src", "too_long", count=URL_MAX)
        elif parsed.scheme not in ("http", "https") or not parsed.netloc:
            problems.add("src", "invalid", value=src)
        values.update(src=src, content=None)
    else:
        assert content is not None
        if len(content) > CONTENT_MAX:
            problems.add("content", "too_long", count=CONTENT_MAX)
        elif not signature:
            problems.add("base", "signature_missing")
        elif not hmac.compare_digest(signature.strip().lower(), sign(await _secret(u), content)):
            problems.add("base", "signature_invalid")
        values.update(src=None, content=content)
    problems.raise_if_any()
    return values


def _snapshot(s: SiteScript) -> dict[str, Any]:
    return {
        "id": s.uuid,
        "name": s.name,
        "src": s.src,
        "inline": s.content is not None,
        "page_scopes": list(s.page_scopes),
        "location": s.location,
        "load_method": s.load_method,
        "category": s.category,
    }


async def _load(u: Unit, script_id: str) -> SiteScript:
    script = await SiteScriptRepo(u).get(script_id) if is_uuid(script_id) else None
    if script is None:
        raise NotFound("site_script", script_id)
    return script


async def create_script(ctx: Ctx, data: dict[str, Any], signature: str | None) -> SiteScript:
    async with ctx.writing() as u:
        values = await _check(u, data, signature)
        script_uuid = new_uuid()
        await SiteScriptRepo(u).create(
            {**values, "uuid": script_uuid, "created_at": u.now, "updated_at": u.now}
        )
        script = await _load(u, script_uuid)
        await record(
            u, "site_script.created", "site_script", script.id, script.uuid, _snapshot(script)
        )
        return script


async def update_script(
    ctx: Ctx, script_id: str, data: dict[str, Any], signature: str | None
) -> SiteScript:
    """A full replace: the request carries the same required fields as a create."""
    async with ctx.writing() as u:
        before = await _load(u, script_id)
        values = await _check(u, data, signature)
        await SiteScriptRepo(u).update(before.id, {**values, "updated_at": u.now})
        script = await _load(u, script_id)
        await record(
            u, "site_script.updated", "site_script", script.id, script.uuid, _snapshot(script)
        )
        return script


async def delete_script(ctx: Ctx, script_id: str) -> None:
    async with ctx.writing() as u:
        script = await _load(u, script_id)
        await SiteScriptRepo(u).delete(script.id)
        await record(
            u, "site_script.deleted", "site_script", script.id, script.uuid, _snapshot(script)
        )


async def get_script(ctx: Ctx, script_id: str) -> SiteScript:
    async with ctx.reading() as u:
        return await _load(u, script_id)


async def list_scripts(ctx: Ctx, offset: int, limit: int) -> Page[SiteScript]:
    async with ctx.reading() as u:
        repo = SiteScriptRepo(u)
        stmt = repo.all()
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))
