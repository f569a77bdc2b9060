"""`coursegate jobs`: finish background jobs a stopped process left behind, inspect one."""

from __future__ import annotations

from typing import Annotated

import typer

from coursegate.domain import (
    bulk,  # noqa: F401 - registers the bulk job handlers
    jobs,
)
from coursegate.domain.context import Ctx
from coursegate.platform import tenancy
from coursegate.platform.clock import SystemClock
from coursegate.platform.profiles import THOUGHT_INDUSTRIES, for_site
from coursegate.store.database import Database

jobs_app = typer.Typer(help="Background jobs (bulk operations).", no_args_is_help=True)


@jobs_app.command("resume")
def jobs_resume(
    site: Annotated[str | None, typer.Option("--site", help="Only this site")] = None,
) -> None:
    """Process every queued or running job to its end, from its last committed batch."""
    from coursegate.platform.cli import _run, err

    async def work(db: Database) -> int:
        sites = [await tenancy.get_site(db, site)] if site else await tenancy.list_sites(db)
        finished = 0
        for one in sites:
            ctx = Ctx(db, one, await tenancy.site_clock(db, SystemClock(), one.id))
            batch = for_site(THOUGHT_INDUSTRIES, one.profile).job_batch_size
            finished += len(await jobs.resume(ctx, batch))
        return finished

    err.print(f"finished {_run(work)} job(s)")


@jobs_app.command("show")
def jobs_show(job_id: str, site: Annotated[str, typer.Option("--site")]) -> None:
    """Print one job's status and counters."""
    from coursegate.platform.cli import _ctx, _run, out

    async def work(db: Database) -> str:
        job = await jobs.get_job(await _ctx(db, site), job_id)
        return (
            f"{job.uuid} {job.job_type} {job.status} "
            f"processed={job.processed_count}/{job.total_count} "
            f"succeeded={job.succeeded_count} failed={job.failed_count}"
            + (f" error={job.error_message}" if job.error_message else "")
        )

    out.print(_run(work), highlight=False)
