"""The contract checker itself must be able to fail, or the conformance tests prove nothing."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.contract import thinkific_contract


def test_contract_rejects_wrong_shapes(shared_dir: Path) -> None:
    contract = thinkific_contract(shared_dir)
    good = {
        "id": 1,
        "name": "n",
        "product_id": 2,
        "chapter_ids": [],
        "reviews_enabled": True,
        "instructor_id": 3,
    }
    contract.check("GET", "/courses/5", 200, orjson.dumps(good))
    with pytest.raises(AssertionError):
        contract.check("GET", "/courses/5", 200, orjson.dumps({**good, "chapter_ids": "1,2"}))
    with pytest.raises(AssertionError):
        contract.check(
            "GET", "/courses/5", 200, orjson.dumps({k: v for k, v in good.items() if k != "name"})
        )
    with pytest.raises(AssertionError, match="does not document status"):
        contract.check("GET", "/courses/5", 418, b"{}")
    with pytest.raises(AssertionError, match="not an operation"):
        contract.check("PATCH", "/courses/5", 200, b"{}")
    with pytest.raises(AssertionError):
        contract.check("POST", "/users", 422, orjson.dumps({"errors": ["flat list"]}))
