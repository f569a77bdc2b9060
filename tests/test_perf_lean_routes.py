"""Lean routes (parameters bound from a plan made at start-up) and the route index must answer
exactly what FastAPI's own dependency solving and route scan answer: same status, same body,
same headers, for valid and invalid parameters alike, on every GET route of every API."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import fastapi.routing
import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Match, Mount

from coursegate.platform.app import create_app
from coursegate.platform.ratelimit import MemoryRateLimiter
from coursegate.platform.route_index import RouteIndex
from coursegate.platform.settings import Settings
from coursegate.store.database import Database
from tests import builders
from tests.conftest import Tenant, TestClock

PARAM = re.compile(r"\{([^}:]+)(:[^}]+)?\}")


@pytest.fixture(scope="module")
def plain_app(settings: Settings, db: Database, clock: TestClock) -> Any:
    plain = settings.model_copy(update={"lean_routes": False})
    return create_app(plain, clock=clock, database=db, limiter=MemoryRateLimiter())


@pytest.fixture
async def plain_http(plain_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=plain_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def _apis(app: Any) -> list[tuple[str, FastAPI]]:
    return [(r.path, r.app) for r in app.routes if isinstance(r, Mount)]


def _get_routes(app: Any) -> list[tuple[str, APIRoute]]:
    return [
        (prefix, route)
        for prefix, api in _apis(app)
        for route in api.router.routes
        if isinstance(route, APIRoute) and "GET" in route.methods
    ]


def _query_names(route: APIRoute) -> list[str]:
    names: list[str] = []
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        names += [f.alias for f in dependant.query_params]
        pending += dependant.dependencies
    return names


async def _same(lean: Tenant, plain: Tenant, path: str) -> int:
    headers = {**lean.thinkific_headers, **lean.ti_headers}
    got = await lean.http.get(path, headers=headers)
    want = await plain.http.get(path, headers=headers)
    assert (got.status_code, got.content) == (want.status_code, want.content), path
    assert got.headers == want.headers, path
    return got.status_code


async def test_every_get_route_answers_as_fastapi_does(
    tenant: Tenant, plain_http: httpx.AsyncClient, app: Any, clock: TestClock
) -> None:
    clock.pinned = datetime(2026, 6, 1, 12, tzinfo=UTC)
    course = await builders.course(tenant.ctx, chapters=1, lessons=2)
    user = await builders.user(tenant.ctx)
    await builders.enrollment(tenant.ctx, user.id, course.id)
    plain = dataclasses.replace(tenant, http=plain_http)
    ids = {"user": str(user.id), "course": str(course.id)}
    statuses: set[int] = set()
    checked = 0
    for prefix, route in _get_routes(app):

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            return next((v for k, v in ids.items() if k in name), "1")

        base = prefix + PARAM.sub(value, route.path_format)
        variants = [base, base + "?page=0", base + "?limit=abc&page=2"]
        for name in _query_names(route):
            variants += [f"{base}?{name}=1", f"{base}?{name}=x", f"{base}?{name}="]
        for path in variants:
            statuses.add(await _same(tenant, plain, path))
            checked += 1
    # The sweep reached real answers and real rejections, not only 404s.
    assert {200, 400, 404}.issubset(statuses) or {200, 422, 404}.issubset(statuses), statuses
    assert checked > 300


async def test_valid_requests_skip_fastapi_dependency_solving(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    solved: list[Any] = []
    original = fastapi.routing.solve_dependencies

    async def counting(**kwargs: Any) -> Any:
        solved.append(kwargs["dependant"].call)
        return await original(**kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counting)
    user = await builders.user(tenant.ctx)
    assert (await tenant.tk("GET", f"/users/{user.id}")).status_code == 200
    assert (await tenant.tk("GET", "/users?page=1&limit=5")).status_code == 200
    assert (await tenant.ti("GET", "/users?perPage=5")).status_code == 200
    assert solved == []
    # An invalid value goes to FastAPI's handler, which reports it in the vendor's envelope.
    bad = await tenant.ti("GET", f"/users/{user.uuid}/anything-else")
    assert bad.status_code == 404
    rejected = await tenant.tk("GET", f"/users/{user.id}?provider=NOPE")
    assert rejected.status_code in (400, 422)
    assert "provider" in rejected.text
    assert len(solved) == 1


def _scan(routes: list[Any], scope: dict[str, Any]) -> Any:
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return route
    return None


def test_index_finds_the_route_the_scan_finds(app: Any) -> None:
    checked = 0
    for prefix, api in _apis(app):
        index = api.router.middleware_stack
        assert isinstance(index, RouteIndex), prefix
        routes = api.router.routes
        paths = {PARAM.sub("1", getattr(r, "path_format", "/")) for r in routes}
        paths |= {p + "/" for p in paths} | {p + "/extra" for p in paths}
        paths |= {"", "/", "/nothing-here", "/1", "//users"}
        for path in sorted(paths):
            for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "BREW"):
                scope = {"type": "http", "method": method, "path": prefix + path,
                         "root_path": prefix, "headers": []}  # fmt: skip
                found = index.find(scope)
                assert (found[0] if found else None) is _scan(routes, scope), (method, path)
                checked += 1
    assert checked > 1000
