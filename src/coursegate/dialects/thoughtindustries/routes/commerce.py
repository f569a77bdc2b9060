"""Commerce views: coupons, course coupons, redemption code groups and redeeming a code."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers_commerce as mappers
from coursegate.dialects.thoughtindustries.errors import WIRE_FIELDS
from coursegate.dialects.thoughtindustries.paging import (
    decode_cursor,
    encode_cursor,
    envelope,
    page_number,
    per_page,
)
from coursegate.dialects.thoughtindustries.schemas import Errors
from coursegate.dialects.thoughtindustries.schemas_commerce import (
    CouponsResponse,
    CourseCouponsResponse,
    Redeemed,
    RedeemWrite,
    RedemptionCodeGroup,
    RedemptionCodeGroups,
    RedemptionCodeGroupWrite,
)
from coursegate.domain import commerce, people, redemption
from coursegate.domain.commerce_models import valid_id
from coursegate.domain.errors import Invalid, NotFound
from coursegate.platform.http import ctx_of, json
from coursegate.platform.ids import is_int_id

router = APIRouter(tags=["Commerce"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Errors}, 404: {"model": Errors}}
# Redemption code groups come 50 to a page, whatever the caller asks (the vendor's fixed size).
GROUPS_PER_PAGE = 50
GROUP_SORTS = {"label:asc": False, "label": False, "label:desc": True}
Q = Annotated[str | None, Query()]

WIRE_FIELDS.update(
    {
        "course_ids": "courseIds",
        "code_length": "codeLength",
        "total_codes_count": "totalCodesCount",
        "expiration_date": "expirationDate",
        "access_days": "accessDays",
        "access_expiration_date": "accessExpirationDate",
        "learning_paths": "learningPaths",
    }
)


def _page_info(per: int, number: int, total: int) -> dict[str, int | bool]:
    return {"perPage": per, "currentPage": number, "total": total, "hasMore": number * per < total}


def _bool(raw: str | None, name: str) -> bool | None:
    if raw is None or raw == "":
        return None
    lowered = raw.strip().lower()
    if lowered not in ("true", "false"):
        raise Invalid.one(name, "type", expected="a boolean")
    return lowered == "true"


@router.get("/coupons", response_model=CouponsResponse, responses=ERRORS, operation_id="APICoupons")
async def list_coupons(
    request: Request,
    page: Q = None,
    perPage: Q = None,
    cursor: Q = None,
) -> Response:
    """Page numbers as documented; `cursor` as production clients page (docs/compat)."""
    ctx = ctx_of(request)
    limit = per_page(request, perPage)
    key = decode_cursor(cursor, {"i"})
    if key is not None and not isinstance(key["i"], int):
        raise Invalid.one("cursor", "invalid", value=cursor)
    if key is None and page:
        number = page_number(page) or 1
        listed = await commerce.list_coupons(ctx, None, (number - 1) * limit, limit)
        found, total = listed.items, listed.total
        has_more = number * limit < total
    else:
        number = 1
        found, total, has_more = await commerce.scan_coupons(ctx, key["i"] if key else None, limit)
    now = ctx.clock.now()
    next_cursor = encode_cursor({"i": found[-1].id}) if found and has_more else None
    info = {
        "perPage": limit,
        "currentPage": number,
        "total": total,
        "hasMore": has_more,
        "cursor": next_cursor,
    }
    payload = {"pageInfo": info, "coupons": [mappers.coupon(c, now) for c in found]}
    return json(envelope(request, "APICoupons", payload))


@router.get(
    "/course-coupons",
    response_model=CourseCouponsResponse,
    responses=ERRORS,
    operation_id="APICourseCoupons",
)
async def list_course_coupons(
    request: Request,
    courseIds: Annotated[list[str] | None, Query(description="Course UUIDs (required)")] = None,
    page: Q = None,
    perPage: Q = None,
    code: Q = None,
    active: Q = None,
) -> Response:
    ctx = ctx_of(request)
    raw = courseIds or request.query_params.getlist("courseIds[]")
    keys = [k.strip() for entry in raw for k in entry.split(",") if k.strip()]
    limit = per_page(request, perPage)
    number = page_number(page) or 1
    listed = await commerce.list_course_coupons(
        ctx, keys, code or None, _bool(active, "active"), (number - 1) * limit, limit
    )
    now = ctx.clock.now()
    payload = {
        "pageInfo": _page_info(limit, number, listed.total),
        "courseCoupons": [mappers.course_coupon(p, now) for p in listed.items],
    }
    return json(envelope(request, "APICourseCoupons", payload))


@router.get(
    "/redemptionCodes",
    response_model=RedemptionCodeGroups,
    responses=ERRORS,
    operation_id="APIRedemptionCodeGroups",
)
async def list_groups(
    request: Request, cursor: Q = None, query: Q = None, sort: Q = None
) -> Response:
    wanted_sort = sort or "label:asc"
    if wanted_sort not in GROUP_SORTS:
        raise Invalid.one("sort", "invalid_choice", value=sort, choices=["label:asc", "label:desc"])
    descending = GROUP_SORTS[wanted_sort]
    key = decode_cursor(cursor, {"l", "i", "d"})
    after = None
    if key is not None:
        if key["d"] != descending or not isinstance(key["l"], str) or not isinstance(key["i"], int):
            raise Invalid.one("cursor", "invalid", value=cursor)
        after = (key["l"], key["i"])
    text = (query or "").strip() or None
    groups, total, has_more = await redemption.scan_groups(
        ctx_of(request), text, descending, after, GROUPS_PER_PAGE
    )
    next_cursor = (
        encode_cursor({"l": groups[-1].label, "i": groups[-1].id, "d": descending})
        if groups and has_more
        else None
    )
    # Unwrapped, as the vendor's reference shows for every redemption-code endpoint.
    return json(
        {
            "redemptionCodeGroups": [mappers.redemption_group(g) for g in groups],
            "pageInfo": {"total": total, "hasMore": has_more, "cursor": next_cursor},
        }
    )


@router.post(
    "/redemptionCodes",
    status_code=201,
    response_model=RedemptionCodeGroup,
    responses=ERRORS,
    operation_id="APICreateRedemptionCodeGroup",
)
async def create_group(request: Request, body: RedemptionCodeGroupWrite) -> Response:
    req = redemption.GroupRequest(
        label=body.label,
        code_length=body.codeLength,
        total_codes_count=body.totalCodesCount,
        expiration_date=body.expirationDate,
        access_days=body.accessDays,
        access_expiration_date=body.accessExpirationDate,
        course_uuids=body.courses,
        learning_path_uuids=body.learningPaths,
        bundle_uuids=body.bundles,
        license_uuids=body.licenses,
        client_uuid=body.client,
    )
    group = await redemption.create_group(ctx_of(request), req)
    return json(mappers.redemption_group(group, with_codes=True), 201)


@router.post(
    "/redemptionCodes/redeem",
    response_model=Redeemed,
    responses=ERRORS,
    operation_id="APIRedeemRedemptionCode",
    description="coursegate: redeem one code for a user (the vendor documents no route).",
)
async def redeem(request: Request, body: RedeemWrite) -> Response:
    ctx = ctx_of(request)
    if not body.userId:
        raise Invalid.one("user_id", "required")
    if is_int_id(body.userId) and not valid_id(int(body.userId)):
        raise NotFound("user", body.userId[:32])  # beyond any stored id
    user = await people.find_user(ctx, body.userId)
    result = await redemption.redeem(ctx, body.code or "", user.id)
    return json(mappers.redemption(result, user.uuid))


@router.get(
    "/redemptionCodes/{id}",
    response_model=RedemptionCodeGroup,
    responses=ERRORS,
    operation_id="APIRedemptionCodeGroupById",
)
async def get_group(request: Request, id: str) -> Response:
    group = await redemption.get_group(ctx_of(request), id)
    return json(mappers.redemption_group(group, with_codes=True))
