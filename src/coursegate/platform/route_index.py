"""Route matching by the path's first segment, in front of the router's linear scan.

A router tries its routes in order, a regex each, until one matches: `GET /users/{id}` is the
12th Thinkific route, Thought Industries' event feeds come after 50 others (~4 us per route
tried). The index keeps, for each literal first segment (`users`, `events`, ...), the routes
that start with it plus any route whose first segment is a parameter, in their original order,
and per method the same list without the routes that do not answer that method. The first
route of that short list to match fully is the one the scan would have found: every route the
list leaves out starts with another literal, or answers other methods, so it cannot match the
request fully. Each candidate's path regex is tried before its `matches`. Anything
that is not a full match (a wrong method's 405, a missing route's 404, a trailing-slash
redirect) goes to the router's own scan, which decides as before.
"""

from __future__ import annotations

import re

# The path a route's regex is matched against, worked out as Starlette's `Route.matches` does:
# the prefilter below must see exactly what `matches` sees.
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

_Candidate = tuple[BaseRoute, re.Pattern[str] | None]


def _candidates(routes: list[BaseRoute], method: str | None) -> list[_Candidate]:
    """`routes` that could fully match a request of `method` (any when None), each with the
    path pattern its `matches` tests first (None: no such shortcut for that kind of route)."""
    return [
        (route, route.path_regex if isinstance(route, Route) else None)
        for route in routes
        if method is None or not isinstance(route, Route) or not route.methods
        or method in route.methods
    ]  # fmt: skip


def _first_segment(path: str) -> str | None:
    """The literal first segment of a route path or request path; None for a parameter."""
    segment = path[1:].split("/", 1)[0] if path.startswith("/") else ""
    return None if "{" in segment else segment


class RouteIndex:
    def __init__(self, router: Router, scan: ASGIApp) -> None:
        self.router = router
        self.scan = scan
        anywhere: list[BaseRoute] = []
        keyed: dict[str, list[BaseRoute]] = {}
        for route in router.routes:
            segment = _first_segment(route.path) if isinstance(route, Route) else None
            if segment is None:
                anywhere.append(route)
                for routes in keyed.values():
                    routes.append(route)
            else:
                keyed.setdefault(segment, list(anywhere)).append(route)
        self.keyed = {segment: _candidates(routes, None) for segment, routes in keyed.items()}
        self.anywhere = _candidates(anywhere, None)
        # The same lists without the routes that cannot answer a method (a wrong method's
        # route is at best a partial match, which never ends the search), per method routed.
        methods = {m for r in router.routes if isinstance(r, Route) for m in r.methods or ()}
        self.by_method: dict[tuple[str | None, str], list[_Candidate]] = {}
        for method in methods:
            for segment, routes in keyed.items():
                self.by_method[segment, method] = _candidates(routes, method)
            self.by_method[None, method] = _candidates(anywhere, method)

    def find(self, scope: Scope) -> tuple[BaseRoute, Scope] | None:
        """The route the scan would pick with a full match, or None (the scan decides)."""
        path = get_route_path(scope)
        segment = _first_segment(path) or ""
        key = segment if segment in self.keyed else None
        candidates = self.by_method.get((key, scope["method"]))
        if candidates is None:
            candidates = self.keyed[segment] if key is not None else self.anywhere
        # A route's own regex rejects most candidates at a fraction of `matches`' cost (which
        # runs the same regex first). FastAPI's scope entry can change how a route matches.
        prefilter = "fastapi" not in scope
        for route, pattern in candidates:
            if prefilter and pattern is not None and pattern.match(path) is None:
                continue
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                return route, child_scope
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("fastapi.telemetry") is None:
            found = self.find(scope)
            # A "fastapi" entry asks for FastAPI's own scope merge: left to the scan.
            if found is not None and "fastapi" not in found[1]:
                route, child_scope = found
                scope.setdefault("router", self.router)
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
        await self.scan(scope, receive, send)


def install(router: Router) -> bool:
    """Put the index in front of `router`'s scan; False when the router is wrapped in
    middleware of its own or sets form limits (then its scan is left alone)."""
    if router.middleware_stack != router.app or getattr(router, "form_limits", None):
        return False
    router.middleware_stack = RouteIndex(router, router.app)
    return True
