"""Thought Industries ILT/VILT: GET /meetings, GET /meetings/:id, updateMeetingAttendance."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coursegate.domain import meetings
from coursegate.domain.errors import Invalid
from tests import builders
from tests.conftest import Tenant, TestClock


async def test_meetings_list_in_start_order_with_course_filter_and_pages(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    course = await builders.course(tenant.ctx, seats_limit=None)
    other_course = await builders.course(tenant.ctx)
    later = await builders.meeting(tenant.ctx, course.id, starts_in_hours=48, title="Day two")
    sooner = await builders.meeting(
        tenant.ctx,
        course.id,
        starts_in_hours=24,
        title="Day one",
        location_name="Room 4",
        location_address="1 Main St",
        instructors=["Grace Hopper"],
        seats_limit=12,
    )
    elsewhere = await builders.meeting(tenant.ctx, other_course.id, starts_in_hours=1)

    response = await tenant.ti("GET", "/meetings")
    assert response.status_code == 200
    body = response.json()["data"]["Meetings"]
    assert body["pageInfo"] == {
        "perPage": 25,
        "cursor": None,
        "total": 3,
        "hasMore": False,
        "currentPage": 1,
    }
    assert body["aggregations"] == []
    assert [m["id"] for m in body["meetings"]] == [elsewhere.uuid, sooner.uuid, later.uuid]
    item = body["meetings"][1]
    assert item["title"] == "Day one" and item["courseId"] == course.uuid
    assert item["course"]["id"] == course.uuid and item["course"]["seatsLimitMet"] is False
    assert {"seatsLimit", "waitlistCount", "waitlistingEnabled"} <= set(item["course"])
    assert item["location"] == {"name": "Room 4", "address": "1 Main St"}
    assert item["instructors"] == [{"name": "Grace Hopper"}] and item["seatsLimit"] == 12

    filtered = await tenant.ti(
        "GET", "/meetings", params={"courseId": course.uuid, "perPage": 1, "page": 2}
    )
    page = filtered.json()["data"]["Meetings"]
    assert page["pageInfo"]["total"] == 2 and page["pageInfo"]["hasMore"] is False
    assert [m["id"] for m in page["meetings"]] == [later.uuid]
    assert (await other_tenant.ti("GET", "/meetings")).json()["data"]["Meetings"]["meetings"] == []
    bad = await tenant.ti("GET", "/meetings", params={"courseId": "x"})
    assert bad.status_code == 400 and "courseId" in bad.json()["errors"][0]


async def test_meeting_by_id_and_isolation(tenant: Tenant, other_tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx)
    meeting = await builders.meeting(tenant.ctx, course.id, virtual_url="https://meet.example/abc")
    response = await tenant.ti("GET", f"/meetings/{meeting.uuid}")
    assert response.status_code == 200
    item = response.json()["data"]["MeetingById"]
    assert item["id"] == meeting.uuid and item["virtualUrl"] == "https://meet.example/abc"
    assert item["attendees"] == [] and item["location"] is None
    for who, key in (
        (other_tenant, meeting.uuid),
        (tenant, "00000000-0000-0000-0000-000000000000"),
        (tenant, "1"),
    ):
        missing = await who.ti("GET", f"/meetings/{key}")
        assert missing.status_code == 404 and missing.json() == {"errors": ["Meeting not found."]}
    [event] = await builders.events_of(tenant.ctx, "meeting.created", meeting.uuid)
    assert event["course_uuid"] == course.uuid


async def test_attendance_is_recorded_returns_bare_user_and_emits_event(tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx)
    meeting = await builders.meeting(tenant.ctx, course.id)
    learner = await builders.user(tenant.ctx)
    body = {
        "userId": learner.uuid,
        "meetingId": meeting.uuid,
        "attended": True,
        "courseId": course.uuid,
    }
    response = await tenant.ti("POST", f"/users/{learner.uuid}/updateMeetingAttendance", json=body)
    assert response.status_code == 200
    user = response.json()
    assert "data" not in user and user["id"] == learner.uuid and user["email"] == learner.email
    detail = (await tenant.ti("GET", f"/meetings/{meeting.uuid}")).json()["data"]["MeetingById"]
    assert [(a["userId"], a["attended"]) for a in detail["attendees"]] == [(learner.uuid, True)]
    assert detail["attendedCount"] == 1
    # The same mark again changes nothing; a new mark does.
    await tenant.ti("POST", f"/users/{learner.email}/updateMeetingAttendance", json=body)
    await tenant.ti(
        "POST", f"/users/{learner.uuid}/updateMeetingAttendance", json={**body, "attended": False}
    )
    events = await builders.events_of(tenant.ctx, "meeting.attendance_updated", meeting.uuid)
    assert [e["payload"]["attended"] for e in events] == [True, False]
    assert events[0]["user_uuid"] == learner.uuid


async def test_attendance_errors(tenant: Tenant, other_tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx)
    other_course = await builders.course(tenant.ctx)
    meeting = await builders.meeting(tenant.ctx, course.id)
    learner = await builders.user(tenant.ctx)
    stranger = await builders.user(other_tenant.ctx)
    path = f"/users/{learner.uuid}/updateMeetingAttendance"
    base = {"userId": learner.uuid, "meetingId": meeting.uuid, "attended": True}
    cases = [
        (
            path,
            {"userId": learner.uuid, "meetingId": meeting.uuid},
            400,
            "Field 'attended' is required.",
        ),
        (path, {**base, "attended": "yes"}, 400, "attended"),
        (
            path,
            {**base, "meetingId": "00000000-0000-0000-0000-000000000000"},
            400,
            "Meeting not found",
        ),
        (path, {**base, "courseId": other_course.uuid}, 400, "does not belong"),
        (path, {**base, "userId": stranger.uuid}, 400, "userId"),
        (
            f"/users/{stranger.uuid}/updateMeetingAttendance",
            {**base, "userId": stranger.uuid},
            404,
            "User not found.",
        ),
    ]
    for url, body, status, needle in cases:
        response = await tenant.ti("POST", url, json=body)
        assert response.status_code == status, body
        [message] = response.json()["errors"]
        assert needle in message, (body, message)
    assert await builders.events_of(tenant.ctx, "meeting.attendance_updated") == []


async def test_meeting_rules(tenant: Tenant, clock: TestClock) -> None:
    course = await builders.course(tenant.ctx)
    start = datetime(2026, 5, 1, 9, tzinfo=UTC)
    with pytest.raises(Invalid) as backwards:
        await meetings.create_meeting(tenant.ctx, course.id, "Oops", start, start)
    assert backwards.value.problems[0].field == "ends_at"
    with pytest.raises(Invalid):
        await meetings.create_meeting(tenant.ctx, 0, "No course", start, start.replace(hour=10))
