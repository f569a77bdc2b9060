from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from coursegate.dialects.thoughtindustries.schemas import Ping
from coursegate.platform.http import json

router = APIRouter(tags=["Health"])


@router.get("/ping", response_model=Ping, operation_id="ping")
async def ping() -> Response:
    return json({"valid": True})
