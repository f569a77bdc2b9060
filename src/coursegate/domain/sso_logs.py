"""The SSO log: every single sign-on attempt, successful or not, for administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Invalid
from coursegate.domain.models_ops import SsoLogEntry
from coursegate.domain.recording import record
from coursegate.platform.ids import new_uuid
from coursegate.store.people import UserRepo
from coursegate.store.sso import SsoLogRepo

SSO_KINDS = ("jwt", "saml", "oidc")
MESSAGE_MAX = 2000
EMAIL_MAX = 320


async def record_sso_sign_in(
    ctx: Ctx,
    kind: str,
    *,
    success: bool,
    user_id: int | None = None,
    email: str | None = None,
    message: str | None = None,
    details: dict[str, Any] | None = None,
) -> SsoLogEntry:
    """Log one sign-on attempt (the platform's SSO handlers call this for every attempt)."""
    if kind not in SSO_KINDS:
        raise Invalid.one("kind", "invalid_choice", value=kind, choices=SSO_KINDS)
    if email is not None and len(email) > EMAIL_MAX:
        raise Invalid.one("email", "too_long", count=EMAIL_MAX)
    async with ctx.writing() as u:
        user = await UserRepo(u).get(user_id) if user_id is not None else None
        if user_id is not None and user is None:
            raise Invalid.one("user_id", "not_found", resource="user")
        repo = SsoLogRepo(u)
        entry_id = await repo.create(
            {
                "uuid": new_uuid(),
                "user_id": user_id,
                "kind": kind,
                "email": email or (user.email if user else None),
                "success": success,
                "message": (message or "")[:MESSAGE_MAX] or None,
                "details": dict(details or {}),
                "created_at": u.now,
            }
        )
        entry = await repo.get(entry_id)
        assert entry is not None
        payload = {
            "id": entry.id,
            "uuid": entry.uuid,
            "kind": kind,
            "success": success,
            "email": entry.email,
            "user_id": user_id,
            "message": entry.message,
        }
        await record(
            u,
            "sso.signed_in" if success else "sso.failed",
            "sso_log",
            entry.id,
            entry.uuid,
            payload,
            user_uuid=user.uuid if user else None,
        )
        return entry


async def list_sso_logs(
    ctx: Ctx, kind: str | None, before: datetime | None, limit: int
) -> tuple[list[SsoLogEntry], int, bool]:
    """Newest first, older than `before`. A page never splits entries that share an instant
    (they are all included), so the timestamp cursor can neither skip nor repeat one."""
    async with ctx.reading() as u:
        repo = SsoLogRepo(u)
        stmt = repo.filtered(kind)
        items = await repo.before(stmt, before, limit + 1)
        more = len(items) > limit
        page = items[:limit]
        if more and page and items[limit].created_at == page[-1].created_at:
            page += await repo.at(stmt, page[-1].created_at, page[-1].id)
            more = len(await repo.before(stmt, page[-1].created_at, 1)) > 0
        total = await repo.count(stmt)
    return page, total, more
