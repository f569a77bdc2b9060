"""Every operation of Thinkific's own OpenAPI file, called against a populated site.

The operations come from the vendor spec (not from a hand list), so none can be skipped: each
must be served (no 404 for an unknown route, no 405, no 501), never fail (no 5xx), and answer a
status the spec documents for it, with a body that validates against the spec's schema (with the
deviations of tests/contract.py). Path ids, query values and bodies are built from the spec's own
examples, with ids pointing at real records of the site.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tests import builders
from tests.conftest import Tenant
from tests.contract import thinkific_contract

# Deletions run last, dependents before what they depend on.
DELETE_ORDER = [
    "/groups/{group_id}/analysts/{user_id}",
    "/group_analysts/{user_id}/groups/{group_id}",
    "/collection_memberships/{id}",
    "/coupons/{id}",
    "/promotions/{id}",
    "/site_scripts/{id}",
    "/instructors/{id}",
    "/collections/{id}",
    "/groups/{id}",
    "/users/{id}",
]


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [
        (method.upper(), path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "delete")
    ]
    writes = [o for o in found if o[0] != "DELETE"]
    deletes = sorted((o for o in found if o[0] == "DELETE"), key=lambda o: DELETE_ORDER.index(o[1]))
    return writes + deletes


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


async def _world(tenant: Tenant) -> dict[str, Any]:
    ctx = tenant.ctx
    course = await builders.course(ctx, chapters=1, lessons=2, status="published")
    other = await builders.course(ctx, status="published")
    learner = await builders.user(ctx)
    analyst = await builders.user(ctx, roles=["group_analyst"])
    enrollment = await builders.enrollment(ctx, learner.id, course.id)
    bundle = await builders.bundle(ctx, [course.id, other.id])
    category = await builders.category(ctx)
    group = await builders.group(ctx)
    promotion = await builders.promotion(ctx)
    coupon = await builders.coupon(ctx, promotion.id, code="CONFORM10")
    await builders.price(ctx, course.product_id)
    request = await builders.publish_request(ctx, other.product_id, learner.id)
    chapter = (await tenant.tk("GET", f"/courses/{course.id}/chapters")).json()["items"][0]
    review = await tenant.tk(
        "POST",
        f"/course_reviews?course_id={course.id}",
        json={
            "rating": 5,
            "title": "Great",
            "review_text": "Clear",
            "user_id": learner.id,
            "approved": True,
        },
    )
    instructor = await tenant.tk(
        "POST", "/instructors", json={"first_name": "Ada", "last_name": "L", "slug": "ada"}
    )
    script = await tenant.tk(
        "POST",
        "/site_scripts",
        json={
            "name": "Tag",
            "description": "Analytics",
            "page_scopes": ["all"],
            "category": "analytics",
            "src": "https://cdn.example.com/tag.js",
        },
    )
    order = await tenant.tk(
        "POST", "/orders", json={"user_id": learner.id, "product_id": other.product_id}
    )
    external = await tenant.tk(
        "POST",
        "/external_orders",
        json={
            "payment_provider": "stripe",
            "user_id": learner.id,
            "product_id": course.product_id,
            "order_type": "one-time",
            "transaction": {"amount": 4900, "currency": "USD"},
        },
    )
    for response in (review, instructor, script, order, external):
        assert response.status_code in (200, 201), response.text
    identity = await tenant.tk(
        "POST",
        "/users",
        json={
            "first_name": "Sso",
            "last_name": "User",
            "email": "sso-conform@example.com",
            "external_id": "sso-77",
            "provider": "SSO",
        },
    )
    return {
        "course": course,
        "learner": learner,
        "analyst": analyst,
        "enrollment": enrollment,
        "bundle": bundle,
        "category": category,
        "group": group,
        "promotion": promotion,
        "coupon": coupon,
        "publish_request": request,
        "chapter": chapter,
        "review": review.json(),
        "instructor": instructor.json(),
        "script": script.json(),
        "order": order.json(),
        "external": external.json(),
        "sso_user": identity.json(),
        "product_id": course.product_id,
        "content_id": chapter["content_ids"][0],
    }


def _path(template: str, w: dict[str, Any]) -> str:
    """The template with each id taken from the record that path names."""
    ids = {
        "bundles": w["bundle"].id,
        "collections": w["category"].id,
        "collection_memberships": w["category"].id,
        "chapters": w["chapter"]["id"],
        "contents": w["content_id"],
        "coupons": w["coupon"].id,
        "courses": w["course"].id,
        "course_reviews": w["review"]["id"],
        "enrollments": w["enrollment"].id,
        "external_orders": w["external"]["id"],
        "groups": w["group"].id,
        "instructors": w["instructor"]["id"],
        "orders": w["order"]["id"],
        "product_publish_requests": w["publish_request"].id,
        "products": w["product_id"],
        "promotions": w["promotion"].id,
        "site_scripts": w["script"]["id"],
        "users": w["sso_user"]["id"],
        "group_analysts": w["analyst"].id,
    }
    parts = template.strip("/").split("/")
    out = []
    for index, part in enumerate(parts):
        if part == "{group_id}":
            out.append(str(w["group"].id))
        elif part == "{user_id}":
            out.append(str(w["analyst"].id))
        elif part == "{provider}":
            out.append("SSO")
        elif part.startswith("{"):
            out.append(str(ids[parts[index - 1]]))
        else:
            out.append(part)
    return "/" + "/".join(out)


def _query(op: dict[str, Any], w: dict[str, Any]) -> dict[str, str]:
    values = {
        "promotion_id": str(w["promotion"].id),
        "course_id": str(w["course"].id),
        "product_id": str(w["product_id"]),
        "coupon_code": "CONFORM10",
    }
    return {
        p["name"]: values[p["name"]]
        for p in op.get("parameters", [])
        if p.get("in") == "query" and p.get("required")
    }


def _example(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    schema = _resolve(spec, schema)
    if "example" in schema:
        return schema["example"]
    if schema.get("type") == "object" or "properties" in schema:
        return {k: _example(spec, v) for k, v in schema.get("properties", {}).items()}
    if schema.get("type") == "array":
        return [_example(spec, schema.get("items", {}))]
    return {"string": "x", "number": 1, "integer": 1, "boolean": True}.get(schema.get("type"), "x")


def _body(spec: dict[str, Any], op: dict[str, Any], w: dict[str, Any]) -> Any:
    content = (op.get("requestBody") or {}).get("content", {}).get("application/json")
    if content is None:
        return None
    body = _example(spec, content["schema"])
    if not isinstance(body, dict):
        return body
    refs = {
        "user_id": w["learner"].id,
        "course_id": w["course"].id,
        "product_id": w["product_id"],
        "product_ids": [w["product_id"]],
        "group_ids": [w["group"].id],
        "user_ids": [w["analyst"].id],
        "group_names": [w["group"].name],
        "coupon_ids": [],
        "custom_profile_fields": [],
        "email": "conformance@example.com",
        "code": "NEWCODE1",
        "slug": "conformance-slug",
        "external_id": "conformance-ext",
        "provider": "SSO",
    }
    for name, value in refs.items():
        if name in body:
            body[name] = value
    body.pop("content", None) if "src" in body else None
    if "amount" in body and "currency" in body:  # a transaction: within what was paid (4900)
        body["amount"] = 100
    for date_field in ("activated_at", "expiry_date", "starts_at", "expires_at"):
        if date_field in body:
            body[date_field] = "2031-01-01T00:00:00Z"
    return body


async def test_every_vendor_operation_is_served_and_conformant(
    tenant: Tenant, shared_dir: Path
) -> None:
    spec = yaml.safe_load((shared_dir / "specs" / "thinkific-admin-api-openapi.yml").read_text())
    contract = thinkific_contract(shared_dir)
    world = await _world(tenant)
    operations = _operations(spec)
    assert len(operations) == 77
    problems: list[str] = []
    for method, template, op in operations:
        path = _path(template, world)
        response = await tenant.tk(
            method, path, params=_query(op, world), json=_body(spec, op, world)
        )
        label = f"{method} {template} -> {response.status_code} {response.text[:160]}"
        if response.status_code in (405, 501) or response.status_code >= 500:
            problems.append(label)
            continue
        try:
            contract.check(
                method, re.sub(r"\?.*", "", path), response.status_code, response.content
            )
        except AssertionError as exc:
            problems.append(f"{label}: {exc}")
    assert not problems, f"{len(problems)} of 77 operations:\n" + "\n".join(problems)
