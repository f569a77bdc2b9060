"""`Idempotency-Key` on POST in both dialects (a coursegate extension)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path

from coursegate.platform import tenancy
from tests.conftest import Tenant, TestClock
from tests.contract import thinkific_contract


def _key() -> dict[str, str]:
    return {"Idempotency-Key": f"idem-{uuid.uuid4()}"}


def _user(email: str) -> dict[str, str]:
    return {"first_name": "Ida", "last_name": "Empotent", "email": email}


async def _count_users(tenant: Tenant, email: str) -> int:
    listed = await tenant.tk("GET", "/users", params={"query[email]": email})
    return int(listed.json()["meta"]["pagination"]["total_items"])


async def test_thinkific_retry_replays_the_original_answer(
    tenant: Tenant, shared_dir: Path
) -> None:
    key, email = _key(), f"idem-{uuid.uuid4().hex[:8]}@example.com"
    first = await tenant.tk("POST", "/users", json=_user(email), headers=key)
    assert first.status_code == 201, first.text
    thinkific_contract(shared_dir).check("POST", "/users", 201, first.content)
    retry = await tenant.tk("POST", "/users", json=_user(email), headers=key)
    assert retry.status_code == 201 and retry.content == first.content
    assert retry.headers["content-type"] == first.headers["content-type"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await _count_users(tenant, email) == 1

    changed = await tenant.tk("POST", "/users", json=_user("other-" + email), headers=key)
    assert changed.status_code == 422
    thinkific_contract(shared_dir).check("POST", "/users", 422, changed.content)
    assert list(changed.json()["errors"]) == ["Idempotency-Key"]
    assert await _count_users(tenant, "other-" + email) == 0


async def test_thought_industries_retry_and_reuse(tenant: Tenant) -> None:
    key = _key()
    body = {"title": f"Idem course {uuid.uuid4().hex[:8]}", "courseType": "course"}
    first = await tenant.ti("POST", "/courses", json=body, headers=key)
    assert first.status_code == 201, first.text
    retry = await tenant.ti("POST", "/courses", json=body, headers=key)
    assert (retry.status_code, retry.content) == (201, first.content)
    changed = await tenant.ti(
        "POST", "/courses", json={**body, "title": body["title"] + "!"}, headers=key
    )
    assert changed.status_code == 409
    assert changed.json() == {
        "errors": ["Idempotency-Key has already been used with a different request."]
    }
    search = await tenant.ti("GET", "/content", params={"types": "course", "query": body["title"]})
    titles = [i["title"] for i in search.json()["data"]["APIContentSearch"]["contentItems"]]
    assert titles == [body["title"]]


async def test_refusals_are_replayed_too(tenant: Tenant) -> None:
    key = _key()
    first = await tenant.tk("POST", "/users", json={"first_name": "No email"}, headers=key)
    assert first.status_code == 422
    retry = await tenant.tk("POST", "/users", json={"first_name": "No email"}, headers=key)
    assert (retry.status_code, retry.content) == (422, first.content)


async def test_keys_are_scoped_per_site_and_api_key(
    tenant: Tenant, other_tenant: Tenant, db, clock
) -> None:  # type: ignore[no-untyped-def]
    key, email = _key(), f"scope-{uuid.uuid4().hex[:8]}@example.com"
    assert (await tenant.tk("POST", "/users", json=_user(email), headers=key)).status_code == 201
    # Another site using the same key value runs its own request.
    elsewhere = await other_tenant.tk("POST", "/users", json=_user(email), headers=key)
    assert elsewhere.status_code == 201 and "Idempotent-Replayed" not in elsewhere.headers
    # Another key of the same site is a separate namespace: a new request (so a duplicate email).
    second_key = await tenancy.create_key(db, clock, tenant.site.subdomain, "second")
    again = await tenant.http.post(
        "/api/public/v1/users",
        json=_user(email),
        headers={"X-Auth-API-Key": second_key, "X-Auth-Subdomain": tenant.site.subdomain, **key},
    )
    assert again.status_code == 422 and "email" in again.json()["errors"]


async def test_keys_are_forgotten_after_24_hours(tenant: Tenant, clock: TestClock) -> None:
    key = _key()
    first = {"title": f"Day one {uuid.uuid4().hex[:8]}", "courseType": "course"}
    assert (await tenant.ti("POST", "/courses", json=first, headers=key)).status_code == 201
    clock.shift = timedelta(hours=23)
    assert (
        await tenant.ti("POST", "/courses", json={**first, "title": "x"}, headers=key)
    ).status_code == 409
    clock.shift = timedelta(hours=24, minutes=1)
    later = await tenant.ti(
        "POST", "/courses", json={**first, "title": first["title"] + " again"}, headers=key
    )
    assert later.status_code == 201 and "Idempotent-Replayed" not in later.headers


async def test_concurrent_retries_execute_once(tenant: Tenant) -> None:
    key, email = _key(), f"race-{uuid.uuid4().hex[:8]}@example.com"
    responses = await asyncio.gather(
        *(tenant.tk("POST", "/users", json=_user(email), headers=key) for _ in range(20))
    )
    created = [r for r in responses if r.status_code == 201]
    assert created and all(r.content == created[0].content for r in created)
    assert all(r.status_code in (201, 409) for r in responses), [r.status_code for r in responses]
    assert sum("Idempotent-Replayed" not in r.headers for r in created) == 1
    assert await _count_users(tenant, email) == 1


async def test_malformed_keys_are_refused(tenant: Tenant) -> None:
    for bad in ("x" * 256, " "):
        response = await tenant.tk(
            "POST", "/users", json=_user("k@example.com"), headers={"Idempotency-Key": bad}
        )
        assert response.status_code == 400 and "Idempotency-Key" in response.json()["error"]
        ti = await tenant.ti(
            "POST", "/users", json={"email": "k@example.com"}, headers={"Idempotency-Key": bad}
        )
        assert ti.status_code == 400 and "Idempotency-Key" in ti.json()["errors"][0]
