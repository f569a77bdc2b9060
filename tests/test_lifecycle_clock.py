"""The sandbox's virtual clock and what advancing it fires: expiries and drip releases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from coursegate.domain import time_effects
from coursegate.domain.context import Ctx
from coursegate.platform import tenancy
from tests import builders
from tests.conftest import Tenant
from tests.contract import thinkific_contract
from tests.sandbox_client import events_of, sb


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_freeze_advance_resume(tenant: Tenant, clock: Any) -> None:
    clock.pinned = datetime(2030, 1, 1, tzinfo=UTC)
    shown = await sb(tenant, "GET", "/clock")
    assert shown.json() == {
        "now": "2030-01-01T00:00:00.000Z",
        "frozen": False,
        "frozen_at": None,
        "offset_seconds": 0.0,
    }
    frozen = await sb(tenant, "POST", "/clock/freeze")
    assert frozen.json()["frozen"] is True and frozen.json()["now"] == "2030-01-01T00:00:00.000Z"

    clock.pinned = datetime(2030, 1, 1, 0, 10, tzinfo=UTC)  # real time moves; the site's does not
    assert (await sb(tenant, "GET", "/clock")).json()["now"] == "2030-01-01T00:00:00.000Z"
    advanced = await sb(tenant, "POST", "/clock/advance", json={"seconds": 3600})
    assert advanced.status_code == 200
    assert advanced.json()["now"] == "2030-01-01T01:00:00.000Z"
    assert advanced.json()["advanced"]["from"] == "2030-01-01T00:00:00.000Z"

    resumed = await sb(tenant, "POST", "/clock/resume")
    assert resumed.json()["frozen"] is False
    assert resumed.json()["now"] == "2030-01-01T01:00:00.000Z"  # time runs on from where it stood
    clock.pinned = datetime(2030, 1, 1, 0, 15, tzinfo=UTC)
    assert (await sb(tenant, "GET", "/clock")).json()["now"] == "2030-01-01T01:05:00.000Z"

    # Every dialect reads the site's time: a course created now is stamped with the virtual time.
    created = await tenant.ti(
        "POST", "/courses", json={"title": "Made later", "courseType": "course"}
    )
    assert created.status_code == 201
    assert created.json()["createdAt"] == "2030-01-01T01:05:00.000Z"

    for seconds in (0, -5, "ten"):
        bad = await sb(tenant, "POST", "/clock/advance", json={"seconds": seconds})
        assert bad.status_code == 422 and "seconds" in bad.json()["error"], seconds
    clock_events = await events_of(tenant, "clock.frozen", "clock.advanced", "clock.resumed")
    assert [e["type"] for e in clock_events] == ["clock.frozen", "clock.advanced", "clock.resumed"]


async def test_advancing_expires_enrollments_and_certificates_once(
    tenant: Tenant, clock: Any, shared_dir: Any
) -> None:
    clock.pinned = datetime(2030, 1, 1, tzinfo=UTC)
    ctx = tenant.ctx
    user = await builders.user(ctx)
    soon = await builders.course(ctx, chapters=1, lessons=1)
    later = await builders.course(ctx)
    short = await builders.enrollment(
        ctx,
        user.id,
        soon.id,
        activated_at=clock.now(),
        expiry_date=clock.now() + timedelta(days=10),
    )
    long = await builders.enrollment(
        ctx,
        user.id,
        later.id,
        activated_at=clock.now(),
        expiry_date=clock.now() + timedelta(days=100),
    )
    await builders.certificate_rules(ctx, soon.id, valid_days=20)
    from coursegate.domain import catalog

    lesson_id = (await catalog.get_chapter(ctx, soon.chapter_ids[0])).lesson_ids[0]
    done = await sb(tenant, "POST", f"/lessons/{lesson_id}/complete", json={"user_id": user.id})
    cert_uuid = done.json()["certificate"]["uuid"]
    assert done.json()["certificate"]["expires_at"] == "2030-01-21T00:00:00.000Z"

    await sb(tenant, "POST", "/clock/freeze")
    first = await sb(tenant, "POST", "/clock/advance", json={"seconds": 15 * 86400})
    assert first.json()["advanced"] == {
        "from": "2030-01-01T00:00:00.000Z",
        "to": "2030-01-16T00:00:00.000Z",
        "enrollments_expired": 1,
        "certificates_expired": 0,
        "chapters_released": 0,
    }
    second = await sb(tenant, "POST", "/clock/advance", json={"seconds": 10 * 86400})
    assert second.json()["advanced"]["enrollments_expired"] == 0
    assert second.json()["advanced"]["certificates_expired"] == 1

    expired = await events_of(tenant, "enrollment.expired", "certificate.expired")
    assert [(e["type"], e["subject_uuid"]) for e in expired] == [
        ("enrollment.expired", short.uuid),
        ("certificate.expired", cert_uuid),
    ]
    assert expired[0]["payload"]["expired_at"] == "2030-01-11T00:00:00+00:00"
    assert expired[0]["occurred_at"] == "2030-01-16T00:00:00.000Z"

    # Thinkific reads expiry against the site's clock too.
    got = await tenant.tk("GET", f"/enrollments/{short.id}")
    thinkific_contract(shared_dir).check("GET", "/enrollments/{id}", got.status_code, got.content)
    assert got.json()["expired"] is True
    assert (await tenant.tk("GET", f"/enrollments/{long.id}")).json()["expired"] is False
    shown = (await tenant.ti("GET", f"/users/{user.uuid}")).json()["data"]["UserById"]
    assert {p["courseId"]: p["certificate"] for p in shown["purchasedCourses"]}[
        soon.uuid
    ] == cert_uuid

    # A sweep in real time finds nothing new: each expiry is reported once.
    site_clock = await tenancy.site_clock(tenant.ctx.db, clock, tenant.site.id)
    report = await time_effects.sweep(Ctx(tenant.ctx.db, tenant.site, site_clock))
    assert report.counts == {
        "enrollments_expired": 0,
        "certificates_expired": 0,
        "chapters_released": 0,
    }
    assert len(await events_of(tenant, "enrollment.expired", "certificate.expired")) == 2


async def test_revocation_is_not_reported_again_as_expiry(tenant: Tenant, clock: Any) -> None:
    clock.pinned = datetime(2030, 1, 1, tzinfo=UTC)
    ctx = tenant.ctx
    user = await builders.user(ctx)
    course = await builders.course(ctx)
    enrollment = await builders.enrollment(ctx, user.id, course.id, activated_at=clock.now())
    await time_effects.sweep(ctx)  # sets the mark at 2030-01-01
    clock.pinned = datetime(2030, 1, 2, tzinfo=UTC)
    revoke = await tenant.tk(
        "PUT", f"/enrollments/{enrollment.id}", json={"expiry_date": "2030-01-02T00:00:00Z"}
    )
    assert revoke.status_code == 204
    clock.pinned = datetime(2030, 1, 3, tzinfo=UTC)
    report = await time_effects.sweep(ctx)
    assert report.counts["enrollments_expired"] == 0
    assert [
        e["type"] for e in await events_of(tenant, "enrollment.revoked", "enrollment.expired")
    ] == ["enrollment.revoked"]


async def test_periodic_sweep_reports_real_time_expiries(tenant: Tenant, clock: Any) -> None:
    clock.pinned = datetime(2030, 1, 1, tzinfo=UTC)
    ctx = tenant.ctx
    user = await builders.user(ctx)
    course = await builders.course(ctx)
    enrollment = await builders.enrollment(
        ctx,
        user.id,
        course.id,
        activated_at=clock.now(),
        expiry_date=datetime(2030, 1, 5, tzinfo=UTC),
    )
    first = await time_effects.sweep(ctx)
    assert first.counts["enrollments_expired"] == 0
    clock.pinned = datetime(2030, 1, 6, tzinfo=UTC)
    report = await time_effects.sweep(ctx)
    assert report.enrollments_expired == [enrollment.id]
    assert report.start == datetime(2030, 1, 1, tzinfo=UTC)


async def test_other_sites_clocks_are_untouched(tenant: Tenant, other_tenant: Tenant) -> None:
    await sb(tenant, "POST", "/clock/freeze")
    await sb(tenant, "POST", "/clock/advance", json={"seconds": 86400 * 365})
    mine = instant((await sb(tenant, "GET", "/clock")).json()["now"])
    theirs = instant((await sb(other_tenant, "GET", "/clock")).json()["now"])
    assert mine - theirs > timedelta(days=364)
    assert (await sb(other_tenant, "GET", "/clock")).json()["frozen"] is False
    assert await events_of(other_tenant, "clock.advanced") == []


async def test_deleted_users_certificates_go_with_them(tenant: Tenant, clock: Any) -> None:
    clock.pinned = datetime(2030, 1, 1, tzinfo=UTC)
    ctx = tenant.ctx
    user = await builders.user(ctx)
    course = await builders.course(ctx)
    body = {"resourceType": "course", "resourceId": course.uuid, "expirationDate": "2030-02-01"}
    certified = await tenant.ti("POST", f"/users/{user.uuid}/certify", json=body)
    assert certified.status_code == 200
    from coursegate.domain import people

    await people.delete_user(ctx, user.id)
    await sb(tenant, "POST", "/clock/freeze")
    advanced = await sb(tenant, "POST", "/clock/advance", json={"seconds": 60 * 86400})
    assert advanced.json()["advanced"]["certificates_expired"] == 0
    assert await events_of(tenant, "certificate.expired") == []
