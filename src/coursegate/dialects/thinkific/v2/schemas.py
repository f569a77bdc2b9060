"""Thinkific Webhooks API v2 wire schemas (for validation and the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class WebhookRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    topic: Any = Field(
        None,
        description="The topic the webhook listens for, e.g. order.created.",
        json_schema_extra={"type": "string"},
    )
    target_url: Any = Field(
        None,
        description="Where events are POSTed. Must be https "
        "(plain http and loopback are accepted for sandbox sites).",
        json_schema_extra={"type": "string"},
    )


class WebhookResponse(BaseModel):
    id: str
    topic: str
    target_url: str
    status: str = Field(description="active, or disabled after persistent delivery failures")
    created_by: int | None
    created_at: str
    updated_at: str
    updated_by: int | None


class Pagination(BaseModel):
    has_next: bool
    next_page: str
    page_items: int
    total_items: int
    total_pages: int


class Meta(BaseModel):
    page: Pagination


class GetWebhooksResponse(BaseModel):
    items: list[WebhookResponse]
    meta: Meta


class EventResponse(BaseModel):
    id: str
    resource: str
    action: str
    created_at: str
    payload: dict[str, Any]


class AttemptResponse(BaseModel):
    number: int
    attempted_at: str
    request_body: str
    response_status: int | None
    response_excerpt: str | None
    error: str | None
    duration_ms: int


class DeliveryResponse(BaseModel):
    id: str
    topic: str
    event_id: str | None
    status: str = Field(description="pending, delivered or undeliverable")
    attempts: int
    next_attempt_at: str | None
    delivered_at: str | None
    created_at: str
    log: list[AttemptResponse]


class GetDeliveriesResponse(BaseModel):
    items: list[DeliveryResponse]
    meta: Meta


class ErrorNotFound(BaseModel):
    error: str = "Record not found."


class UnprocessableEntityError(BaseModel):
    errors: dict[str, Any]
