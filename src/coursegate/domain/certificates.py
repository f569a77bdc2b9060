"""Certificates: issued on course completion (when the course enables them) or by an
administrator; recertification replaces the current certificate; templates describe them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, DomainError, Duplicate, Invalid, NotFound, Problem
from coursegate.domain.lifecycle_models import (
    RESOURCE_TYPES,
    Certificate,
    CertificateSettings,
    CertificateTemplate,
)
from coursegate.domain.lifecycle_snapshots import certificate_snapshot, template_snapshot
from coursegate.domain.models import Course, User
from coursegate.domain.recording import record
from coursegate.platform.ids import is_int_id, is_uuid, new_uuid
from coursegate.store.catalog import CourseRepo
from coursegate.store.database import Unit
from coursegate.store.lifecycle import CertificateRepo, SettingsRepo, TemplateRepo
from coursegate.store.people import UserRepo

TITLE_MAX = 255
URL_MAX = 2048
VALID_DAYS_MAX = 36_500


@dataclass(slots=True)
class CertifyRequest:
    """One grant: who, for what, and the optional dates an administrator may set."""

    user_key: str | None
    resource_type: str | None
    resource_id: str | None
    expires_at: datetime | None = None
    issued_at: datetime | None = None
    recertify_by: datetime | None = None


@dataclass(slots=True)
class BulkOutcome:
    """Per-item results of a bulk operation: what was done, and each item that failed."""

    done: list[Any] = field(default_factory=list)
    failed: list[tuple[int, DomainError]] = field(default_factory=list)


# ---- issuing -------------------------------------------------------------------------------


async def issue(
    u: Unit,
    user: User,
    course: Course,
    *,
    source: str,
    issued_at: datetime | None = None,
    expires_at: datetime | None = None,
    recertify_by: datetime | None = None,
    template_id: int | None = None,
    replaces: Certificate | None = None,
) -> Certificate:
    """Write a certificate and its `certificate.issued` event inside an open transaction."""
    repo = CertificateRepo(u)
    cert_id = await repo.create(
        {
            "uuid": new_uuid(),
            "user_id": user.id,
            "resource_type": "course",
            "course_id": course.id,
            "template_id": template_id,
            "issued_at": issued_at or u.now,
            "expires_at": expires_at,
            "recertify_by": recertify_by,
            "source": source,
            "created_at": u.now,
        }
    )
    if replaces is not None:
        await repo.replace(replaces.id, cert_id, u.now)
    cert = await repo.get(cert_id)
    assert cert is not None
    payload = {
        **certificate_snapshot(cert, user),
        "replaces": None if replaces is None else {"id": replaces.id, "uuid": replaces.uuid},
    }
    await record(
        u,
        "certificate.issued",
        "certificate",
        cert.id,
        cert.uuid,
        payload,
        user_uuid=user.uuid,
        course_uuid=course.uuid,
    )
    return cert


async def issue_on_completion(u: Unit, user: User, course: Course) -> Certificate | None:
    """The course's certificate for a learner who just finished it, if the course gives one and
    the learner holds no active certificate for it already."""
    settings = await SettingsRepo(u).get(course.id)
    if not settings.enabled:
        return None
    current = await CertificateRepo(u).current_for(user.id, course.id)
    if current is not None and current.active_at(u.now):
        return None
    expires_at = u.now + timedelta(days=settings.valid_days) if settings.valid_days else None
    return await issue(
        u,
        user,
        course,
        source="completion",
        expires_at=expires_at,
        template_id=settings.template_id,
        replaces=current,
    )


# ---- administrator grants --------------------------------------------------------------------


async def _resolve_user(u: Unit, key: str | None) -> User:
    if key is None or not str(key).strip():
        raise Invalid.one("user_id", "required")
    repo = UserRepo(u)
    key = str(key).strip()
    if is_int_id(key) and len(key) <= 18:
        user = await repo.get(int(key))
    elif is_uuid(key):
        user = await repo.get_by_uuid(key)
    elif "@" in key:
        user = await repo.get_by_email(key)
    else:
        user = await repo.get_by_external_customer_id(key)
    if user is None:
        raise Invalid.one("user_id", "not_found", resource="user", value=key)
    return user


async def _resolve_resource(u: Unit, resource_type: str | None, resource_id: str | None) -> Course:
    problems = Collector()
    if not resource_type:
        problems.add("resource_type", "required")
    elif resource_type not in RESOURCE_TYPES:
        problems.add("resource_type", "invalid_choice", value=resource_type, choices=RESOURCE_TYPES)
    if not resource_id:
        problems.add("resource_id", "required")
    problems.raise_if_any()
    assert resource_id is not None
    repo = CourseRepo(u)
    key = str(resource_id)
    course = None
    if is_uuid(key):
        course = await repo.get_by_uuid(key)
    elif is_int_id(key) and len(key) <= 18:
        course = await repo.get(int(key))
    if course is None:
        raise Invalid.one("resource_id", "not_found", resource="course", value=key)
    return course


def _check_dates(request: CertifyRequest, now: datetime) -> datetime:
    issued_at = request.issued_at or now
    problems = Collector()
    if request.expires_at is not None and request.expires_at <= issued_at:
        problems.add(
            "expires_at", "invalid", value=request.expires_at.isoformat(), reason="after_issue"
        )
    if request.recertify_by is not None and request.recertify_by <= issued_at:
        problems.add(
            "recertify_by", "invalid", value=request.recertify_by.isoformat(), reason="after_issue"
        )
    problems.raise_if_any()
    return issued_at


async def _certify_in(u: Unit, request: CertifyRequest) -> Certificate:
    user = await _resolve_user(u, request.user_key)
    course = await _resolve_resource(u, request.resource_type, request.resource_id)
    issued_at = _check_dates(request, u.now)
    current = await CertificateRepo(u).current_for(user.id, course.id)
    if current is not None and current.active_at(u.now):
        raise Duplicate(Problem("resource_id", "already_certified", {"value": course.uuid}))
    settings = await SettingsRepo(u).get(course.id)
    expires_at = request.expires_at
    if expires_at is None and settings.valid_days:
        expires_at = issued_at + timedelta(days=settings.valid_days)
    return await issue(
        u,
        user,
        course,
        source="api",
        issued_at=issued_at,
        expires_at=expires_at,
        recertify_by=request.recertify_by,
        template_id=settings.template_id,
        replaces=current,
    )


async def certify(ctx: Ctx, request: CertifyRequest) -> Certificate:
    """Grant a certificate; refused while the user holds an active one for the resource."""
    async with ctx.writing() as u:
        return await _certify_in(u, request)


async def recertify(
    ctx: Ctx, user_key: str, resource_type: str | None, resource_id: str | None
) -> Certificate:
    """Issue a new certificate in place of the user's current one (active or expired), with the
    same validity span, measured from now."""
    async with ctx.writing() as u:
        user = await _resolve_user(u, user_key)
        course = await _resolve_resource(u, resource_type, resource_id)
        current = await CertificateRepo(u).current_for(user.id, course.id)
        if current is None:
            raise NotFound("certificate", course.uuid)
        settings = await SettingsRepo(u).get(course.id)
        expires_at = recertify_by = None
        if settings.valid_days:
            expires_at = u.now + timedelta(days=settings.valid_days)
        elif current.expires_at is not None:
            expires_at = u.now + (current.expires_at - current.issued_at)
        if current.recertify_by is not None:
            recertify_by = u.now + (current.recertify_by - current.issued_at)
        template_id = settings.template_id or current.template_id
        return await issue(
            u,
            user,
            course,
            source="recertification",
            expires_at=expires_at,
            recertify_by=recertify_by,
            template_id=template_id,
            replaces=current,
        )


async def certify_many(ctx: Ctx, requests: list[CertifyRequest]) -> BulkOutcome:
    """Grant each valid request; invalid ones are reported by position, nothing half-written."""
    outcome = BulkOutcome()
    async with ctx.writing() as u:
        for index, request in enumerate(requests):
            try:
                outcome.done.append(await _certify_in(u, request))
            except (Invalid, NotFound) as exc:
                outcome.failed.append((index, exc))
    return outcome


async def certificates_of(ctx: Ctx, user_id: int) -> list[Certificate]:
    """The user's current certificates (replaced ones excluded), oldest first."""
    async with ctx.reading() as u:
        return await CertificateRepo(u).current_of_user(user_id)


# ---- course settings -------------------------------------------------------------------------


async def configure_course(
    ctx: Ctx,
    course_key: str | int,
    *,
    enabled: bool = True,
    valid_days: int | None = None,
    template_key: str | None = None,
) -> CertificateSettings:
    """Set whether finishing the course earns a certificate, how long it stays valid, and its
    template."""
    if valid_days is not None and not 1 <= valid_days <= VALID_DAYS_MAX:
        raise Invalid.one(
            "certificate_valid_days", "out_of_range", minimum=1, maximum=VALID_DAYS_MAX
        )
    async with ctx.writing() as u:
        course = await _course(u, course_key)
        template_id = None
        if template_key is not None:
            template = await _template(u, template_key)
            if template is None:
                raise Invalid.one("template_id", "not_found", resource="certificate template")
            template_id = template.id
        settings = CertificateSettings(course.id, enabled, valid_days, template_id)
        await SettingsRepo(u).put(settings, u.now)
        await record(
            u,
            "course.certificate_configured",
            "course",
            course.id,
            course.uuid,
            {
                "course": {"id": course.id, "uuid": course.uuid, "title": course.title},
                "enabled": enabled,
                "valid_days": valid_days,
                "template_id": template_id,
            },
            course_uuid=course.uuid,
        )
        return settings


async def course_settings(ctx: Ctx, course_key: str | int) -> CertificateSettings:
    async with ctx.reading() as u:
        course = await _course(u, course_key)
        return await SettingsRepo(u).get(course.id)


async def _course(u: Unit, key: str | int) -> Course:
    repo = CourseRepo(u)
    text = str(key)
    course = await (
        repo.get(int(text)) if is_int_id(text) and len(text) <= 18 else repo.get_by_uuid(text)
    )
    if course is None:
        raise NotFound("course", key)
    return course


# ---- templates -------------------------------------------------------------------------------


async def template_uuid(ctx: Ctx, template_id: int) -> str | None:
    """The uuid of a template (course settings name theirs by id), None if it is gone."""
    async with ctx.reading() as u:
        template = await TemplateRepo(u).get(template_id)
    return template.uuid if template else None


async def _template(u: Unit, key: str) -> CertificateTemplate | None:
    repo = TemplateRepo(u)
    if is_uuid(key):
        return await repo.get_by_uuid(key)
    if is_int_id(key) and len(key) <= 18:
        return await repo.get(int(key))
    return None


async def _template_values(
    u: Unit, data: dict[str, Any], creating: bool
) -> tuple[dict[str, Any], Course | None]:
    problems = Collector()
    values: dict[str, Any] = {}
    if "title" in data or creating:
        title = data.get("title")
        if title is None or not str(title).strip():
            problems.add("title", "required")
        elif len(title) > TITLE_MAX:
            problems.add("title", "too_long", count=TITLE_MAX)
        else:
            values["title"] = title.strip()
    if data.get("resource_type") is not None:
        if data["resource_type"] not in RESOURCE_TYPES:
            problems.add(
                "resource_type",
                "invalid_choice",
                value=data["resource_type"],
                choices=RESOURCE_TYPES,
            )
        else:
            values["resource_type"] = data["resource_type"]
    for name in ("asset",):
        if name in data:
            if data[name] is not None and len(data[name]) > URL_MAX:
                problems.add(name, "too_long", count=URL_MAX)
            values[name] = data[name]
    if "supplemental_assets" in data:
        assets = data["supplemental_assets"] or []
        if any(len(a) > URL_MAX for a in assets):
            problems.add("supplemental_assets", "too_long", count=URL_MAX)
        values["supplemental_assets"] = list(assets)
    if "expiration_date" in data:
        values["expiration_date"] = data["expiration_date"]
    problems.raise_if_any()
    course = None
    if data.get("resource_id") is not None:
        course = await _resolve_resource(
            u, data.get("resource_type") or "course", str(data["resource_id"])
        )
        values["course_id"] = course.id
        values.setdefault("resource_type", "course")
    return values, course


async def _attach(u: Unit, template: CertificateTemplate, course: Course | None) -> None:
    """A template made for a course becomes the template of that course's certificates."""
    if course is None:
        return
    repo = SettingsRepo(u)
    current = await repo.get(course.id)
    await repo.put(
        CertificateSettings(course.id, current.enabled, current.valid_days, template.id), u.now
    )


async def create_templates(ctx: Ctx, items: list[dict[str, Any]]) -> BulkOutcome:
    outcome = BulkOutcome()
    async with ctx.writing() as u:
        repo = TemplateRepo(u)
        for index, data in enumerate(items):
            try:
                values, course = await _template_values(u, data, creating=True)
            except (Invalid, NotFound) as exc:
                outcome.failed.append((index, exc))
                continue
            template_id = await repo.create(
                {
                    "uuid": new_uuid(),
                    "supplemental_assets": [],
                    **values,
                    "created_at": u.now,
                    "updated_at": u.now,
                }
            )
            template = await repo.get(template_id)
            assert template is not None
            await _attach(u, template, course)
            await record(
                u,
                "certificate_template.created",
                "certificate_template",
                template.id,
                template.uuid,
                template_snapshot(template),
                course_uuid=template.course_uuid,
            )
            outcome.done.append(template)
    return outcome


async def update_templates(ctx: Ctx, items: list[dict[str, Any]]) -> BulkOutcome:
    outcome = BulkOutcome()
    async with ctx.writing() as u:
        repo = TemplateRepo(u)
        for index, data in enumerate(items):
            try:
                key = data.get("id")
                if not key:
                    raise Invalid.one("id", "required")
                template = await _template(u, str(key))
                if template is None:
                    raise Invalid.one("id", "not_found", resource="certificate template", value=key)
                values, course = await _template_values(u, data, creating=False)
            except (Invalid, NotFound) as exc:
                outcome.failed.append((index, exc))
                continue
            await repo.update(template.id, {**values, "updated_at": u.now})
            updated = await repo.get(template.id)
            assert updated is not None
            await _attach(u, updated, course)
            await record(
                u,
                "certificate_template.updated",
                "certificate_template",
                updated.id,
                updated.uuid,
                {**template_snapshot(updated), "changed": sorted(values)},
                course_uuid=updated.course_uuid,
            )
            outcome.done.append(updated)
    return outcome
