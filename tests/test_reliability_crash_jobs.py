"""Crash safety of bulk jobs: SIGKILL the server while a bulk user import runs in the background,
start it again, and prove the job's status is truthful (its counters match the rows that exist),
that resuming finishes it, and that every record then exists exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.reliability_support import ROOT, Server, seed_site

RECORDS = 100  # the most one bulk request may carry; over the inline threshold, so a job


async def _users_with(http: httpx.AsyncClient, emails: set[str]) -> list[str]:
    found: list[str] = []
    cursor: str | None = None
    while True:
        params = {"perPage": 100, **({"cursor": cursor} if cursor else {})}
        page = (await http.get("/incoming/v2/users", params=params)).json()["data"]["APIUsers"]
        found += [u["email"] for u in page["users"] if u["email"] in emails]
        if not page["pageInfo"]["hasMore"]:
            return found
        cursor = page["pageInfo"]["cursor"]


async def _job(http: httpx.AsyncClient, job_id: str) -> dict[str, object]:
    response = await http.get(f"/incoming/v2/jobs/{job_id}")
    assert response.status_code == 200, response.text
    job: dict[str, object] = response.json()["data"]["APIBackgroundJob"]
    return job


async def test_sigkill_during_a_bulk_import_leaves_a_truthful_resumable_job(
    database_url: str, tmp_path: Path
) -> None:
    subdomain, key = await seed_site(database_url, "crashjob")
    headers = {"Authorization": f"Bearer {key}"}
    emails = {f"bulk-{n}-{subdomain}@example.com" for n in range(RECORDS)}
    body = {
        "users": [{"email": e, "firstName": "Bulk", "lastName": "User"} for e in sorted(emails)]
    }

    server = Server(database_url, tmp_path / "server.log").start()
    try:
        async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=60) as http:
            accepted = await http.post("/incoming/v2/users/bulk", json=body)
            assert accepted.status_code == 202, accepted.text
            job_id = accepted.json()["data"]["APIBulkCreateUsers"]["backgroundJob"]["id"]
        server.kill()  # the background job is cut off wherever it is
    finally:
        server.kill()

    with Server(database_url, tmp_path / "restart.log") as restarted:
        async with httpx.AsyncClient(
            base_url=restarted.base_url, headers=headers, timeout=60
        ) as http:
            job = await _job(http, str(job_id))
            present = await _users_with(http, emails)
            # Truthful: the counters were committed with the rows, so they agree exactly.
            assert job["succeededCount"] == len(present), (job, len(present))
            assert job["status"] in ("queued", "running", "complete")
            assert (job["status"] == "complete") == (len(present) == RECORDS)

    env = {**os.environ, "COURSEGATE_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT / "src")}
    resumed = subprocess.run(
        [sys.executable, "-m", "coursegate", "jobs", "resume", "--site", subdomain],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert resumed.returncode == 0, resumed.stderr

    with Server(database_url, tmp_path / "after.log") as after:
        async with httpx.AsyncClient(base_url=after.base_url, headers=headers, timeout=60) as http:
            job = await _job(http, str(job_id))
            present = await _users_with(http, emails)
            assert job["status"] == "complete" and job["succeededCount"] == RECORDS
            assert sorted(present) == sorted(emails), "every record exactly once"
