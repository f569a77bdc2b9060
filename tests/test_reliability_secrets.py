"""Keys and secrets: salted hashes, constant-time comparison, revocation and last use, and no
key material in any log line — captured in-process and from a real server's stderr."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from coursegate.platform import keys, tenancy
from coursegate.platform.logsafety import redact
from coursegate.store.tables.platform import api_keys
from tests.conftest import Tenant
from tests.reliability_support import Server, seed_site


def _attempts(key: str, subdomain: str, other_subdomain: str) -> list[tuple[str, dict[str, str]]]:
    key_id, secret = keys.split(key) or ("", "")
    wrong = f"cg_test_{key_id}_{secret[::-1]}"
    return [
        ("/api/public/v1/courses", {"X-Auth-API-Key": key, "X-Auth-Subdomain": subdomain}),
        ("/api/public/v1/courses", {"X-Auth-API-Key": key, "X-Auth-Subdomain": other_subdomain}),
        ("/api/public/v1/courses", {"X-Auth-API-Key": wrong, "X-Auth-Subdomain": subdomain}),
        ("/api/public/v1/courses", {"Authorization": f"Bearer {secret}"}),
        ("/incoming/v2/ping", {"Authorization": f"Bearer {key}"}),
        ("/incoming/v2/ping", {"Authorization": f"Bearer {wrong}"}),
        ("/incoming/v2/ping", {"Authorization": f"Token {key}"}),
    ]


def _secret_of(key: str) -> str:
    parts = keys.split(key)
    assert parts is not None
    return parts[1]


async def test_no_key_material_in_logs_in_process(
    tenant: Tenant, other_tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for path, headers in _attempts(tenant.key, tenant.site.subdomain, other_tenant.site.subdomain):
        await tenant.http.get(path, headers=headers)
    # A careless log call anywhere is scrubbed too.
    logging.getLogger("somewhere.else").warning(
        "headers were %s", {"authorization": f"Bearer {tenant.key}"}
    )
    logging.getLogger("coursegate.test").error(f"key {tenant.key} used")
    secret = _secret_of(tenant.key)
    text = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert secret not in text and secret[::-1] not in text
    refused = [r for r in caplog.records if r.getMessage() == "authentication refused"]
    assert len(refused) >= 4
    assert {getattr(r, "key_id", None) for r in refused} >= {keys.split(tenant.key)[0]}  # type: ignore[index]


def test_redaction_covers_key_shapes() -> None:
    key = "cg_live_0a1b2c3d4e5f_SecretPart123"
    for line in (
        key,
        f"Authorization: Bearer {key}",
        "Bearer abcDEF123",
        "X-Auth-API-Key: rawsecret9",
        str({b"x-auth-api-key": b"rawsecret9"}),
    ):
        cleaned = redact(line)
        assert (
            "SecretPart123" not in cleaned
            and "abcDEF123" not in cleaned
            and "rawsecret9" not in cleaned
        )
    assert redact(key) == "cg_live_0a1b2c3d4e5f_[redacted]"


async def test_no_key_material_in_server_stderr(database_url: str, tmp_path: Path) -> None:
    subdomain, key = await seed_site(database_url, "log")
    other, _ = await seed_site(database_url, "log")
    log = tmp_path / "server.log"
    with Server(database_url, log, env={"COURSEGATE_LOG_LEVEL": "debug"}) as server:
        async with httpx.AsyncClient(base_url=server.base_url) as http:
            statuses = [
                (await http.get(p, headers=h)).status_code
                for p, h in _attempts(key, subdomain, other)
            ]
    assert statuses.count(200) == 2 and statuses.count(401) == 5
    text = log.read_text(errors="replace")
    assert "authentication refused" in text and f"key_id={keys.split(key)[0]}" in text  # type: ignore[index]
    secret = _secret_of(key)
    assert secret not in text and secret[::-1] not in text


async def test_keys_are_salted_and_compared_in_constant_time(
    tenant: Tenant, db: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = await tenancy.create_key(db, clock, tenant.site.subdomain, "second")
    async with db.read() as conn:
        rows = (
            await conn.execute(select(api_keys).where(api_keys.c.site_id == tenant.site.id))
        ).all()
    assert len({r.salt for r in rows}) == len(rows) == 2
    secret = _secret_of(tenant.key)
    assert keys.digest(secret, rows[0].salt) != keys.digest(secret, rows[1].salt)
    assert all(
        secret not in str(tuple(r)) and _secret_of(second) not in str(tuple(r)) for r in rows
    )

    compared: list[tuple[str, str]] = []
    real = keys.hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(keys.hmac, "compare_digest", spy)
    key_id = keys.split(tenant.key)[0]  # type: ignore[index]
    assert await tenancy.authenticate(db, clock, f"cg_test_{key_id}_{'x' * 43}") is None
    assert await tenancy.authenticate(db, clock, tenant.key) is not None
    assert len(compared) == 2  # both verdicts came from the constant-time comparison


async def test_revocation_and_last_use(tenant: Tenant, db: Any, clock: Any) -> None:
    key_id = keys.split(tenant.key)[0]  # type: ignore[index]
    assert (await tenant.tk("GET", "/courses")).status_code == 200
    listed = {k.key_id: k for k in await tenancy.list_keys(db, tenant.site.subdomain)}
    assert listed[key_id].last_used_at is not None
    await tenancy.revoke_key(db, clock, tenant.site.subdomain, key_id)
    assert (await tenant.tk("GET", "/courses")).status_code == 401
    assert (await tenant.ti("GET", "/ping")).status_code == 401
