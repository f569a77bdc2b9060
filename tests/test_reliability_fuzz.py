"""Schemathesis over both dialects' own OpenAPI documents, through the ASGI app, as a real tenant.

Every operation the documents list is fuzzed (so routes added later are covered without edits),
with valid and invalid inputs: no 5xx, and every error body is in the vendor's envelope.
`COURSEGATE_FUZZ_EXAMPLES` sets the budget per operation (small in CI; `make fuzz` raises it).
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import given
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.contract import thinkific_contract
from tests.reliability_support import (
    FUZZ_EXAMPLES,
    THINKIFIC,
    TI,
    dialect_routes,
    envelope_for,
    fresh_app,
    fuzz_settings,
    seed_site,
)

EXAMPLES = FUZZ_EXAMPLES or 6
# The vendor-spec run and valid-input runs of the served documents: at least 50 generated
# cases per operation, in CI too.
VENDOR_EXAMPLES = max(FUZZ_EXAMPLES, 50)
SERVED_EXAMPLES = VENDOR_EXAMPLES


@pytest.fixture(scope="module")
def fuzz_target(database_url: str) -> tuple[Any, dict[str, dict[str, str]]]:
    # A fresh app owning its own engine: schemathesis drives it from its own event-loop thread.
    app = fresh_app(database_url)
    subdomain, key = asyncio.run(seed_site(database_url, "fuzz"))
    headers = {
        THINKIFIC: {"X-Auth-API-Key": key, "X-Auth-Subdomain": subdomain},
        TI: {"Authorization": f"Bearer {key}"},
    }
    return app, headers


def _operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def fuzz_operation(
    operation: Any, headers: dict[str, str], prefix: str, mode: GenerationMode
) -> list[str]:
    """Run one operation's budget; returns the failures found (empty when it behaved)."""
    failures: list[str] = []
    envelope = envelope_for(prefix)

    # Valid inputs get the larger budget (at least 50 cases per operation in CI too).
    budget = SERVED_EXAMPLES if mode is GenerationMode.POSITIVE else EXAMPLES

    @given(case=operation.as_strategy(generation_mode=mode))
    @fuzz_settings(budget)
    def run(case: Any) -> None:
        response = case.call(headers=dict(headers))
        label = f"{case.method} {case.formatted_path} {response.status_code}"
        if response.status_code >= 500:
            failures.append(f"{label}: {response.content[:300]!r}\n  {case.as_curl_command()}")
            return
        problem = envelope(response.status_code, response.content)
        if problem:
            failures.append(f"{label}: {problem}\n  {case.as_curl_command()}")
        elif response.status_code < 300:
            # Success bodies must match the schema the document itself publishes.
            try:
                case.operation.validate_response(response)
            except (AssertionError, BaseExceptionGroup) as exc:
                failures.append(f"{label}: body outside its documented schema: {str(exc)[:300]}")

    try:
        run()
    except Unsatisfiable:
        # Nothing in this operation's document can be made invalid (e.g. only free-text query
        # strings): there is no negative input to send.
        assert mode is GenerationMode.NEGATIVE, operation.label
    return failures


@pytest.mark.parametrize("prefix", [THINKIFIC, TI])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_served_openapi_fuzz(
    fuzz_target: tuple[Any, dict[str, dict[str, str]]], prefix: str, mode: GenerationMode
) -> None:
    app, headers = fuzz_target
    schema = schemathesis.openapi.from_asgi(f"{prefix}/openapi.json", app)
    operations = _operations(schema)
    assert operations, f"{prefix} serves no operations"
    failures: list[str] = []
    for operation in operations:
        failures += fuzz_operation(operation, headers[prefix], prefix, mode)
    assert not failures, f"{len(failures)} bad responses:\n" + "\n".join(sorted(set(failures))[:20])


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_vendor_spec_fuzz_on_implemented_operations(
    fuzz_target: tuple[Any, dict[str, dict[str, str]]], shared_dir: Path
) -> None:
    """Thinkific's own published document, restricted to what our route table implements."""
    app, headers = fuzz_target
    implemented = {
        (r.method, _template(r.path)) for r in dialect_routes(app) if r.prefix == THINKIFIC
    }
    schema = schemathesis.openapi.from_path(
        shared_dir / "specs" / "thinkific-admin-api-openapi.yml"
    )
    operations = [
        op for op in _operations(schema) if (op.method.upper(), _template(op.path)) in implemented
    ]
    assert implemented and len(operations) >= len(implemented) // 2, (
        "vendor spec and route table share too few operations"
    )
    base_url = f"http://testserver{THINKIFIC}"
    contract = thinkific_contract(shared_dir)
    failures: list[str] = []
    for operation in operations:
        documented = {
            str(code)
            for code in contract.operations[(operation.method.upper(), operation.path)]["responses"]
        }

        @given(case=operation.as_strategy())
        @fuzz_settings(VENDOR_EXAMPLES)
        def run(case: Any) -> None:
            response = case.call(base_url=base_url, app=app, headers=dict(headers[THINKIFIC]))
            label = f"{case.method} {case.formatted_path} {response.status_code}"
            if response.status_code >= 500:
                failures.append(f"{label}: {response.content[:300]!r}")
            elif str(response.status_code) in documented:  # noqa: B023 - run() runs right here
                # A status the vendor documents must carry the vendor's schema (statuses it
                # leaves out, like most 404/422s, are listed in docs/compat/thinkific.md).
                try:
                    contract.check(
                        case.method, case.formatted_path, response.status_code, response.content
                    )
                except AssertionError as exc:
                    failures.append(f"{label}: {str(exc)[:300]}")

        run()
    assert not failures, "\n".join(sorted(set(failures))[:20])
