"""Hostile input on every commerce route of both dialects: never a 5xx, always the vendor's
JSON error envelope. Inputs come from a seeded generator, so a failure reproduces exactly."""

from __future__ import annotations

import random
from typing import Any

import httpx

from tests import builders
from tests.conftest import Tenant

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1e9",
    "99999999999999999999",
    "null",
    "true",
    "abc",
    "%00",
    "a%00b",
    "../..",
    "00000000-0000-0000-0000-000000000000",
    "é",
    "🙂",
    "a" * 300,
    "[]",
    "{}",
    "'; drop table x;--",
    "2.0",
    "label:desc",
    "NaN",
]
JSONISH: list[Any] = [
    None,
    True,
    0,
    -5,
    3.5,
    2**40,
    2**70,
    -(2**70),
    1e308,
    "",
    "x",
    [],
    {},
    ["a"],
    [1, 2],
    [2**70],
    {"a": 1},
    "a" * 300,
    "2026-01-01",
    "2026-13-45T99:00:00Z",
    "1700000000000",
    "nul\x00here",
]

TK_FIELDS = [
    "name",
    "description",
    "discount_type",
    "amount",
    "starts_at",
    "expires_at",
    "product_ids",
    "coupon_ids",
    "duration",
    "code",
    "note",
    "quantity",
    "quantity_used",
    "bulk_quantity",
    "bulk_coupon_code_length",
    "bulk_quantity_per_coupon",
    "user_id",
    "product_id",
    "coupon_code",
    "payment_provider",
    "order_type",
    "transaction",
    "currency",
    "reference",
    "action",
]
TI_FIELDS = [
    "label",
    "codeLength",
    "totalCodesCount",
    "client",
    "expirationDate",
    "accessDays",
    "accessExpirationDate",
    "courses",
    "bundles",
    "licenses",
    "learningPaths",
    "code",
    "userId",
]


def _value(rng: random.Random) -> Any:
    return rng.choice(JSONISH + NASTY)


def _record(rng: random.Random, keys: list[str]) -> Any:
    if rng.random() < 0.1:
        return _value(rng)
    body = {k: _value(rng) for k in rng.sample(keys, rng.randint(0, len(keys)))}
    if "transaction" in body and rng.random() < 0.5:
        body["transaction"] = {"amount": _value(rng), "currency": _value(rng)}
    return body


def _assert_sane(response: httpx.Response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/json"), what
        response.json()


async def test_no_input_makes_commerce_fail(tenant: Tenant) -> None:
    rng = random.Random(20261125)
    course = await builders.priced_course(tenant.ctx)
    promo = await builders.promotion(tenant.ctx, product_ids=[course.product_id])
    coupon = await builders.coupon(tenant.ctx, promo.id, code="FUZZ")
    ids = [str(promo.id), str(coupon.id), "1", *NASTY[:8]]
    tk_paths = [
        ("GET", "/promotions/{}"),
        ("PUT", "/promotions/{}"),
        ("GET", "/coupons/{}"),
        ("PUT", "/coupons/{}"),
        ("GET", "/orders/{}"),
        ("POST", "/external_orders/{}/transactions/purchase"),
        ("POST", "/external_orders/{}/transactions/refund"),
    ]
    tk_bodies = [
        ("POST", "/promotions"),
        ("POST", "/coupons?promotion_id={}"),
        ("POST", "/coupons/bulk_create?promotion_id={}"),
        ("POST", "/orders"),
        ("POST", "/external_orders"),
    ]
    tk_queries = [
        "/promotions?page={}&limit={}",
        "/coupons?promotion_id={}&page={}",
        "/orders?page={}&limit={}",
        "/promotions/by_coupon?product_id={}&coupon_code={}",
    ]
    for _ in range(60):
        method, template = rng.choice(tk_paths)
        path = template.format(rng.choice(ids))
        response = await tenant.tk(method, path, json=_record(rng, TK_FIELDS))
        _assert_sane(response, f"{method} {path}")
        method, template = rng.choice(tk_bodies)
        path = template.format(rng.choice([str(promo.id), *NASTY[:6]]))
        response = await tenant.tk(method, path, json=_record(rng, TK_FIELDS))
        _assert_sane(response, f"{method} {path}")
        query = rng.choice(tk_queries).format(rng.choice(NASTY), rng.choice(NASTY))
        _assert_sane(await tenant.tk("GET", query), f"GET {query}")

    ti_gets = [
        "/coupons?page={}&perPage={}",
        "/coupons?cursor={}&perPage={}",
        "/course-coupons?courseIds={}&active={}",
        "/course-coupons?courseIds=" + course.uuid + "&code={}&page={}",
        "/redemptionCodes?cursor={}&sort={}",
        "/redemptionCodes?query={}&sort={}",
        "/redemptionCodes/{}?x={}",
    ]
    for _ in range(60):
        query = rng.choice(ti_gets).format(rng.choice(NASTY), rng.choice(NASTY))
        _assert_sane(await tenant.ti("GET", query), f"GET {query}")
        body = _record(rng, TI_FIELDS)
        if isinstance(body, dict) and rng.random() < 0.3:
            body.update(label="Fuzz", codeLength=6, totalCodesCount=1, courses=[course.uuid])
        for path in ("/redemptionCodes", "/redemptionCodes/redeem"):
            _assert_sane(await tenant.ti("POST", path, json=body), f"POST {path} {body!r:.200}")
    raw = await tenant.tk(
        "POST", "/promotions", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert raw.status_code == 400
