"""Background jobs: a bulk operation's records are stored with the job, then processed in
batches. Each batch and the job's counters commit in one transaction, so after a crash the job
says exactly how far it got, and `resume` carries on from there."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Invalid, NotFound, Problem
from coursegate.domain.recording import record
from coursegate.domain.structure_models import Job
from coursegate.platform.ids import is_uuid, new_uuid
from coursegate.store.database import Unit
from coursegate.store.jobs import JobRepo, savepoint

log = logging.getLogger(__name__)

# One record's work inside the batch transaction; returns what the result should remember.
# Items are {"index": position in the request, "data": the record, ...options}.
Handler = Callable[[Unit, dict[str, Any]], Awaitable[dict[str, Any]]]
HANDLERS: dict[str, Handler] = {}


def handler(job_type: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[job_type] = fn
        return fn

    return register


def _snapshot(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "uuid": job.uuid,
        "type": job.job_type,
        "status": job.status,
        "total": job.total_count,
        "processed": job.processed_count,
        "succeeded": job.succeeded_count,
        "failed": job.failed_count,
    }


async def create_job(ctx: Ctx, job_type: str, description: str, items: list[dict[str, Any]]) -> Job:
    if job_type not in HANDLERS:
        raise Invalid.one("type", "invalid_choice", value=job_type, choices=sorted(HANDLERS))
    async with ctx.writing() as u:
        repo = JobRepo(u)
        job_id = await repo.create(
            {
                "uuid": new_uuid(),
                "job_type": job_type,
                "description": description,
                "status": "queued",
                "total_count": len(items),
                "payload": items,
                "results": [],
                "repeatable": False,
                "created_at": u.now,
                "updated_at": u.now,
            }
        )
        job = await repo.get(job_id)
        assert job is not None
        await record(u, "job.created", "job", job.id, job.uuid, _snapshot(job))
        return job


async def _apply(u: Unit, fn: Handler, index: int, item: dict[str, Any]) -> dict[str, Any]:
    try:
        async with savepoint(u):
            return {"index": index, "ok": True, **await fn(u, item)}
    except Invalid as exc:
        problems = exc.problems
    except NotFound as exc:
        problems = [
            Problem(exc.resource, "not_found", {"resource": exc.resource, "value": str(exc.key)})
        ]
    return {"index": index, "ok": False, "problems": [asdict(p) for p in problems]}


async def _batch(ctx: Ctx, job_id: int, size: int) -> Job | None:
    """Process the next batch; returns the job after it (None when it no longer exists)."""
    async with ctx.writing() as u:
        repo = JobRepo(u)
        job = await repo.lock(job_id)
        if job is None or job.status in ("complete", "failed"):
            return job
        fn = HANDLERS[job.job_type]
        start = job.processed_count
        batch = job.payload[start : start + size]
        results = [
            await _apply(u, fn, int(item.get("index", start + n)), item)
            for n, item in enumerate(batch)
        ]
        ok = sum(1 for r in results if r["ok"])
        processed = start + len(batch)
        status = "complete" if processed >= job.total_count else "running"
        await repo.update(
            job.id,
            {
                "status": status,
                "processed_count": processed,
                "succeeded_count": job.succeeded_count + ok,
                "failed_count": job.failed_count + len(results) - ok,
                "results": [*job.results, *results],
                "updated_at": u.now,
            },
        )
        after = await repo.get(job.id)
        assert after is not None
        event = "job.completed" if status == "complete" else "job.progressed"
        await record(u, event, "job", after.id, after.uuid, _snapshot(after))
        return after


async def run(ctx: Ctx, job_id: int, batch_size: int) -> Job | None:
    """Process a job to its end. An unexpected failure marks it failed, with the reason."""
    try:
        while True:
            job = await _batch(ctx, job_id, max(batch_size, 1))
            if job is None or job.status in ("complete", "failed"):
                return job
    except Exception as exc:  # a crash of the job, not of one record: report it truthfully
        log.exception("job %s failed", job_id)
        async with ctx.writing() as u:
            repo = JobRepo(u)
            before = await repo.get(job_id)
            done = f"{before.processed_count} of {before.total_count}" if before else "some"
            # Clients see what happened and how far it got; the details stay in the log.
            message = (
                f"Processing stopped after {done} records: internal error ({type(exc).__name__})."
            )
            await repo.update(
                job_id, {"status": "failed", "error_message": message, "updated_at": u.now}
            )
            job = await repo.get(job_id)
            if job is not None:
                await record(
                    u,
                    "job.failed",
                    "job",
                    job.id,
                    job.uuid,
                    {**_snapshot(job), "error": job.error_message},
                )
            return job


async def resume(ctx: Ctx, batch_size: int) -> list[Job]:
    """Finish every job a stopped process left queued or running (from its last batch)."""
    async with ctx.reading() as u:
        ids = await JobRepo(u).unfinished_ids()
    finished = [await run(ctx, job_id, batch_size) for job_id in ids]
    return [j for j in finished if j is not None]


async def get_job(ctx: Ctx, key: str) -> Job:
    async with ctx.reading() as u:
        repo = JobRepo(u)
        job = await repo.get_by_uuid(key) if is_uuid(key) else None
    if job is None:
        raise NotFound("job", key)
    return job
