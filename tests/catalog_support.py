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

    async def __call__(self, tenant: Tenant, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = await tenant.tk(method, path, **kwargs)
        self.contract.check(method, path, response.status_code, response.content)
        return response


@pytest.fixture
def api(shared_dir: Path) -> Checked:
    return Checked(thinkific_contract(shared_dir))
