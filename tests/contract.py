"""Validate responses against Thinkific's own OpenAPI file, with our documented deviations.

Deviations applied to the vendor schema (each is listed in docs/compat/thinkific.md):
1. Nullable values: the spec never says `nullable`, yet the vendor's own examples return null
   for absent values (activated_at, completed_at, bio, ...). Properties other than `id` accept
   null; types, required keys and enums are enforced as written.
2. 422 bodies: the spec's `UnprocessableEntityError` (an array) matches none of the vendor's own
   examples; the documented canonical shape `{"errors": {field: [messages]}}` is used instead.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator

CANONICAL_422 = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
}


def _convert(node: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema (draft 7), making properties nullable (deviation 1)."""
    if isinstance(node, list):
        return [_convert(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _convert(v) for k, v in node.items() if k not in ("example", "examples", "nullable")}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/definitions/")
    props = out.get("properties")
    if isinstance(props, dict):
        out["properties"] = {
            name: (schema if name == "id" else {"anyOf": [schema, {"type": "null"}]})
            for name, schema in props.items()
        }
    return out


class ThinkificContract:
    def __init__(self, spec_path: Path) -> None:
        self.spec = yaml.safe_load(spec_path.read_text())
        self.definitions = {
            name: _convert(s) for name, s in self.spec["components"]["schemas"].items()
        }
        self.definitions["UnprocessableEntityError"] = CANONICAL_422
        self.operations: dict[tuple[str, str], dict[str, Any]] = {}
        for path, item in self.spec["paths"].items():
            for method, op in item.items():
                if method in ("get", "post", "put", "delete", "patch"):
                    self.operations[(method.upper(), path)] = op

    def match(self, method: str, path: str) -> str:
        """The spec path template that a concrete path (e.g. /users/5) falls under."""
        candidates = [t for (m, t) in self.operations if m == method]
        for template in sorted(candidates, key=lambda t: t.count("{")):
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            if re.match(pattern, path):
                return template
        raise AssertionError(f"{method} {path} is not an operation of the vendor spec")

    def schema_for(self, method: str, template: str, status: int) -> dict[str, Any] | None:
        op = self.operations[(method, template)]
        responses = op.get("responses", {})
        response = responses.get(status) or responses.get(str(status))
        assert response is not None, f"{method} {template} does not document status {status}"
        if "$ref" in response:
            name = response["$ref"].rsplit("/", 1)[-1]
            response = self.spec["components"]["responses"][name]
        content = (response.get("content") or {}).get("application/json")
        if content is None:
            return None
        schema = copy.deepcopy(_convert(content["schema"]))
        if status == 422:
            schema = CANONICAL_422
        schema["definitions"] = self.definitions
        return schema

    def check(self, method: str, path: str, status: int, body: bytes) -> None:
        """Assert that the vendor documents this status for the operation and the body fits."""
        template = self.match(method, path.split("?", 1)[0])
        schema = self.schema_for(method, template, status)
        if schema is None:
            assert body in (b"", b"null"), (
                f"{method} {template} {status} documents no body, got {body[:200]!r}"
            )
            return
        import orjson

        errors = sorted(Draft7Validator(schema).iter_errors(orjson.loads(body)), key=str)
        assert not errors, f"{method} {template} {status}: " + "; ".join(
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
        )


@lru_cache(maxsize=1)
def thinkific_contract(shared_dir: Path) -> ThinkificContract:
    return ThinkificContract(shared_dir / "specs" / "thinkific-admin-api-openapi.yml")


# Webhooks API v2 (thinkific-webhooks-api-openapi.vendor-v2.yml). Its 422 examples differ by
# operation: POST shows {"errors": {field: "message"}}, PUT {"errors": {field: ["message"]}}.
STRING_422 = {
    "type": "object",
    "required": ["errors"],
    "properties": {"errors": {"type": "object", "additionalProperties": {"type": "string"}}},
}


class ThinkificWebhooksContract(ThinkificContract):
    def schema_for(self, method: str, template: str, status: int) -> dict[str, Any] | None:
        op = self.operations[(method, template)]
        response = (op.get("responses") or {}).get(status) or op["responses"].get(str(status))
        assert response is not None, f"{method} {template} does not document status {status}"
        content = response.get("content") or {}
        media = content.get("application/json") or content.get("*/*")
        if media is None or "schema" not in media:
            return None
        schema = copy.deepcopy(_convert(media["schema"]))
        if status == 422:
            schema = copy.deepcopy(STRING_422 if method == "POST" else CANONICAL_422)
        schema["definitions"] = self.definitions
        return schema


@lru_cache(maxsize=1)
def thinkific_webhooks_contract(shared_dir: Path) -> ThinkificWebhooksContract:
    return ThinkificWebhooksContract(
        shared_dir / "specs" / "thinkific-webhooks-api-openapi.vendor-v2.yml"
    )
