"""Requests under a mounted API's prefix go straight to that API.

The root application mounts each API (its routes list them for the docs page and tests), but
routing every request through the root's own exception and routing layers and the Mount's
regex cost more than a keyed read (docs/performance.md). This dispatcher, installed as the
root's middleware, hands such requests to the API with the child scope its Mount would give;
anything else (other paths, a served root_path, a path the Mount would not match) takes the
root's ordinary route.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Receive, Scope, Send


class PrefixDispatch:
    def __init__(self, app: ASGIApp, apis: Mapping[str, ASGIApp]) -> None:
        self.app = app
        self.apis = [(prefix, prefix + "/", api) for prefix, api in apis.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            path: str = scope["path"]
            for prefix, under, api in self.apis:
                # "\n": the Mount's pattern (`.*`) does not match it; the root answers those.
                if path.startswith(under) and "\n" not in path:
                    scope["path_params"] = dict(scope.get("path_params", {}))
                    scope["app_root_path"] = scope.get("app_root_path", "")
                    scope["root_path"] = prefix
                    scope["endpoint"] = api
                    await api(scope, receive, send)
                    return
        await self.app(scope, receive, send)
