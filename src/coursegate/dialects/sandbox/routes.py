"""Sandbox simulation: drive learners through courses and move the site's clock."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from coursegate.dialects.sandbox.schemas import (
    AdvanceBody,
    AdvanceOut,
    CertificateSettingsBody,
    CertificateSettingsOut,
    ClockOut,
    Error,
    EventsOut,
    OrderOut,
    ProgressOut,
    PurchaseBody,
    QuizAttemptBody,
    UserAction,
    ViewOut,
)
from coursegate.dialects.thinkific.mappers_commerce import order as order_wire
from coursegate.domain import catalog, certificates, orders, people, progress
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Forbidden, Invalid, NotFound
from coursegate.domain.lifecycle_models import Certificate, CertificateSettings, Progress
from coursegate.domain.models import Enrollment
from coursegate.domain.sandbox_log import read_log
from coursegate.platform import virtual_clock
from coursegate.platform.http import ctx_of, json
from coursegate.platform.ids import is_int_id
from coursegate.platform.wiretime import iso_ms


async def sandbox_only(request: Request) -> None:
    if not ctx_of(request).site.sandbox:
        raise Forbidden("The sandbox API is available only on sites created with --sandbox.")


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Error} for code in (400, 401, 403, 404, 422)
}
router = APIRouter(dependencies=[Depends(sandbox_only)], responses=ERRORS)


# ---- id resolution (integer ids or UUIDs) -----------------------------------------------------


async def _user_id(ctx: Ctx, key: int | str) -> int:
    text = str(key).strip()
    if not (is_int_id(text) and len(text) <= 18) and len(text) != 36:
        raise Invalid.one("user_id", "invalid")
    try:
        return (await people.find_user(ctx, text)).id
    except NotFound:
        raise Invalid.one("user_id", "not_found", resource="user") from None


async def _lesson_id(ctx: Ctx, key: str) -> int:
    return (await catalog.get_lesson(ctx, _path_key(key, "lesson"))).id


async def _course_id(ctx: Ctx, key: str) -> int:
    return (await catalog.get_course(ctx, _path_key(key, "course"))).id


def _path_key(key: str, resource: str) -> str:
    if (is_int_id(key) and len(key) <= 18) or len(key) == 36:
        return key
    raise NotFound(resource, key)


# ---- wire shapes -------------------------------------------------------------------------------


def enrollment_state(e: Enrollment, now: datetime) -> dict[str, Any]:
    return {
        "id": e.id,
        "uuid": e.uuid,
        "user_id": e.user_id,
        "course_id": e.course_id,
        "percentage_completed": round(e.percentage_completed, 4),
        "completed": e.completed,
        "completed_at": iso_ms(e.completed_at),
        "started_at": iso_ms(e.started_at),
        "expired": e.expired_at(now),
        "is_free_trial": e.is_free_trial,
    }


def certificate_out(c: Certificate) -> dict[str, Any]:
    return {
        "id": c.id,
        "uuid": c.uuid,
        "user_id": c.user_id,
        "course_id": c.course_id,
        "issued_at": iso_ms(c.issued_at),
        "expires_at": iso_ms(c.expires_at),
        "recertify_by": iso_ms(c.recertify_by),
        "template_id": c.template.uuid if c.template else None,
        "source": c.source,
    }


def progress_out(p: Progress, now: datetime) -> dict[str, Any]:
    attempt = p.quiz_attempt
    return {
        "enrollment": enrollment_state(p.enrollment, now),
        "lesson_id": p.lesson_id,
        "newly_completed": p.newly_completed,
        "previous_percentage_completed": round(p.previous_percentage, 4),
        "certificate": certificate_out(p.certificate) if p.certificate else None,
        "quiz_attempt": None
        if attempt is None
        else {
            "id": attempt.id,
            "uuid": attempt.uuid,
            "score": attempt.score,
            "passed": attempt.passed,
            "attempted_at": iso_ms(attempt.attempted_at),
        },
        "events": list(p.events),
    }


def clock_out(state: virtual_clock.ClockState) -> dict[str, Any]:
    return {
        "now": iso_ms(state.now),
        "frozen": state.frozen,
        "frozen_at": iso_ms(state.frozen_at),
        "offset_seconds": state.offset_seconds,
    }


# ---- learner simulation --------------------------------------------------------------------------


MAX_EVENTS_PAGE = 1000  # the most events one page of the log serves


@router.post(
    "/lessons/{lesson_id}/complete",
    response_model=ProgressOut,
    tags=["Learners"],
    summary="The user completes a lesson (idempotent)",
)
async def complete_lesson(request: Request, lesson_id: str, body: UserAction) -> Response:
    ctx = ctx_of(request)
    found = await progress.complete_lesson(
        ctx, await _user_id(ctx, body.user_id), await _lesson_id(ctx, lesson_id)
    )
    return json(progress_out(found, ctx.clock.now()))


@router.post(
    "/courses/{course_id}/view",
    response_model=ViewOut,
    tags=["Learners"],
    summary="The user views a course",
)
async def view_course(request: Request, course_id: str, body: UserAction) -> Response:
    ctx = ctx_of(request)
    user_id, course = await _user_id(ctx, body.user_id), await _course_id(ctx, course_id)
    found = await progress.view_course(ctx, user_id, course)
    now = ctx.clock.now()
    return json(
        {
            "course_id": course,
            "user_id": user_id,
            "enrollment": enrollment_state(found.enrollment, now) if found else None,
            "events": found.events if found else ["course.viewed"],
        }
    )


@router.post(
    "/quizzes/{lesson_id}/attempt",
    response_model=ProgressOut,
    tags=["Learners"],
    summary="The user attempts a quiz; a pass completes the quiz lesson",
)
async def attempt_quiz(request: Request, lesson_id: str, body: QuizAttemptBody) -> Response:
    ctx = ctx_of(request)
    user_id, lesson = await _user_id(ctx, body.user_id), await _lesson_id(ctx, lesson_id)
    found = await progress.attempt_quiz(ctx, user_id, lesson, float(body.score), body.passed)
    return json(progress_out(found, ctx.clock.now()))


# ---- course certificate settings ---------------------------------------------------------------


async def _settings_out(ctx: Ctx, settings: CertificateSettings) -> dict[str, Any]:
    template_uuid = None
    if settings.template_id is not None:
        template_uuid = await certificates.template_uuid(ctx, settings.template_id)
    return {
        "course_id": settings.course_id,
        "enabled": settings.enabled,
        "certificate_valid_days": settings.valid_days,
        "template_id": template_uuid,
    }


@router.get(
    "/courses/{course_id}/certificate", response_model=CertificateSettingsOut, tags=["Certificates"]
)
async def get_certificate_settings(request: Request, course_id: str) -> Response:
    ctx = ctx_of(request)
    return json(
        await _settings_out(
            ctx, await certificates.course_settings(ctx, await _course_id(ctx, course_id))
        )
    )


@router.put(
    "/courses/{course_id}/certificate",
    response_model=CertificateSettingsOut,
    tags=["Certificates"],
    summary="Whether finishing the course earns a certificate, and for how long",
)
async def put_certificate_settings(
    request: Request, course_id: str, body: CertificateSettingsBody
) -> Response:
    ctx = ctx_of(request)
    settings = await certificates.configure_course(
        ctx,
        await _course_id(ctx, course_id),
        enabled=body.enabled,
        valid_days=body.certificate_valid_days,
        template_key=body.template_id,
    )
    return json(await _settings_out(ctx, settings))


# ---- the virtual clock ------------------------------------------------------------------------


@router.post(
    "/purchases",
    status_code=201,
    response_model=OrderOut,
    tags=["Learners"],
    summary="The user buys a product through the platform's checkout (coupon optional)",
)
async def purchase(request: Request, body: PurchaseBody) -> Response:
    ctx = ctx_of(request)
    user_id = await _user_id(ctx, body.user_id)
    product_key = str(body.product_id).strip()
    if not is_int_id(product_key):
        product_key = str((await orders.product_by_uuid(ctx, product_key)).id)
    order = await orders.purchase(
        ctx, user_id=user_id, product_id=int(product_key), coupon_code=body.coupon_code
    )
    return json(order_wire(order), 201)


@router.get("/clock", response_model=ClockOut, tags=["Clock"])
async def get_clock(request: Request) -> Response:
    return json(clock_out(await virtual_clock.state(ctx_of(request))))


@router.post("/clock/freeze", response_model=ClockOut, tags=["Clock"])
async def freeze_clock(request: Request) -> Response:
    return json(clock_out(await virtual_clock.freeze(ctx_of(request))))


@router.post(
    "/clock/advance",
    response_model=AdvanceOut,
    tags=["Clock"],
    summary="Move time forward; expiries and drip releases in the window fire",
)
async def advance_clock(request: Request, body: AdvanceBody) -> Response:
    state, report = await virtual_clock.advance(ctx_of(request), float(body.seconds))
    return json(
        {
            **clock_out(state),
            "advanced": {"from": iso_ms(report.start), "to": iso_ms(report.end), **report.counts},
        }
    )


@router.post("/clock/resume", response_model=ClockOut, tags=["Clock"])
async def resume_clock(request: Request) -> Response:
    return json(clock_out(await virtual_clock.resume(ctx_of(request))))


# ---- the event log ------------------------------------------------------------------------------


@router.get(
    "/events",
    response_model=EventsOut,
    tags=["Events"],
    summary="The site's domain events in order, after a sequence number",
)
async def list_events(
    request: Request,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, description="At most 1000; larger values serve 1000")] = 100,
    type: Annotated[list[str] | None, Query()] = None,
) -> Response:
    logged = await read_log(ctx_of(request), after, min(limit, MAX_EVENTS_PAGE), type)
    items = [
        {
            "seq": e.seq,
            "uuid": e.uuid,
            "type": e.type,
            "occurred_at": iso_ms(e.occurred_at),
            "subject_type": e.subject_type,
            "subject_id": e.subject_id,
            "subject_uuid": e.subject_uuid,
            "payload": e.payload,
        }
        for e in logged
    ]
    return json({"items": items, "next_after": logged[-1].seq if logged else None})
