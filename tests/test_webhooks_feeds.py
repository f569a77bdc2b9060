"""Thought Industries `GET /events/<type>`: the 23 feeds over the one event log, filters,
keyset cursors under concurrent writes, and the `observed` profile."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from coursegate.domain import learning, people
from coursegate.events.feeds import FEEDS
from coursegate.platform import tenancy
from coursegate.store.database import Database
from tests import builders
from tests.conftest import Tenant, TestClock

FEED_NAMES = [
    "courseAction",
    "courseEnrollment",
    "courseCompletion",
    "courseView",
    "coursePurchase",
    "courseCertificate",
    "activeCourseCertificate",
    "quizAttempt",
    "registration",
    "emailCapture",
    "newsletterSignup",
    "visit",
    "userLastActive7",
    "userLastActive14",
    "userLastActive31",
    "bundlePurchase",
    "productPurchase",
    "bulkPurchase",
    "pickableGroupPurchase",
    "failedPurchase",
    "failedSubscription",
    "subscriptionReactivation",
    "redemptionCodeRedeem",
]
T0 = datetime(2026, 5, 4, 12, 0, 0, tzinfo=UTC)


def ms(value: datetime) -> str:
    return str(int(value.timestamp() * 1000))


async def feed(tenant: Tenant, name: str, **params: Any) -> dict[str, Any]:
    response = await tenant.ti("GET", f"/events/{name}", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body["data"]["APIEvents"] if "data" in body else body


async def test_all_23_feeds_answer(tenant: Tenant) -> None:
    assert sorted(FEEDS) == sorted(FEED_NAMES) and len(FEED_NAMES) == 23
    for name in FEED_NAMES:
        response = await tenant.ti("GET", f"/events/{name}")
        assert response.status_code == 200, name
        page = response.json()["data"]["APIEvents"]
        assert set(page["pageInfo"]) == {"perPage", "cursor", "total", "hasMore"}
        assert isinstance(page["events"], list)
    unknown = await tenant.ti("GET", "/events/notAFeed")
    assert unknown.status_code == 404 and "errors" in unknown.json()


async def test_course_action_is_the_unified_feed(clock: TestClock, tenant: Tenant) -> None:
    clock.pinned = T0
    user = await builders.user(tenant.ctx, first_name="Grace", last_name="Hopper")
    course = await builders.course(tenant.ctx)
    enrollment = await builders.enrollment(tenant.ctx, user.id, course.id, activated_at=T0)
    clock.pinned = T0 + timedelta(minutes=1)
    await learning.update_enrollment(tenant.ctx, enrollment.id, {"expiry_date": T0})

    action = await feed(tenant, "courseAction")
    assert [(e["type"], e["source"]) for e in action["events"]] == [
        ("enrollment", "course_enrolled"),
        ("access_revoked", "access_revoked"),
    ]
    first = action["events"][0]
    assert first["event"] == "courseAction" and first["user"] == user.email
    assert first["notifiableId"] == course.uuid and first["title"] == course.title
    assert (
        first["companyId"] == tenant.site.uuid and first["timestamp"] == "2026-05-04T12:00:00.000Z"
    )
    assert first["userDetail"]["id"] == user.uuid and first["userDetail"]["lastName"] == "Hopper"
    assert set(first["userDetail"]) == {
        "id",
        "firstName",
        "lastName",
        "externalCustomerId",
        "sfContactId",
        "sfAccountId",
        "client",
        "ref1",
        "ref2",
        "ref3",
    }
    enrolled = await feed(tenant, "courseEnrollment")
    assert [(e["event"], e["source"]) for e in enrolled["events"]] == [
        ("courseEnrollment", "course_enrolled")
    ]
    assert (await feed(tenant, "courseCompletion"))["events"] == []
    by_kind = await feed(tenant, "courseAction", kind="revoked")
    assert [e["type"] for e in by_kind["events"]] == ["access_revoked"]
    registration = await feed(tenant, "registration")
    assert [e["user"] for e in registration["events"]] == [user.email]
    assert registration["events"][0]["notifiableId"] == user.uuid


async def test_filters(clock: TestClock, tenant: Tenant) -> None:
    users = []
    for minute in range(4):
        clock.pinned = T0 + timedelta(minutes=minute)
        users.append(await builders.user(tenant.ctx))
    course = await builders.course(tenant.ctx)
    await builders.enrollment(tenant.ctx, users[0].id, course.id, activated_at=T0)

    def emails(page: dict[str, Any]) -> list[str]:
        return [e["user"] for e in page["events"]]

    start, end = T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)
    for lo, hi in ((ms(start), ms(end)), (start.isoformat(), end.isoformat())):
        page = await feed(tenant, "registration", startDate=lo, endDate=hi)
        assert emails(page) == [users[1].email, users[2].email]
        assert page["pageInfo"]["total"] == 2
    only = await feed(tenant, "registration", userId=users[3].uuid)
    assert emails(only) == [users[3].email]
    about = await feed(tenant, "courseAction", notifiableId=course.uuid)
    assert emails(about) == [users[0].email]
    none = await feed(tenant, "courseAction", notifiableId=users[1].uuid)
    assert none["events"] == []
    for bad in ({"userId": "nope"}, {"startDate": "yesterday"}, {"cursor": "!!"}):
        response = await tenant.ti("GET", "/events/registration", params=bad)
        assert response.status_code == 400 and response.json()["errors"], bad


async def test_feeds_are_private_to_their_site(tenant: Tenant, other_tenant: Tenant) -> None:
    await builders.user(tenant.ctx)
    assert (await feed(other_tenant, "registration"))["events"] == []


async def test_cursor_walk_sees_every_event_once_under_concurrent_writes(tenant: Tenant) -> None:
    for _ in range(10):
        await builders.user(tenant.ctx)
    writing = True

    async def writer() -> None:
        for _ in range(15):
            await builders.user(tenant.ctx)
            await asyncio.sleep(0)

    task = asyncio.create_task(writer())
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = await feed(
            tenant, "registration", perPage="3", **({"cursor": cursor} if cursor else {})
        )
        seen += [e["id"] for e in page["events"]]
        cursor = page["pageInfo"]["cursor"] or cursor
        if not page["pageInfo"]["hasMore"]:
            if not writing:
                break
            await task
            writing = False
    everything = await feed(tenant, "registration", perPage="100")
    assert len(everything["events"]) == 25 and everything["pageInfo"]["total"] == 25
    assert len(seen) == len(set(seen)) == 25
    assert seen == [e["id"] for e in everything["events"]]  # ascending time order


async def test_observed_profile_newest_first_100_per_page(
    db: Database, clock: TestClock, tenant: Tenant
) -> None:
    await tenancy.update_site(
        db, tenant.site.subdomain, {"profile": {"thoughtindustries": {"envelope": "observed"}}}
    )
    # 130 registrations, 7 per millisecond, so a page boundary falls inside a millisecond.
    for n in range(130):
        clock.pinned = T0 + timedelta(milliseconds=n // 7, microseconds=n % 7)
        await builders.user(tenant.ctx)
    clock.pinned = None
    response = await tenant.ti("GET", "/events/registration")
    body = response.json()
    assert set(body) == {"pageInfo", "events"}
    first = body["events"]
    assert 93 < len(first) <= 100 and body["pageInfo"]["hasMore"] is True
    stamps = [e["timestamp"] for e in first]
    assert stamps == sorted(stamps, reverse=True)

    # The production client: slide endDate to (oldest timestamp - 1 ms) until an empty page.
    seen = [e["id"] for e in first]
    page = first
    while page:
        oldest = datetime.fromisoformat(page[-1]["timestamp"].replace("Z", "+00:00"))
        end = ms(oldest - timedelta(milliseconds=1))
        page = (await tenant.ti("GET", "/events/registration", params={"endDate": end})).json()[
            "events"
        ]
        seen += [e["id"] for e in page]
    assert len(seen) == len(set(seen)) == 130

    # The cursor walks newest first too.
    cursor = body["pageInfo"]["cursor"]
    rest = (await tenant.ti("GET", "/events/registration", params={"cursor": cursor})).json()
    assert len(first) + len(rest["events"]) == 130 and rest["pageInfo"]["hasMore"] is False
    assert [e["id"] for e in first + rest["events"]] == seen


async def test_documented_profile_is_oldest_first(clock: TestClock, tenant: Tenant) -> None:
    for n in range(3):
        clock.pinned = T0 + timedelta(seconds=n)
        await builders.user(tenant.ctx)
    page = await feed(tenant, "registration", perPage="2")
    stamps = [e["timestamp"] for e in page["events"]]
    assert stamps == ["2026-05-04T12:00:00.000Z", "2026-05-04T12:00:01.000Z"]
    assert page["pageInfo"] | {"cursor": None} == {
        "perPage": 2,
        "cursor": None,
        "total": 3,
        "hasMore": True,
    }


async def test_erased_users_stay_erased_in_feeds(tenant: Tenant) -> None:
    user = await builders.user(tenant.ctx, first_name="Secret", last_name="Person")
    course = await builders.course(tenant.ctx)
    await builders.enrollment(tenant.ctx, user.id, course.id, activated_at=datetime.now(UTC))
    await people.delete_user(tenant.ctx, user.id)
    for name in ("registration", "courseAction"):
        page = await feed(tenant, name)
        assert page["events"], name
        for event in page["events"]:
            assert event["user"] != user.email and user.email not in str(event), name
            assert event["userDetail"]["firstName"] == "(deleted)"


async def test_events_show_the_user_as_of_the_event_and_the_record_for_what_it_lacks(
    tenant: Tenant,
) -> None:
    user = await builders.user(tenant.ctx, first_name="Ada", last_name="Byron")
    course = await builders.course(tenant.ctx)
    await builders.enrollment(tenant.ctx, user.id, course.id, activated_at=datetime.now(UTC))
    # Renamed, and given an external id the enrollment's snapshot never had.
    await people.update_user(
        tenant.ctx, user.id, {"last_name": "Lovelace", "external_customer_id": "crm-7"}
    )
    [event] = [
        e for e in (await feed(tenant, "courseAction"))["events"] if e["type"] == "enrollment"
    ]
    detail = event["userDetail"]
    assert (detail["firstName"], detail["lastName"]) == ("Ada", "Byron")
    assert detail["externalCustomerId"] == "crm-7" and detail["id"] == user.uuid
    assert event["user"] == user.email
