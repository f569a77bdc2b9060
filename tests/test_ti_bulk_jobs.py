"""Bulk courses, users and enrollments, and the background jobs behind them."""

from __future__ import annotations

from pathlib import Path

from coursegate.domain import bulk, jobs
from coursegate.platform.profiles import THOUGHT_INDUSTRIES
from tests import builders
from tests.conftest import Tenant, TestClock, make_tenant
from tests.contract import thinkific_contract
from tests.event_log import event_types


def _bulk(response_json: dict, key: str) -> dict:
    return response_json["data"][key]


async def test_bulk_courses_creates_valid_reports_invalid_by_index(
    tenant: Tenant, shared_dir: Path
) -> None:
    await builders.course(tenant.ctx, title="Taken title")
    records = [
        {"title": "Bulk One", "courseType": "course", "tags": ["bulk"]},
        {"title": "", "courseType": "course"},
        {"title": "Bulk Two", "kind": "article"},
        {"title": "Taken title", "courseType": "course"},
        {"title": 42, "courseType": "course"},
        {"title": "Bulk Three", "courseType": "quiz"},
    ]
    response = await tenant.ti("POST", "/courses/bulk", json={"courseAttributes": records})
    assert response.status_code == 200, response.text
    body = _bulk(response.json(), "APIBulkCreateCourses")
    assert body["createdCount"] == 2 and len(body["createdIds"]) == 2
    assert [e["index"] for e in body["errors"]] == [1, 3, 4, 5]
    messages = {e["index"]: e["error"] for e in body["errors"]}
    assert messages[1] == "Field 'title' is required."
    assert messages[3] == "A record with title 'Taken title' already exists."
    assert "title" in messages[4] and "courseType" in messages[5]
    assert body["backgroundJob"]["status"] == "complete"

    created = [(await tenant.ti("GET", f"/courses/{i}")).json() for i in body["createdIds"]]
    assert [(c["title"], c["courseType"]) for c in created] == [
        ("Bulk One", "course"),
        ("Bulk Two", "article"),
    ]
    listed = await tenant.tk("GET", "/courses")
    thinkific_contract(shared_dir).check("GET", "/courses", 200, listed.content)
    names = {c["name"] for c in listed.json()["items"]}
    assert {
        "Bulk One",
        "Bulk Two",
        "Taken title",
    } == names  # nothing half-written for the refused ones

    job = await tenant.ti("GET", f"/jobs/{body['backgroundJob']['id']}")
    info = job.json()["data"]["APIBackgroundJob"]
    assert info["status"] == "complete" and info["type"] == "bulkCreateCourses"
    # Records 1, 3 and 5 were well-formed on the wire, so the job tried and refused them.
    assert info["totalCount"] == 5 and info["succeededCount"] == 2 and info["failedCount"] == 3
    assert info["createdIds"] == body["createdIds"] and [e["index"] for e in info["errors"]] == [
        1,
        3,
        5,
    ]


async def test_bulk_over_the_limit_is_refused_whole(tenant: Tenant) -> None:
    records = [
        {"title": f"C{i}", "courseType": "course"}
        for i in range(THOUGHT_INDUSTRIES.bulk_max_records + 1)
    ]
    refused = await tenant.ti("POST", "/courses/bulk", json={"courseAttributes": records})
    assert refused.status_code == 400
    assert refused.json() == {
        "error": "Validation Error",
        "message": "Field 'courseAttributes' accepts at most 100 records.",
        "code": "INVALID_FIELD_VALUE",
        "statusCode": 400,
    }
    users = [{"email": f"u{i}@example.com", "firstName": "A", "lastName": "B"} for i in range(101)]
    refused_users = await tenant.ti("POST", "/users/bulk", json={"users": users})
    assert refused_users.status_code == 400
    assert refused_users.json() == {"errors": ["Field 'users' accepts at most 100 records."]}
    missing = await tenant.ti("POST", "/courses/bulk", json={})
    assert missing.status_code == 400 and missing.json()["code"] == "MISSING_REQUIRED_FIELD"
    listed = await tenant.ti("GET", "/content", params={"types": "courseGroup"})
    assert listed.json()["data"]["APIContentSearch"]["contentItems"] == []


async def test_large_course_bulk_runs_as_a_background_job(tenant: Tenant) -> None:
    count = THOUGHT_INDUSTRIES.bulk_inline_records + 5
    records = [{"title": f"Large {i}", "courseType": "video"} for i in range(count)]
    records[7] = {"title": "Large 1", "courseType": "video"}  # duplicate title of record 1
    response = await tenant.ti("POST", "/courses/bulk", json={"courseAttributes": records})
    assert response.status_code == 202
    body = _bulk(response.json(), "APIBulkCreateCourses")
    assert body["backgroundJob"]["status"] == "queued" and body["createdIds"] == []
    job = (await tenant.ti("GET", f"/jobs/{body['backgroundJob']['id']}")).json()["data"][
        "APIBackgroundJob"
    ]
    assert job["status"] == "complete" and job["processedCount"] == count
    assert job["succeededCount"] == count - 1 and [e["index"] for e in job["errors"]] == [7]
    assert '"Large 1"' in job["errors"][0]["record"]


async def test_users_bulk_skip_existing_and_per_record_errors(tenant: Tenant) -> None:
    existing = await builders.user(tenant.ctx, email="already@example.com")
    payload = {
        "users": [
            {
                "email": "new1@example.com",
                "firstName": "New",
                "lastName": "One",
                "externalId": "ext-1",
            },
            {"email": "already@example.com", "firstName": "Old", "lastName": "Timer"},
            {"email": "not-an-email", "firstName": "Bad", "lastName": "Mail"},
            {"firstName": "No", "lastName": "Mail"},
        ],
        "options": {"skipExisting": True, "sendWelcomeEmail": True},
    }
    response = await tenant.ti("POST", "/users/bulk", json=payload)
    assert response.status_code == 200, response.text
    body = _bulk(response.json(), "APIBulkCreateUsers")
    assert body["createdCount"] == 1 and body["skippedIds"] == [existing.uuid]
    assert [e["index"] for e in body["errors"]] == [2, 3]
    assert body["errors"][1]["error"] == "Field 'email' is required."
    created = await tenant.ti("GET", f"/users/{body['createdIds'][0]}")
    assert created.json()["data"]["UserById"]["externalCustomerId"] == "ext-1"

    again = await tenant.ti("POST", "/users/bulk", json={"users": payload["users"][:2]})
    second = _bulk(again.json(), "APIBulkCreateUsers")
    assert second["createdCount"] == 0 and [e["index"] for e in second["errors"]] == [0, 1]
    assert "already exists" in second["errors"][0]["error"]


async def test_enrollments_bulk_enrolls_and_reports(tenant: Tenant, shared_dir: Path) -> None:
    user = await builders.user(tenant.ctx)
    course = await builders.course(tenant.ctx)
    payload = {
        "enrollments": [
            {"userId": user.uuid, "courseId": course.uuid, "source": "hr-sync"},
            {"userId": user.email, "courseId": course.uuid},
            {"userId": "00000000-0000-0000-0000-000000000000", "courseId": course.uuid},
            {"userId": user.uuid},
        ]
    }
    response = await tenant.ti("POST", "/enrollments/bulk", json=payload)
    assert response.status_code == 200
    body = _bulk(response.json(), "APIBulkCreateEnrollments")
    assert body["createdCount"] == 1
    errors = {e["index"]: e["error"] for e in body["errors"]}
    assert errors[1] == "The user is already enrolled in this course."
    assert errors[2] == "User not found for field 'userId'."
    assert errors[3] == "Field 'courseId' is required."
    enrollments = await tenant.tk("GET", "/enrollments", params={"query[user_id]": user.id})
    thinkific_contract(shared_dir).check("GET", "/enrollments", 200, enrollments.content)
    assert [e["course_id"] for e in enrollments.json()["items"]] == [course.id]


async def test_job_interrupted_mid_way_resumes_from_its_last_batch(
    tenant: Tenant, clock: TestClock
) -> None:
    items = [
        {"index": i, "data": {"title": f"Resumed {i}", "course_type": "course"}} for i in range(5)
    ]
    job = await jobs.create_job(tenant.ctx, bulk.COURSES, "Bulk course creation", items)
    # One batch of two commits, then the process "stops": the row tells exactly how far it got.
    await jobs._batch(tenant.ctx, job.id, 2)
    mid = (await tenant.ti("GET", f"/jobs/{job.uuid}")).json()["data"]["APIBackgroundJob"]
    assert mid["status"] == "running" and mid["processedCount"] == 2 and len(mid["createdIds"]) == 2
    await jobs.resume(tenant.ctx, 2)
    done = (await tenant.ti("GET", f"/jobs/{job.uuid}")).json()["data"]["APIBackgroundJob"]
    assert done["status"] == "complete" and done["succeededCount"] == 5
    logged = await event_types(tenant.ctx)
    assert [t for t in logged if t.startswith("job.")] == [
        "job.created",
        "job.progressed",
        "job.progressed",
        "job.completed",
    ]
    assert logged.count("course.created") == 5
    other = await make_tenant(tenant.ctx.db, clock, tenant.http)
    hidden = await other.ti("GET", f"/jobs/{job.uuid}")
    assert hidden.status_code == 404 and hidden.json() == {"errors": ["Job not found."]}
    missing = await tenant.ti("GET", "/jobs/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json() == {"errors": ["Job not found."]}


async def test_job_crash_rolls_back_its_batch_and_reports_failed(tenant: Tenant) -> None:
    from coursegate.domain.catalog import insert_course

    async def explode_on_third(u, item):  # type: ignore[no-untyped-def]
        if item["index"] == 2:
            raise RuntimeError("disk on fire")
        course = await insert_course(u, item["data"])
        return {"id": course.id, "uuid": course.uuid}

    jobs.HANDLERS["testExplodes"] = explode_on_third
    try:
        items = [
            {"index": i, "data": {"title": f"Crash {i}", "course_type": "course"}} for i in range(4)
        ]
        job = await jobs.create_job(tenant.ctx, "testExplodes", "explodes", items)
        await jobs.run(tenant.ctx, job.id, 2)
    finally:
        del jobs.HANDLERS["testExplodes"]
    info = (await tenant.ti("GET", f"/jobs/{job.uuid}")).json()["data"]["APIBackgroundJob"]
    assert info["status"] == "failed" and info["errorMessage"] == (
        "Processing stopped after 2 of 4 records: internal error (RuntimeError)."
    )
    assert info["processedCount"] == 2 and info["succeededCount"] == 2
    listed = (await tenant.ti("GET", "/courses")).json()["data"]["APICourses"]["courses"]
    assert [c["title"] for c in listed] == [
        "Crash 0",
        "Crash 1",
    ]  # "Crash 3" shared the failed batch


async def test_large_user_and_enrollment_bulks_finish_in_the_background(
    tenant: Tenant, shared_dir: Path
) -> None:
    course = await builders.course(tenant.ctx)
    count = THOUGHT_INDUSTRIES.bulk_inline_records + 3
    users = [
        {"email": f"bg{i}@example.com", "firstName": "Bg", "lastName": str(i)} for i in range(count)
    ]
    queued = await tenant.ti("POST", "/users/bulk", json={"users": users})
    assert queued.status_code == 202
    job_id = _bulk(queued.json(), "APIBulkCreateUsers")["backgroundJob"]["id"]
    users_job = (await tenant.ti("GET", f"/jobs/{job_id}")).json()["data"]["APIBackgroundJob"]
    assert users_job["status"] == "complete" and len(users_job["createdIds"]) == count

    enrollments = [{"userId": uid, "courseId": course.uuid} for uid in users_job["createdIds"]]
    queued = await tenant.ti("POST", "/enrollments/bulk", json={"enrollments": enrollments})
    assert queued.status_code == 202
    body = _bulk(queued.json(), "APIBulkCreateEnrollments")
    assert (
        body["backgroundJob"]["status"] == "queued" and body["backgroundJob"]["totalCount"] == count
    )
    done = (await tenant.ti("GET", f"/jobs/{body['backgroundJob']['id']}")).json()["data"]
    assert done["APIBackgroundJob"]["succeededCount"] == count

    listed = await tenant.tk(
        "GET", "/enrollments", params={"query[course_id]": course.id, "limit": 50}
    )
    thinkific_contract(shared_dir).check("GET", "/enrollments", 200, listed.content)
    assert listed.json()["meta"]["pagination"]["total_items"] == count
