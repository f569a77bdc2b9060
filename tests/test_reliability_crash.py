"""Crash safety: SIGKILL a real `coursegate serve` in the middle of a stream of creates, start
it again on the same database, and prove every acknowledged write is there and nothing is
half-written (every course has its product, every row its event, counts match)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from coursegate.store.database import Database
from coursegate.store.tables.events import events
from tests.reliability_support import Server, seed_site

STREAMS = 3
KILL_AFTER = 8  # acknowledged courses before the kill


@dataclass
class Acked:
    courses: dict[str, str] = field(default_factory=dict)  # uuid -> title
    users: dict[int, str] = field(default_factory=dict)  # id -> email
    enrollments: list[int] = field(default_factory=list)
    enough: asyncio.Event = field(default_factory=asyncio.Event)


async def _stream(http: httpx.AsyncClient, acked: Acked) -> None:
    """Create course, user, enrollment, again and again, until the server is gone."""
    try:
        while True:
            token = uuid.uuid4().hex[:10]
            course = await http.post(
                "/incoming/v2/courses", json={"title": f"Crash {token}", "courseType": "course"}
            )
            if course.status_code != 201:
                raise AssertionError(course.text)
            acked.courses[course.json()["id"]] = f"Crash {token}"
            if len(acked.courses) >= KILL_AFTER:
                acked.enough.set()
            email = f"crash-{token}@example.com"
            user = await http.post(
                "/api/public/v1/users", json={"first_name": "C", "last_name": "K", "email": email}
            )
            assert user.status_code == 201, user.text
            acked.users[user.json()["id"]] = email
            course_id = await _course_id(http, f"Crash {token}")
            enrollment = await http.post(
                "/api/public/v1/enrollments",
                json={"user_id": user.json()["id"], "course_id": course_id},
            )
            assert enrollment.status_code == 201, enrollment.text
            acked.enrollments.append(enrollment.json()["id"])
    except httpx.TransportError:
        return  # the server died under us: whatever was not acknowledged may or may not exist


async def _course_id(http: httpx.AsyncClient, title: str) -> int:
    listed = (await http.get("/api/public/v1/courses", params={"limit": 250})).json()
    return next(int(c["id"]) for c in listed["items"] if c["name"] == title)


async def _all(http: httpx.AsyncClient, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page: int | None = 1
    while page is not None:
        body = (await http.get(f"/api/public/v1{path}", params={"page": page, "limit": 250})).json()
        items += body["items"]
        page = body["meta"]["pagination"]["next_page"]
    return items


async def test_sigkill_mid_stream_loses_no_acknowledged_write(
    database_url: str, tmp_path: Path
) -> None:
    subdomain, key = await seed_site(database_url, "crash")
    headers = {
        "X-Auth-API-Key": key,
        "X-Auth-Subdomain": subdomain,
        "Authorization": f"Bearer {key}",
    }
    acked = Acked()
    server = Server(database_url, tmp_path / "server.log").start()
    try:
        async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=60) as http:
            streams = [asyncio.create_task(_stream(http, acked)) for _ in range(STREAMS)]
            await acked.enough.wait()
            server.kill()  # SIGKILL while the other streams have requests in flight
            await asyncio.gather(*streams)
    finally:
        server.kill()
    assert len(acked.courses) >= KILL_AFTER

    with Server(database_url, tmp_path / "restart.log") as restarted:
        async with httpx.AsyncClient(
            base_url=restarted.base_url, headers=headers, timeout=60
        ) as http:
            for course_uuid, title in acked.courses.items():
                got = await http.get(f"/incoming/v2/courses/{course_uuid}")
                assert got.status_code == 200 and got.json()["title"] == title
            for user_id, email in acked.users.items():
                got = await http.get(f"/api/public/v1/users/{user_id}")
                assert got.status_code == 200 and got.json()["email"] == email
            for enrollment_id in acked.enrollments:
                assert (
                    await http.get(f"/api/public/v1/enrollments/{enrollment_id}")
                ).status_code == 200

            courses = await _all(http, "/courses")
            users = await _all(http, "/users")
            enrollments = await _all(http, "/enrollments")
            # Nothing half-written: every course has its product, counts agree with rows.
            assert all(c["product_id"] is not None for c in courses)
            per_course: dict[int, int] = {}
            for e in enrollments:
                per_course[e["course_id"]] = per_course.get(e["course_id"], 0) + 1
            for course in courses:
                found = await http.get(
                    "/incoming/v2/content", params={"types": "course", "query": course["name"]}
                )
                items = found.json()["data"]["APIContentSearch"]["contentItems"]
                assert items[0]["enrollmentCount"] == per_course.get(course["id"], 0), course[
                    "name"
                ]

    # Every row's event was committed with it (the transactional outbox).
    db = Database(database_url, 1)
    try:
        async with db.read() as conn:
            rows = (await conn.execute(select(events.c.type, events.c.subject_id))).all()
    finally:
        await db.dispose()
    recorded = {(r.type, r.subject_id) for r in rows}
    assert all(("course.created", c["id"]) in recorded for c in courses)
    assert all(("user.created", u["id"]) in recorded for u in users)
    assert all(
        ("enrollment.created", e["id"]) in recorded or ("enrollment.trial", e["id"]) in recorded
        for e in enrollments
    )
