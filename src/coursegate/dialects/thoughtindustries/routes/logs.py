"""GET /logs/sso: the SSO log, newest first, paged by an ISO 8601 timestamp cursor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers_ops
from coursegate.dialects.thoughtindustries.paging import envelope, page_info, per_page
from coursegate.dialects.thoughtindustries.schemas import Errors
from coursegate.dialects.thoughtindustries.schemas_ops import SsoLogsResponse
from coursegate.domain import sso_logs
from coursegate.domain.errors import Invalid
from coursegate.platform.http import ctx_of, json
from coursegate.platform.wiretime import parse_instant

router = APIRouter(tags=["Logs"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Errors}}


@router.get(
    "/logs/sso",
    response_model=SsoLogsResponse,
    responses=ERRORS,
    operation_id="APICacheLogs",
)
async def list_sso_logs(
    request: Request,
    type: Annotated[str | None, Query(description="jwt, saml or oidc; all when absent")] = None,
    cursor: Annotated[
        str | None, Query(description="ISO 8601 timestamp from pageInfo.cursor")
    ] = None,
    perPage: Annotated[str | None, Query()] = None,
) -> Response:
    limit = per_page(request, perPage)
    if type is not None and type not in sso_logs.SSO_KINDS:
        raise Invalid.one("type", "invalid_choice", value=type, choices=sso_logs.SSO_KINDS)
    before = None
    if cursor:
        before = parse_instant(cursor)
        if before is None:
            raise Invalid.one("cursor", "invalid", value=cursor[:64])
    found, total, more = await sso_logs.list_sso_logs(ctx_of(request), type, before, limit)
    # Full precision (microseconds) so entries a millisecond apart are never merged.
    next_cursor = (
        found[-1].created_at.isoformat().replace("+00:00", "Z") if found and more else None
    )
    payload = {
        "data": [mappers_ops.sso_log(e) for e in found],
        "pageInfo": page_info(limit, total, more, next_cursor),
    }
    return json(envelope(request, "APICacheLogs", payload))
