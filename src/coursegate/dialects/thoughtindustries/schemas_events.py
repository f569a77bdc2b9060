"""Thought Industries event feeds and webhook registration: wire schemas."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr


class UserDetail(BaseModel):
    id: str | None
    firstName: str | None
    lastName: str | None
    externalCustomerId: str | None
    sfContactId: str | None
    sfAccountId: str | None
    client: str | None
    ref1: str | None
    ref2: str | None
    ref3: str | None


class Event(BaseModel):
    id: str
    source: str = Field(examples=["course_completed"])
    timestamp: str
    type: str = Field(examples=["status_change"])
    user: str | None = Field(description="The learner's email")
    companyId: str
    event: str = Field(examples=["courseCompletion"])
    notifiableId: str | None
    title: str | None
    userDetail: UserDetail


class EventsPageInfo(BaseModel):
    perPage: int
    cursor: str | None
    total: int
    hasMore: bool


class APIEvents(BaseModel):
    pageInfo: EventsPageInfo
    events: list[Event]


class APIEventsData(BaseModel):
    APIEvents: APIEvents


class EventsResponse(BaseModel):
    """Documented shape; sites on the `observed` profile get `APIEvents` at the top level."""

    data: APIEventsData


class WebhookWrite(BaseModel):
    model_config = ConfigDict(extra="ignore")
    url: StrictStr | None = None
    events: list[StrictStr] | None = None
    secret: StrictStr | None = None
    active: StrictBool = True


class WebhookCreated(BaseModel):
    id: str
    url: str
    events: list[str]
    active: bool
    createdAt: str


def _example() -> dict[str, Any]:
    return {
        "url": "https://example.com/hooks",
        "events": ["courseCompletion"],
        "secret": "whsec_...",
    }
