"""Thought Industries GET /logs/sso and the domain's SSO sign-in log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coursegate.domain import sso_logs
from coursegate.domain.errors import Invalid
from tests import builders
from tests.conftest import Tenant, TestClock

T0 = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


async def test_sign_ins_are_logged_newest_first_with_event(
    tenant: Tenant, clock: TestClock
) -> None:
    user = await builders.user(tenant.ctx)
    clock.pinned = T0
    ok = await sso_logs.record_sso_sign_in(
        tenant.ctx, "saml", success=True, user_id=user.id, details={"idp": "okta"}
    )
    clock.pinned = T0 + timedelta(seconds=5)
    failed = await sso_logs.record_sso_sign_in(
        tenant.ctx, "jwt", success=False, email="who@example.com", message="signature mismatch"
    )
    response = await tenant.ti("GET", "/logs/sso")
    assert response.status_code == 200
    body = response.json()["data"]["APICacheLogs"]
    assert body["pageInfo"] == {"perPage": 25, "cursor": None, "total": 2, "hasMore": False}
    first, second = body["data"]
    assert first == {
        "id": failed.uuid,
        "type": "jwt",
        "status": "failure",
        "email": "who@example.com",
        "userId": None,
        "message": "signature mismatch",
        "details": {},
        "createdAt": "2026-04-01T08:00:05.000Z",
    }
    assert (
        second["id"] == ok.uuid and second["userId"] == user.uuid and second["email"] == user.email
    )
    assert second["details"] == {"idp": "okta"} and second["status"] == "success"
    assert [e["subject_uuid"] for e in await builders.events_of(tenant.ctx, "sso.signed_in")] == [
        ok.uuid
    ]
    assert [e["subject_uuid"] for e in await builders.events_of(tenant.ctx, "sso.failed")] == [
        failed.uuid
    ]
    only_jwt = await tenant.ti("GET", "/logs/sso", params={"type": "jwt"})
    assert [e["id"] for e in only_jwt.json()["data"]["APICacheLogs"]["data"]] == [failed.uuid]


async def test_timestamp_cursor_pages_without_losing_entries_sharing_an_instant(
    tenant: Tenant, clock: TestClock
) -> None:
    made = []
    for i, offset in enumerate((0, 1, 1, 1, 2)):  # three entries at the same instant
        clock.pinned = T0 + timedelta(seconds=offset)
        made.append(
            await sso_logs.record_sso_sign_in(
                tenant.ctx, "oidc", success=True, email=f"u{i}@x.test"
            )
        )
    seen: list[str] = []
    cursor = None
    sizes: list[int] = []
    while True:
        params = {"perPage": 2, **({"cursor": cursor} if cursor else {})}
        page = (await tenant.ti("GET", "/logs/sso", params=params)).json()["data"]["APICacheLogs"]
        sizes.append(len(page["data"]))
        seen += [e["id"] for e in page["data"]]
        if not page["pageInfo"]["hasMore"]:
            break
        cursor = page["pageInfo"]["cursor"]
        assert datetime.fromisoformat(cursor.replace("Z", "+00:00")) <= T0 + timedelta(seconds=2)
    assert sorted(seen) == sorted(m.uuid for m in made) and len(seen) == 5
    assert seen[0] == made[4].uuid and seen[-1] == made[0].uuid
    # The first page grows past perPage rather than split the three entries of one instant.
    assert sizes == [4, 1]


async def test_logs_errors_and_isolation(tenant: Tenant, other_tenant: Tenant) -> None:
    await sso_logs.record_sso_sign_in(tenant.ctx, "saml", success=True, email="a@x.test")
    assert (await other_tenant.ti("GET", "/logs/sso")).json()["data"]["APICacheLogs"]["data"] == []
    for params, needle in (
        ({"cursor": "yesterday"}, "cursor"),
        ({"type": "kerberos"}, "type"),
        ({"perPage": "x"}, "perPage"),
    ):
        response = await tenant.ti("GET", "/logs/sso", params=params)
        assert response.status_code == 400 and needle in response.json()["errors"][0]
    with pytest.raises(Invalid):
        await sso_logs.record_sso_sign_in(tenant.ctx, "ldap", success=True)
    with pytest.raises(Invalid):
        await sso_logs.record_sso_sign_in(tenant.ctx, "saml", success=True, user_id=0)
