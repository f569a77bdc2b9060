"""Routes whose happy path skips FastAPI's per-request dependency solving.

FastAPI solves a route's parameters anew on every request: for each one it re-inspects the
annotation (is it a sequence? a JSON field? a parameter model?), looks for its aliases, builds a
sub-response and a dependency cache, and walks the dependency tree; that is 25-60 us per
request, as much as the request's SQL. A lean route works all of that out once, when the app is
built: which parameters come from the path and the query, under which key, whether they are
lists, how each is validated (the same pydantic validator FastAPI uses), and in which order the
dependencies run.

Only the happy path is lean. A request whose parameters are missing or invalid is handed, as it
came, to FastAPI's own handler, which reports it in the vendor's envelope exactly as before (no
dependency or endpoint has run by then). Routes using anything the plan does not reproduce
(bodies, headers, cookies, yield or sync dependencies, response or background-task parameters,
security scopes, a dependency used twice, an endpoint not declared to return a `Response`)
keep FastAPI's handler for every request.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from fastapi._compat import field_annotation_is_sequence
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import _get_param_aliases, _get_param_model
from fastapi.routing import APIRoute, request_response
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

_MISSING = object()
_NO_QUERY = QueryParams()
# Defaults that cannot be mutated by an endpoint need no per-request copy.
_IMMUTABLE = (type(None), bool, int, float, str, bytes, tuple, frozenset)


@dataclass(frozen=True, slots=True)
class _Param:
    name: str
    key: str
    loc: tuple[str, str]
    many: bool
    field: Any  # FastAPI's ModelField: validate(value, values, loc=...) -> (value, errors)
    default: Any  # _MISSING when required
    copy_default: bool
    validate_default: bool


@dataclass(frozen=True, slots=True)
class _Call:
    """One dependency (or the endpoint): its parameters and where its result goes."""

    call: Callable[..., Awaitable[Any]]
    request_name: str | None
    path: tuple[_Param, ...]
    query: tuple[_Param, ...]
    needs: tuple[tuple[str, int], ...]  # (argument, index of the dependency's result)


class _Unsupported(Exception):
    pass


def _param(field: Any, source: str) -> _Param:
    info = field.field_info
    if any(type(m).__name__ == "Json" for m in info.metadata):
        raise _Unsupported
    aliases = _get_param_aliases(field)
    if _get_param_model(field) is not None or len(aliases) != 1:
        raise _Unsupported
    key = aliases[0][1]
    required = info.is_required()
    default = _MISSING if required else field.default
    return _Param(
        name=field.name,
        key=key,
        loc=(source, key),
        many=field_annotation_is_sequence(info.annotation),
        field=field,
        default=default,
        copy_default=not isinstance(default, _IMMUTABLE),
        validate_default=bool(info.validate_default),
    )


def _plan(dependant: Dependant, calls: list[_Call], seen: set[Any]) -> int:
    """Append the calls `dependant` needs (dependencies first, in FastAPI's order) and its own;
    returns the index of its own call."""
    call = dependant.call
    if (
        call is None
        or call in seen
        or not inspect.iscoroutinefunction(call)
        or dependant.body_params
        or dependant.header_params
        or dependant.cookie_params
        or dependant.websocket_param_name
        or dependant.http_connection_param_name
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
        or dependant.own_oauth_scopes
        or dependant.concurrency is not None
    ):
        raise _Unsupported
    seen.add(call)
    needs = []
    for sub in dependant.dependencies:
        index = _plan(sub, calls, seen)
        if sub.name is not None:
            needs.append((sub.name, index))
    calls.append(
        _Call(
            call=call,
            request_name=dependant.request_param_name,
            path=tuple(_param(f, "path") for f in dependant.path_params),
            query=tuple(_param(f, "query") for f in dependant.query_params),
            needs=tuple(needs),
        )
    )
    return len(calls) - 1


def _bind(spec: tuple[_Param, ...], source: Any, into: dict[str, Any]) -> bool:
    """Validate `spec`'s parameters from `source` into `into`; False when any is missing or
    invalid (FastAPI's handler then reports it)."""
    for p in spec:
        if p.many and isinstance(source, QueryParams):
            raw: Any = source.getlist(p.key) or None
        else:
            raw = source.get(p.key)
        if raw is None:
            if p.default is _MISSING:
                return False
            value = deepcopy(p.default) if p.copy_default else p.default
            if not p.validate_default:
                into[p.name] = value
                continue
            raw = value
        value, errors = p.field.validate(raw, into, loc=p.loc)
        if errors:
            return False
        into[p.name] = value
    return True


class _LeanApp:
    """The route's ASGI app. FastAPI's wrapper around a handler (two exit stacks for yield
    dependencies, a second exception-handling layer) is not needed: a lean plan has no yield
    dependencies, and the app's exception middleware applies the same handlers."""

    def __init__(self, calls: list[_Call], fallback: ASGIApp) -> None:
        self.calls = calls
        self.fallback = fallback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("fastapi.telemetry") is not None:
            # FastAPI's handler records the spans.
            await self.fallback(scope, receive, send)
            return
        request = Request(scope, receive, send)
        path_params = request.path_params
        # Most requests carry no query string; parsing an empty one still costs ~4 us.
        query = request.query_params if scope.get("query_string") else _NO_QUERY
        arguments: list[dict[str, Any]] = []
        for c in self.calls:
            values: dict[str, Any] = {}
            if not (_bind(c.path, path_params, values) and _bind(c.query, query, values)):
                await self.fallback(scope, receive, send)
                return
            arguments.append(values)
        results: list[Any] = []
        for c, values in zip(self.calls, arguments, strict=True):
            if c.request_name is not None:
                values[c.request_name] = request
            for argument, index in c.needs:
                values[argument] = results[index]
            results.append(await c.call(**values))
        response = results[-1]
        assert isinstance(response, Response)  # checked from the endpoint's signature
        await response(scope, receive, send)


def _returns_response(route: APIRoute) -> bool:
    try:
        annotation = inspect.signature(route.endpoint, eval_str=True).return_annotation
    except (NameError, TypeError):
        return False
    return isinstance(annotation, type) and issubclass(annotation, Response)


def make_lean(route: APIRoute) -> bool:
    """Give `route` a lean handler in front of FastAPI's; False when it must keep FastAPI's."""
    if not _returns_response(route):
        return False
    calls: list[_Call] = []
    try:
        _plan(route.dependant, calls, set())
    except _Unsupported:
        return False
    route.app = _LeanApp(calls, request_response(route.get_route_handler()))
    return True
