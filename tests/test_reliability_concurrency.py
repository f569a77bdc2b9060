"""Parallel identical creates against a real `coursegate serve` (two worker processes, so on
PostgreSQL requests truly run at once): exactly one record survives, losers get the vendor's
conflict/validation answer (never a 500), and enrollment counts stay exact."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.contract import thinkific_contract
from tests.reliability_support import Server, seed_site, ti_error_envelope

PARALLEL = 50


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("concurrency") / "server.log"
    with Server(database_url, log, workers=2) as running:
        yield running


@pytest.fixture
async def client(server: Server, database_url: str) -> Any:
    subdomain, key = await seed_site(database_url, "par")
    headers = {"X-Auth-API-Key": key, "X-Auth-Subdomain": subdomain}
    limits = httpx.Limits(max_connections=PARALLEL)
    async with httpx.AsyncClient(
        base_url=server.base_url, headers=headers, limits=limits, timeout=60
    ) as http:
        http.headers["Authorization"] = f"Bearer {key}"
        yield http


async def _burst(
    client: httpx.AsyncClient, method: str, url: str, bodies: list[Any]
) -> list[httpx.Response]:
    return list(await asyncio.gather(*(client.request(method, url, json=b) for b in bodies)))


def _statuses(responses: list[httpx.Response]) -> Counter[int]:
    return Counter(r.status_code for r in responses)


async def test_parallel_identical_ti_courses_leave_one(client: httpx.AsyncClient) -> None:
    token = uuid.uuid4().hex[:8]
    body = {"title": f"Race {token}", "slug": f"race-{token}", "courseType": "course"}
    responses = await _burst(client, "POST", "/incoming/v2/courses", [body] * PARALLEL)
    statuses = _statuses(responses)
    assert statuses[201] == 1 and statuses[422] == PARALLEL - 1, statuses
    for loser in (r for r in responses if r.status_code == 422):
        assert ti_error_envelope(422, loser.content) is None
        assert loser.json()["code"] in ("DUPLICATE_TITLE", "DUPLICATE_SLUG")
    found = await client.get("/incoming/v2/content", params={"types": "course", "query": token})
    assert len(found.json()["data"]["APIContentSearch"]["contentItems"]) == 1


async def test_parallel_titles_sharing_a_slug_all_succeed(client: httpx.AsyncClient) -> None:
    token = uuid.uuid4().hex[:8]
    bodies = [{"title": f"Slug {token} {'!' * n}", "courseType": "course"} for n in range(20)]
    responses = await _burst(client, "POST", "/incoming/v2/courses", bodies)
    assert _statuses(responses) == {201: 20}, [r.text for r in responses if r.status_code != 201][
        :3
    ]
    assert len({r.json()["slug"] for r in responses}) == 20


async def test_parallel_identical_users_leave_one(
    client: httpx.AsyncClient, shared_dir: Path
) -> None:
    email = f"race-{uuid.uuid4().hex[:8]}@example.com"
    body = {"first_name": "Race", "last_name": "Condition", "email": email}
    responses = await _burst(client, "POST", "/api/public/v1/users", [body] * PARALLEL)
    statuses = _statuses(responses)
    assert statuses[201] == 1 and statuses[422] == PARALLEL - 1, statuses
    contract = thinkific_contract(shared_dir)
    for response in responses:
        contract.check("POST", "/users", response.status_code, response.content)
    listed = await client.get("/api/public/v1/users", params={"query[email]": email})
    assert listed.json()["meta"]["pagination"]["total_items"] == 1


async def test_parallel_identical_enrollments_leave_one(
    client: httpx.AsyncClient, shared_dir: Path
) -> None:
    course = (
        await client.post(
            "/incoming/v2/courses",
            json={"title": f"Enr {uuid.uuid4().hex[:8]}", "courseType": "course"},
        )
    ).json()
    user = (
        await client.post(
            "/api/public/v1/users",
            json={
                "first_name": "E",
                "last_name": "N",
                "email": f"e-{uuid.uuid4().hex[:8]}@example.com",
            },
        )
    ).json()
    course_id = await _thinkific_course_id(client, course["id"])
    body = {"user_id": user["id"], "course_id": course_id, "activated_at": "2026-01-01T00:00:00Z"}
    responses = await _burst(client, "POST", "/api/public/v1/enrollments", [body] * PARALLEL)
    statuses = _statuses(responses)
    assert statuses[201] == 1 and statuses[422] == PARALLEL - 1, statuses
    contract = thinkific_contract(shared_dir)
    for response in responses:
        contract.check("POST", "/enrollments", response.status_code, response.content)
    listed = await client.get("/api/public/v1/enrollments", params={"query[user_id]": user["id"]})
    assert listed.json()["meta"]["pagination"]["total_items"] == 1
    assert await _enrollment_count(client, course["title"]) == 1


async def test_enrollment_count_exact_under_parallel_enrollment(client: httpx.AsyncClient) -> None:
    course = (
        await client.post(
            "/incoming/v2/courses",
            json={"title": f"Count {uuid.uuid4().hex[:8]}", "courseType": "course"},
        )
    ).json()
    course_id = await _thinkific_course_id(client, course["id"])
    users = await _burst(
        client,
        "POST",
        "/api/public/v1/users",
        [
            {
                "first_name": "P",
                "last_name": str(n),
                "email": f"p{n}-{uuid.uuid4().hex[:8]}@example.com",
            }
            for n in range(PARALLEL)
        ],
    )
    assert _statuses(users) == {201: PARALLEL}
    bodies = [{"user_id": u.json()["id"], "course_id": course_id} for u in users]
    responses = await _burst(client, "POST", "/api/public/v1/enrollments", bodies * 2)
    assert _statuses(responses) == {201: PARALLEL, 422: PARALLEL}, _statuses(responses)
    assert await _enrollment_count(client, course["title"]) == PARALLEL
    listed = await client.get("/api/public/v1/enrollments", params={"query[course_id]": course_id})
    assert listed.json()["meta"]["pagination"]["total_items"] == PARALLEL


async def _thinkific_course_id(client: httpx.AsyncClient, course_uuid: str) -> int:
    """The Thinkific integer id of a course created through TI (the same row)."""
    title = (await client.get(f"/incoming/v2/courses/{course_uuid}")).json()["title"]
    page: int | None = 1
    while page is not None:
        listed = (
            await client.get("/api/public/v1/courses", params={"page": page, "limit": 250})
        ).json()
        for item in listed["items"]:
            if item["name"] == title:
                return int(item["id"])
        page = listed["meta"]["pagination"]["next_page"]
    raise AssertionError(f"course {course_uuid} not listed in Thinkific")


async def _enrollment_count(client: httpx.AsyncClient, title: str) -> int:
    """`courses.enrollment_count` as Thought Industries shows it (`enrollmentCount`)."""
    found = await client.get("/incoming/v2/content", params={"types": "course", "query": title})
    items = found.json()["data"]["APIContentSearch"]["contentItems"]
    assert len(items) == 1, items
    return int(items[0]["enrollmentCount"])
