"""Site scripts: `src` or signed inline `content`, enums, string ids, per-site secret."""

from __future__ import annotations

from coursegate.domain import site_scripts
from tests.catalog_support import Checked
from tests.conftest import Tenant

BASE = {
    "name": "Analytics",
    "description": "Counts visits",
    "page_scopes": ["all"],
    "category": "analytics",
}


async def test_src_script_lifecycle(tenant: Tenant, api: Checked) -> None:
    created = await api(
        tenant, "POST", "/site_scripts", json={**BASE, "src": "https://cdn.example.com/a.js"}
    )
    assert created.status_code == 201
    script = created.json()
    assert isinstance(script["id"], str) and script["src"] == "https://cdn.example.com/a.js"
    assert (script["location"], script["load_method"]) == (
        "footer",
        "async",
    )  # the documented defaults

    put = await api(
        tenant,
        "PUT",
        f"/site_scripts/{script['id']}",
        json={
            **BASE,
            "src": "https://cdn.example.com/b.js",
            "location": "head",
            "load_method": "defer",
            "page_scopes": ["checkout", "course_player"],
        },
    )
    assert put.status_code == 204
    shown = (await api(tenant, "GET", f"/site_scripts/{script['id']}")).json()
    assert (shown["src"], shown["location"], shown["load_method"]) == (
        "https://cdn.example.com/b.js",
        "head",
        "defer",
    )
    assert shown["page_scopes"] == ["checkout", "course_player"]
    assert [s["id"] for s in (await api(tenant, "GET", "/site_scripts")).json()["items"]] == [
        script["id"]
    ]

    assert (await api(tenant, "DELETE", f"/site_scripts/{script['id']}")).status_code == 204
    assert (await api(tenant, "GET", f"/site_scripts/{script['id']}")).status_code == 404


async def test_inline_content_must_be_signed_with_the_site_secret(
    tenant: Tenant, api: Checked
) -> None:
    content = "console.log('hi')"
    secret = await site_scripts.app_secret(tenant.ctx)
    missing = await api(tenant, "POST", "/site_scripts", json={**BASE, "content": content})
    assert missing.status_code == 422
    assert missing.json() == {"errors": {"base": ["Missing header `HMAC-SHA256-SIGNATURE`"]}}
    wrong = await api(
        tenant,
        "POST",
        "/site_scripts",
        json={**BASE, "content": content},
        headers={"HMAC-SHA256-SIGNATURE": site_scripts.sign("not-the-secret", content)},
    )
    assert wrong.status_code == 422
    assert wrong.json() == {"errors": {"base": ["Invalid header `HMAC-SHA256-SIGNATURE`"]}}
    assert (await api(tenant, "GET", "/site_scripts")).json()["items"] == []

    signed = await api(
        tenant,
        "POST",
        "/site_scripts",
        json={**BASE, "content": content},
        headers={"HMAC-SHA256-SIGNATURE": site_scripts.sign(secret, content)},
    )
    assert signed.status_code == 201
    assert signed.json()["content"] == content and "src" not in signed.json()


async def test_script_validation(tenant: Tenant, api: Checked) -> None:
    neither = await api(tenant, "POST", "/site_scripts", json=BASE)
    assert neither.status_code == 422
    assert neither.json() == {"errors": {"base": ["must provide one of: src or content"]}}
    both = await api(
        tenant,
        "POST",
        "/site_scripts",
        json={**BASE, "src": "https://x.example/a.js", "content": "x"},
    )
    assert both.json() == {"errors": {"base": ["must provide one of: src or content"]}}
    bad_enums = await api(
        tenant,
        "POST",
        "/site_scripts",
        json={
            **BASE,
            "src": "https://x.example/a.js",
            "page_scopes": ["everywhere"],
            "location": "body",
            "load_method": "eager",
            "category": "fun",
        },
    )
    assert bad_enums.status_code == 422
    assert set(bad_enums.json()["errors"]) == {"page_scopes", "location", "load_method", "category"}
    missing = await api(tenant, "POST", "/site_scripts", json={"src": "https://x.example/a.js"})
    assert set(missing.json()["errors"]) == {"name", "description", "page_scopes", "category"}
    not_a_url = await api(
        tenant, "POST", "/site_scripts", json={**BASE, "src": "javascript:alert(1)"}
    )
    assert not_a_url.status_code == 422 and "src" in not_a_url.json()["errors"]


async def test_scripts_and_secrets_are_per_site(
    tenant: Tenant, other_tenant: Tenant, api: Checked
) -> None:
    assert await site_scripts.app_secret(tenant.ctx) != await site_scripts.app_secret(
        other_tenant.ctx
    )
    theirs = (
        await api(
            other_tenant,
            "POST",
            "/site_scripts",
            json={**BASE, "src": "https://cdn.example.com/t.js"},
        )
    ).json()
    for method in ("GET", "DELETE"):
        assert (await api(tenant, method, f"/site_scripts/{theirs['id']}")).status_code == 404
    put = await api(
        tenant,
        "PUT",
        f"/site_scripts/{theirs['id']}",
        json={**BASE, "src": "https://evil.example/x.js"},
    )
    assert put.status_code == 404
    assert (await api(tenant, "GET", "/site_scripts/not-an-id")).status_code == 404
    assert (await api(other_tenant, "GET", f"/site_scripts/{theirs['id']}")).json()[
        "src"
    ] == "https://cdn.example.com/t.js"
