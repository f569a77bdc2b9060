"""Shared by the catalog and people tests: call Thinkific and check the answer against the
vendor spec in one step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.contract import ThinkificContract, thinkific_contract


class Checked:
    """`await api(tenant, "GET", "/products")`: the response, already contract-checked."""

    def __init__(self, contract: ThinkificContract) -> None:
        self.contract = contract

    async def __call__(
        self, tenant: Tenant, method: str, path: str, **kwargs: Any
    ) -> httpx.Response:
        response = await tenant.tk(method, path, **kwargs)
        self.contract.check(method, path, response.status_code, response.content)
        return response


@pytest.fixture
def api(shared_dir: Path) -> Checked:
    return Checked(thinkific_contract(shared_dir))


async def event_types(tenant: Tenant, after_seq: int = 0) -> list[tuple[str, str]]:
    """(type, subject type) of the site's events after a sequence number, oldest first (read
    straight from the log: the tests check what the mutations recorded)."""
    from sqlalchemy import select

    from coursegate.store.tables.events import events

    async with tenant.ctx.reading() as u:
        rows = await u.conn.execute(
            select(events.c.type, events.c.subject_type)
            .where(events.c.site_id == tenant.site.id, events.c.seq > after_seq)
            .order_by(events.c.seq)
        )
        return [(r.type, r.subject_type) for r in rows]
