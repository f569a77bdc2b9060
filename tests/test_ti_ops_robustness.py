"""Odd input to the operations endpoints never yields a 5xx (seeded random values, so a
failure reproduces)."""

from __future__ import annotations

import random
from typing import Any

from coursegate.platform import tenancy
from tests.conftest import Tenant

ODD_TEXT = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "2026-01-01",
    "abc",
    "1.5",
    "true",
    "%%%",
    "\u0000",
    "00000000-0000-0000-0000-000000000000",
    "name:desc",
    "x" * 300,
    "2026-13-45T99:00:00Z",
]


def _value(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(8 if depth < 2 else 6)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.choice([0, -1, 7, 2**40, 10**30])
    if choice == 3:
        return rng.choice([0.5, -3.25, 1e308])
    if choice in (4, 5):
        return rng.choice(ODD_TEXT)
    if choice == 6:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    return {rng.choice(BODY_KEYS): _value(rng, depth + 1) for _ in range(rng.randrange(3))}


GETS = ["/assessmentAttempts", "/assignmentSubmissions", "/meetings", "/clients", "/logs/sso"]
GET_PARAMS = [
    "cursor",
    "page",
    "perPage",
    "count",
    "startDate",
    "endDate",
    "courseId",
    "userId",
    "clientId",
    "query",
    "sort",
    "type",
    "enableAggregations",
]
POSTS = [
    "/assignmentExternalActivity",
    "/courseExternalActivity",
    "/learningPathExternalActivity",
    "/clients",
    "/licenses",
    "/users/x/updateMeetingAttendance",
    "/users",
]
BODY_KEYS = [
    "status",
    "assignmentId",
    "learnerId",
    "grade",
    "returnUrl",
    "courseId",
    "courseSku",
    "userId",
    "userEmail",
    "completionDate",
    "learningPathId",
    "timeStampDate",
    "meetingId",
    "attended",
    "name",
    "slug",
    "clientId",
    "seatsLimit",
    "courseIds",
    "studentLicenseIds",
    "managerLicenseSkus",
    "email",
    "firstName",
    "lastName",
    "expirationDate",
    "enableSegmentation",
]


async def test_get_parameters_never_crash(tenant: Tenant) -> None:
    rng = random.Random(20261125)
    for _ in range(120):
        path = rng.choice(GETS)
        params = {rng.choice(GET_PARAMS): rng.choice(ODD_TEXT) for _ in range(rng.randrange(1, 5))}
        response = await tenant.ti("GET", path, params=params)
        assert response.status_code < 500, (path, params, response.text)


async def test_post_bodies_never_crash(tenant: Tenant, db: Any) -> None:
    profile = {"thoughtindustries": {"features": {"externalActivity": True}}}
    await tenancy.update_site(db, tenant.site.subdomain, {"profile": profile})
    rng = random.Random(11252026)
    for _ in range(200):
        path = rng.choice(POSTS)
        body = (
            {rng.choice(BODY_KEYS): _value(rng) for _ in range(rng.randrange(1, 7))}
            if rng.random() < 0.85
            else _value(rng)
        )
        response = await tenant.ti("POST", path, json=body)
        assert response.status_code < 500, (path, body, response.text)
