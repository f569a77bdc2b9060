"""Bulk creation of courses, users and enrollments, and the jobs that carry them out.

Every bulk request becomes a background job (so `GET /jobs/:id` can always be asked). Up to
`bulk_inline_records` valid records run before the response (200, job `complete`); more are
answered at once (202, job `queued`) and processed after the response in this process, one
transaction per batch (docs/compat: Bulk operations and jobs)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.background import BackgroundTask
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers, mappers_jobs
from coursegate.dialects.thoughtindustries.errors import VALIDATION_OBJECT_ENDPOINTS, problems_from
from coursegate.dialects.thoughtindustries.paging import envelope
from coursegate.dialects.thoughtindustries.schemas import CourseWrite, Errors, ValidationErrorObject
from coursegate.dialects.thoughtindustries.schemas_bulk import (
    BulkEnrollment,
    BulkUser,
    CoursesBulk,
    EnrollmentsBulk,
    UsersBulk,
)
from coursegate.dialects.thoughtindustries.schemas_structure import Wrapped
from coursegate.domain import bulk, jobs
from coursegate.domain.errors import Invalid, Problem
from coursegate.domain.structure_models import Job
from coursegate.platform.http import ctx_of, json, profile_of

router = APIRouter(tags=["Bulk operations"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Errors}, 404: {"model": Errors}}


def _record_problems(model: type[BaseModel], raw: Any) -> tuple[Any, list[Problem]]:
    if not isinstance(raw, dict):
        return None, [Problem("record", "type", {"expected": "an object"})]
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        wrapped = RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()])
        found = problems_from(wrapped)
        return None, found if isinstance(found, list) else [Problem("record", "invalid")]


def _limit(field_name: str, records: list[Any], most: int) -> None:
    if len(records) > most:
        raise Invalid.one(field_name, "too_many", count=most)
    if not records:
        raise Invalid.one(field_name, "required")


async def _submit(
    request: Request, job_type: str, items: list[dict[str, Any]]
) -> tuple[Job | None, bool]:
    """Create the job and run it now (small) or after the response (large)."""
    if not items:
        return None, False
    ctx = ctx_of(request)
    profile = profile_of(request)
    job = await jobs.create_job(ctx, job_type, mappers_jobs.DESCRIPTIONS[job_type], items)
    if len(items) <= profile.bulk_inline_records:
        ran = await jobs.run(ctx, job.id, profile.job_batch_size)
        return ran or job, False
    return job, True


def _respond(
    request: Request,
    operation: str,
    job: Job | None,
    later: bool,
    wire_errors: list[dict[str, Any]],
    extra: dict[str, Any] | None = None,
) -> Response:
    done = job is not None and not later
    errors = sorted(
        [*wire_errors, *(mappers_jobs.job_errors(job) if done and job else [])],
        key=lambda e: e["index"],
    )
    created = mappers_jobs.created_ids(job) if done and job else []
    payload = {
        "createdCount": len(created),
        "createdIds": created,
        **(extra or {}),
        "errors": errors,
        "warnings": [],
        "backgroundJob": mappers_jobs.job_summary(job) if job else None,
    }
    response = json(envelope(request, operation, payload), 202 if later else 200)
    if later and job is not None:
        response.background = BackgroundTask(
            jobs.run, ctx_of(request), job.id, profile_of(request).job_batch_size
        )
    return response


@router.post(
    "/courses/bulk",
    response_model=Wrapped,
    responses={400: {"model": ValidationErrorObject}},
    operation_id="APIBulkCreateCourses",
)
async def bulk_create_courses(request: Request, body: CoursesBulk) -> Response:
    _limit("courseAttributes", body.courseAttributes, profile_of(request).bulk_max_records)
    items: list[dict[str, Any]] = []
    wire_errors: list[dict[str, Any]] = []
    for index, raw in enumerate(body.courseAttributes):
        if isinstance(raw, dict) and "courseType" not in raw and isinstance(raw.get("kind"), str):
            # The field reference's `kind` (CourseGroupKind) names the same thing.
            raw = {**raw, "courseType": mappers.TYPE_OF_KIND.get(raw["kind"], raw["kind"])}
        parsed, problems = _record_problems(CourseWrite, raw)
        if problems:
            extra = {"title": raw.get("title") if isinstance(raw, dict) else None}
            wire_errors.append(
                mappers_jobs.record_error(index, [asdict(p) for p in problems], raw, **extra)
            )
            continue
        items.append({"index": index, "data": parsed.domain(), "wire": raw})
    job, later = await _submit(request, bulk.COURSES, items)
    return _respond(request, "APIBulkCreateCourses", job, later, wire_errors)


@router.post(
    "/users/bulk", response_model=Wrapped, responses=ERRORS, operation_id="APIBulkCreateUsers"
)
async def bulk_create_users(request: Request, body: UsersBulk) -> Response:
    _limit("users", body.users, profile_of(request).bulk_max_records)
    options = body.options
    items: list[dict[str, Any]] = []
    wire_errors: list[dict[str, Any]] = []
    for index, raw in enumerate(body.users):
        parsed, problems = _record_problems(BulkUser, raw)
        if problems:
            email = raw.get("email") if isinstance(raw, dict) else None
            wire_errors.append(
                mappers_jobs.record_error(index, [asdict(p) for p in problems], raw, email=email)
            )
            continue
        items.append(
            {
                "index": index,
                "data": parsed.domain(),
                "wire": raw,
                "skip_existing": options.skipExisting,
                "welcome_email": options.sendWelcomeEmail,
            }
        )
    job, later = await _submit(request, bulk.USERS, items)
    skipped = mappers_jobs.skipped_ids(job) if job is not None and not later else []
    return _respond(
        request,
        "APIBulkCreateUsers",
        job,
        later,
        wire_errors,
        {"skippedCount": len(skipped), "skippedIds": skipped},
    )


@router.post(
    "/enrollments/bulk",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="APIBulkCreateEnrollments",
)
async def bulk_create_enrollments(request: Request, body: EnrollmentsBulk) -> Response:
    _limit("enrollments", body.enrollments, profile_of(request).bulk_max_enrollments)
    items: list[dict[str, Any]] = []
    wire_errors: list[dict[str, Any]] = []
    for index, raw in enumerate(body.enrollments):
        parsed, problems = _record_problems(BulkEnrollment, raw)
        if problems:
            wire_errors.append(mappers_jobs.record_error(index, [asdict(p) for p in problems], raw))
            continue
        items.append({"index": index, "data": parsed.domain(), "wire": raw})
    job, later = await _submit(request, bulk.ENROLLMENTS, items)
    return _respond(request, "APIBulkCreateEnrollments", job, later, wire_errors)


@router.get("/jobs/{id}", response_model=Wrapped, responses=ERRORS, operation_id="APIBackgroundJob")
async def get_job(request: Request, id: str) -> Response:
    job = await jobs.get_job(ctx_of(request), id)
    return json(envelope(request, "APIBackgroundJob", mappers_jobs.job(job)))


VALIDATION_OBJECT_ENDPOINTS.add(bulk_create_courses.__name__)
