"""Tenant isolation, generated from both dialects' route tables.

Site A gets one of everything (built through the domain). Every operation of every mounted
dialect is then called with site B's key, addressing A's rows by integer id, UUID, slug, email,
external ids and a cursor minted for A. B must get a 4xx (or an empty list), no response may
contain any of A's data that B did not itself send, and A's data must be unchanged afterwards.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from coursegate.domain import people
from tests import builders
from tests.conftest import Tenant
from tests.reliability_support import (
    THINKIFIC,
    TI,
    Route,
    auth_headers,
    dialect_routes,
    envelope_for,
)

ID_LIKE = re.compile(r"(^id$|_id$|Id$|Ids$|_ids$|[sS]lugs?$|^courses?$|^users?$)")
ITEM_RESOURCES = {"courses", "users", "enrollments", "chapters", "contents"}


@dataclass
class SiteA:
    ints: list[int]
    # Integer ids are per table: A's lesson 7 may be B's own instructor 7. An integer names A's
    # row only on routes over the table it came from (first path segment).
    owners: dict[int, str]
    refs: list[str]  # uuids, slugs, emails, external ids
    secrets: list[str]  # A's strings that must never reach B
    user_cursor: str
    content_cursor: str
    email: str
    title: str
    course_id: int
    user_id: int
    enrollment_id: int


async def _build_site_a(tenant: Tenant) -> SiteA:
    token = uuid.uuid4().hex[:10]
    ctx = tenant.ctx
    course = await builders.course(
        ctx,
        chapters=1,
        lessons=1,
        title=f"Secret course {token}",
        external_id=f"ext-{token}",
        description=f"desc {token}",
    )
    email = f"secret-{token}@a.example.com"
    user = await people.create_user(
        ctx,
        {
            "first_name": f"Fn{token}",
            "last_name": f"Ln{token}",
            "email": email,
            "external_customer_id": f"cust-{token}",
        },
        identity=("SSO", f"sso-{token}"),
    )
    enrollment = await builders.enrollment(ctx, user.id, course.id)
    chapter = await builders.chapter(ctx, course.id, f"Chapter {token}")
    lesson = await builders.lesson(ctx, chapter.id, f"Lesson {token}")
    # Cursors minted by A's own listings.
    users = (await tenant.ti("GET", "/users", params={"perPage": 1})).json()
    content = (await tenant.ti("GET", "/content", params={"types": "course", "perPage": 1})).json()
    user_cursor = users["data"]["APIUsers"]["pageInfo"]["cursor"]
    content_cursor = content["data"]["APIContentSearch"]["pageInfo"]["cursor"]
    assert user_cursor and content_cursor
    secrets = [
        email,
        f"Fn{token}",
        f"Ln{token}",
        course.title,
        course.uuid,
        user.uuid,
        course.slug,
        f"ext-{token}",
        f"sso-{token}",
        f"cust-{token}",
        f"desc {token}",
        chapter.title,
        lesson.title,
        enrollment.uuid,
    ]
    refs = [
        course.uuid,
        user.uuid,
        enrollment.uuid,
        course.slug,
        email,
        f"ext-{token}",
        f"sso-{token}",
        f"cust-{token}",
    ]
    ints = [course.id, user.id, enrollment.id, chapter.id, lesson.id]
    owners = {
        course.id: "courses",
        user.id: "users",
        enrollment.id: "enrollments",
        chapter.id: "chapters",
        lesson.id: "contents",
    }
    return SiteA(
        ints,
        owners,
        refs,
        secrets,
        user_cursor,
        content_cursor,
        email,
        course.title,
        course.id,
        user.id,
        enrollment.id,
    )


def _operation(app: Any, route: Route) -> dict[str, Any]:
    doc = next(m.app.openapi() for m in app.routes if getattr(m, "path", None) == route.prefix)
    return dict(doc["paths"][route.path][route.method.lower()]), doc


def _query(route: Route, operation: dict[str, Any], a: SiteA) -> dict[str, str]:
    """Fill every query parameter that can name or reveal A's data."""
    params: dict[str, str] = {}
    for param in operation.get("parameters", []):
        if param["in"] != "query":
            continue
        name = param["name"]
        bare = name.removeprefix("query[").removesuffix("]")
        if "email" in bare:
            params[name] = a.email
        elif bare in ("user_id", "userId"):
            params[name] = str(a.user_id)
        elif bare in ("course_id", "courseId"):
            params[name] = str(a.course_id)
        elif bare == "cursor":
            params[name] = a.content_cursor if route.path.startswith("/content") else a.user_cursor
        elif bare == "types":
            params[name] = "course"
        elif bare == "query":
            params[name] = a.title
        elif bare == "provider":
            params[name] = "SSO"
    return params


def _schema(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = doc["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _types(node: dict[str, Any]) -> set[str]:
    options = node.get("anyOf") or [node]
    return {str(o.get("type")) for o in options}


def _bodies(operation: dict[str, Any], doc: dict[str, Any], route: Route, a: SiteA) -> list[Any]:
    """Bodies whose reference fields all point at A's rows (one body per kind of reference)."""
    if "requestBody" not in operation:
        return [None]
    content = operation["requestBody"]["content"]
    schema = _schema(doc, next(iter(content.values()))["schema"])
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    bodies: list[Any] = []
    for ref in [*a.ints, *a.refs]:
        body: dict[str, Any] = {}
        for name, prop in properties.items():
            kinds = _types(_schema(doc, prop))
            if ID_LIKE.search(name):
                value: Any = ref if "string" in kinds or "array" in kinds else None
                if "integer" in kinds and isinstance(ref, int):
                    value = ref
                if isinstance(ref, int) and "string" in kinds and "integer" not in kinds:
                    value = str(ref)
                if value is not None:
                    body[name] = [value] if "array" in kinds and "integer" not in kinds else value
            elif "email" in name.lower():
                body[name] = f"b-{uuid.uuid4().hex[:8]}@b.example.com"
            elif name in required and "string" in kinds:
                body[name] = f"probe {uuid.uuid4().hex[:6]}"
        bodies.append(body)
    return bodies


def _path_values(route: Route, a: SiteA) -> list[tuple[dict[str, str], bool]]:
    """Path parameter values naming A's rows, each with whether it surely names A's row on
    this route (UUIDs, slugs, emails and external ids always do; integers on their table)."""
    if not route.path_params:
        return [({}, False)]
    segment = route.path.split("/")[1]
    options: list[tuple[dict[str, str], bool]] = []
    for ref in [*a.ints, *a.refs]:
        values = {p: ("SSO" if p == "provider" else str(ref)) for p in route.path_params}
        options.append((values, not isinstance(ref, int) or a.owners.get(ref) == segment))
    return options


def _empty_listing(response: httpx.Response) -> bool:
    """A listing with nothing in it (what a vendor may answer for a parent it cannot see):
    JSON holding at least one list, every list empty."""
    try:
        stack: list[Any] = [orjson.loads(response.content)]
    except orjson.JSONDecodeError:
        return False
    lists = 0
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            if node:
                return False
            lists += 1
        elif isinstance(node, dict):
            stack.extend(node.values())
    return lists > 0


def _caller(tenant: Tenant, prefix: str) -> Any:
    """Call a mount as the tenant, whichever wire it has."""
    headers = auth_headers(tenant.key, tenant.site.subdomain)

    async def call(method: str, path: str, **kwargs: Any) -> httpx.Response:
        return await tenant.http.request(method, prefix + path, headers=headers, **kwargs)

    return call


def _leaks(response: httpx.Response, sent: str, a: SiteA) -> list[str]:
    text = response.content.decode("utf-8", "replace")
    return [s for s in a.secrets if s in text and s not in sent]


async def test_site_b_never_reaches_site_a_on_any_route(
    app: Any, tenant: Tenant, other_tenant: Tenant
) -> None:
    a = await _build_site_a(tenant)
    b = other_tenant
    before = {
        "course": (await tenant.tk("GET", f"/courses/{a.course_id}")).content,
        "user": (await tenant.tk("GET", f"/users/{a.user_id}")).content,
        "enrollment": (await tenant.tk("GET", f"/enrollments/{a.enrollment_id}")).content,
    }
    routes = list(dialect_routes(app))
    assert {r.prefix for r in routes} >= {THINKIFIC, TI}
    problems: list[str] = []
    resolved_by_owner: set[str] = set()
    for route in routes:
        operation, doc = _operation(app, route)
        call = _caller(b, route.prefix)
        owner_call = _caller(tenant, route.prefix)
        relative = route.prefix + route.path
        bodies = _bodies(operation, doc, route, a)
        paths = _path_values(route, a)
        # Every path value and every body is sent at least once, paired rather than crossed.
        for index in range(max(len(paths), len(bodies))):
            (values, names_a), body = paths[index % len(paths)], bodies[index % len(bodies)]
            for params in ({}, _query(route, operation, a)):
                url = route.url(values)[len(route.prefix) :]
                kwargs: dict[str, Any] = {"params": params}
                if body is not None:
                    kwargs["json"] = body
                sent = f"{url} {params} {orjson.dumps(body).decode()}"
                # Reads by the owner prove the addresses are real (so B's 404 means something).
                if route.method == "GET" and route.path_params and route.path_params[0] == "id":
                    owned = await owner_call("GET", url, params=params)
                    if owned.status_code == 200:
                        resolved_by_owner.add(relative)
                response = await call(route.method, url, **kwargs)
                label = f"{route.method} {relative} {values} {params} {body}"
                if response.status_code >= 500:
                    problems.append(f"{label}: {response.status_code}")
                if names_a and response.status_code < 300 and not _empty_listing(response):
                    problems.append(f"{label}: B reached A's row ({response.status_code})")
                envelope = envelope_for(route.prefix)(response.status_code, response.content)
                if envelope:
                    problems.append(f"{label}: {envelope}")
                leaked = _leaks(response, sent, a)
                if leaked:
                    problems.append(f"{label}: leaked {leaked}")
    assert not problems, f"{len(problems)} isolation failures:\n" + "\n".join(problems[:25])

    # The positive control: every item route over a resource A has was readable by A.
    item_routes = {
        r.prefix + r.path
        for r in routes
        if r.method == "GET"
        and r.path_params[:1] == ("id",)
        and r.path.split("/")[1] in ITEM_RESOURCES
    }
    assert item_routes and item_routes <= resolved_by_owner, item_routes - resolved_by_owner
    after = {
        "course": (await tenant.tk("GET", f"/courses/{a.course_id}")).content,
        "user": (await tenant.tk("GET", f"/users/{a.user_id}")).content,
        "enrollment": (await tenant.tk("GET", f"/enrollments/{a.enrollment_id}")).content,
    }
    assert after == before, "site B's calls changed site A's data"
