"""PUT /users/:id/updateStatus and POST /users/:id/resetProgress."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from coursegate.domain import learning
from tests import builders
from tests.conftest import Tenant, TestClock
from tests.contract import thinkific_contract
from tests.event_log import event_types


async def test_update_status_by_uuid_email_or_external_id(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    user = await builders.user(tenant.ctx, external_customer_id="crm-77")
    off = await tenant.ti("PUT", f"/users/{user.uuid}/updateStatus", json={"status": "disabled"})
    assert off.status_code == 200 and off.json() == {"status": "disabled"}
    shown = (await tenant.ti("GET", f"/users/{user.uuid}")).json()["data"]["UserById"]
    assert shown["status"] == "disabled"
    on = await tenant.ti("PUT", f"/users/{user.email}/updateStatus", json={"status": "active"})
    assert on.json() == {"status": "active"}
    again = await tenant.ti("PUT", "/users/crm-77/updateStatus", json={"status": "disabled"})
    assert again.json() == {"status": "disabled"}

    bad = await tenant.ti("PUT", f"/users/{user.uuid}/updateStatus", json={"status": "paused"})
    assert bad.status_code == 400
    assert bad.json() == {"errors": ["Invalid status 'paused'. Accepted values: active, disabled."]}
    missing = await tenant.ti("PUT", f"/users/{user.uuid}/updateStatus", json={})
    assert missing.status_code == 400 and missing.json() == {
        "errors": ["Field 'status' is required."]
    }
    hidden = await other_tenant.ti(
        "PUT", f"/users/{user.uuid}/updateStatus", json={"status": "active"}
    )
    assert hidden.status_code == 404 and hidden.json() == {"errors": ["User not found."]}
    assert (await tenant.ti("GET", f"/users/{user.uuid}")).json()["data"]["UserById"][
        "status"
    ] == "disabled"
    assert (await event_types(tenant.ctx)).count("user.updated") == 3


async def test_reset_progress_resets_erases_and_revokes(
    tenant: Tenant, shared_dir: Path, clock: TestClock
) -> None:
    user = await builders.user(tenant.ctx)
    course = await builders.course(tenant.ctx)
    enrollment = await builders.enrollment(tenant.ctx, user.id, course.id, activated_at=None)
    await learning.update_enrollment(
        tenant.ctx, enrollment.id, {"activated_at": enrollment.created_at}
    )

    before = (await tenant.tk("GET", f"/enrollments/{enrollment.id}")).json()
    clock.shift = timedelta(hours=2)
    body = {
        "slug": course.slug,
        "resetProgress": True,
        "revokeAccess": False,
        "eraseTranscript": True,
    }
    response = await tenant.ti("POST", f"/users/{user.uuid}/resetProgress", json=body)
    assert response.status_code == 200 and response.json() == {
        "data": {"ResetUserCourseProgress": True}
    }
    after = await tenant.tk("GET", f"/enrollments/{enrollment.id}")
    thinkific_contract(shared_dir).check("GET", f"/enrollments/{enrollment.id}", 200, after.content)
    assert (
        after.json()["percentage_completed"] in (0, "0.0", 0.0)
        and after.json()["completed"] is False
    )
    assert after.json()["expired"] is False
    assert after.json()["started_at"] > before["started_at"]  # progress restarts now

    revoke = await tenant.ti(
        "POST",
        f"/users/{user.email}/resetProgress",
        json={"slug": course.slug, "revokeAccess": True},
    )
    assert revoke.status_code == 200
    revoked = await tenant.tk("GET", f"/enrollments/{enrollment.id}")
    thinkific_contract(shared_dir).check(
        "GET", f"/enrollments/{enrollment.id}", 200, revoked.content
    )
    assert revoked.json()["expired"] is True
    logged = await event_types(tenant.ctx)
    assert logged[-2:] == ["enrollment.progress_reset", "enrollment.revoked"]


async def test_reset_progress_errors(tenant: Tenant) -> None:
    user = await builders.user(tenant.ctx)
    course = await builders.course(tenant.ctx)
    path = f"/users/{user.uuid}/resetProgress"
    missing = await tenant.ti("POST", path, json={"slug": course.slug})
    assert missing.status_code == 400 and missing.json() == {
        "errors": ["Field 'revokeAccess' is required."]
    }
    not_enrolled = await tenant.ti("POST", path, json={"slug": course.slug, "revokeAccess": True})
    assert not_enrolled.status_code == 404 and not_enrolled.json() == {
        "errors": ["Enrollment not found."]
    }
    no_course = await tenant.ti("POST", path, json={"slug": "no-such-course", "revokeAccess": True})
    assert no_course.status_code == 404 and no_course.json() == {"errors": ["Course not found."]}
    other = await builders.user(tenant.ctx)
    await builders.enrollment(tenant.ctx, user.id, course.id)
    mismatch = await tenant.ti(
        "POST", path, json={"slug": course.slug, "revokeAccess": True, "userId": other.uuid}
    )
    assert mismatch.status_code == 400 and "userId" in mismatch.json()["errors"][0]
