"""Background jobs and bulk results as Thought Industries objects."""

from __future__ import annotations

from typing import Any

import orjson

from coursegate.dialects.thoughtindustries.errors import sentence
from coursegate.domain.errors import Problem
from coursegate.domain.structure_models import Job
from coursegate.platform.wiretime import iso_ms

DESCRIPTIONS = {
    "bulkCreateCourses": "Bulk course creation",
    "bulkCreateUsers": "Bulk user creation",
    "bulkCreateEnrollments": "Bulk enrollment creation",
}


def record_error(
    index: int, problems: list[dict[str, Any]], wire_record: Any, **extra: Any
) -> dict[str, Any]:
    """One failed record: its index in the request, the message, and the record as sent."""
    message = " ".join(
        sentence(Problem(p["field"], p["code"], p.get("params") or {})) for p in problems
    )
    return {"index": index, **extra, "error": message, "record": orjson.dumps(wire_record).decode()}


def created_ids(job: Job) -> list[str]:
    return [r["uuid"] for r in job.results if r["ok"] and not r.get("skipped")]


def skipped_ids(job: Job) -> list[str]:
    return [r["uuid"] for r in job.results if r["ok"] and r.get("skipped")]


def job_errors(job: Job) -> list[dict[str, Any]]:
    records = {int(item["index"]): item.get("wire") for item in job.payload}
    return [
        record_error(r["index"], r["problems"], records.get(r["index"]))
        for r in job.results
        if not r["ok"]
    ]


def job(j: Job) -> dict[str, Any]:
    """`APIBackgroundJob` (reference §10.5) plus the counters and per-record outcome."""
    return {
        "id": j.uuid,
        "type": j.job_type,
        "description": j.description,
        "errorMessage": j.error_message,
        "createdAt": iso_ms(j.created_at),
        "updatedAt": iso_ms(j.updated_at),
        "repeatable": j.repeatable,
        "status": j.status,
        "totalCount": j.total_count,
        "processedCount": j.processed_count,
        "succeededCount": j.succeeded_count,
        "failedCount": j.failed_count,
        "createdIds": created_ids(j),
        "errors": job_errors(j),
    }


def job_summary(j: Job) -> dict[str, Any]:
    """The `backgroundJob` block of a bulk response (as on the certificate-template bulk pages)."""
    return {k: v for k, v in job(j).items() if k not in ("createdIds", "errors")}
