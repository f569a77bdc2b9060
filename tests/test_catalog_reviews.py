"""Course reviews: created and listed by `course_id` in the query string."""

from __future__ import annotations

from tests import builders
from tests.catalog_support import Checked
from tests.conftest import Tenant


def _review(user_id: int, approved: bool, rating: int = 5) -> dict[str, object]:
    return {
        "rating": rating,
        "title": "Great",
        "review_text": "Loved it",
        "user_id": user_id,
        "approved": approved,
    }


async def test_reviews_by_course_with_approved_filter(tenant: Tenant, api: Checked) -> None:
    course = await builders.course(tenant.ctx)
    other = await builders.course(tenant.ctx)
    reviewer = await builders.user(tenant.ctx)
    created = await api(
        tenant, "POST", f"/course_reviews?course_id={course.id}", json=_review(reviewer.id, True)
    )
    assert created.status_code == 201
    review = created.json()
    assert (review["course_id"], review["user_id"], review["rating"], review["approved"]) == (
        course.id,
        reviewer.id,
        5,
        True,
    )
    await api(
        tenant,
        "POST",
        f"/course_reviews?course_id={course.id}",
        json=_review(reviewer.id, False, 3),
    )
    await api(
        tenant, "POST", f"/course_reviews?course_id={other.id}", json=_review(reviewer.id, True)
    )

    every = (await api(tenant, "GET", f"/course_reviews?course_id={course.id}")).json()
    assert [r["rating"] for r in every["items"]] == [5, 3]
    approved = (
        await api(tenant, "GET", f"/course_reviews?course_id={course.id}&approved=true")
    ).json()
    assert [r["id"] for r in approved["items"]] == [review["id"]]
    pending = (
        await api(tenant, "GET", f"/course_reviews?course_id={course.id}&approved=false")
    ).json()
    assert [r["rating"] for r in pending["items"]] == [3]
    assert (await api(tenant, "GET", f"/course_reviews/{review['id']}")).json() == review


async def test_review_validation_and_not_found(
    tenant: Tenant, other_tenant: Tenant, api: Checked
) -> None:
    course = await builders.course(tenant.ctx)
    reviewer = await builders.user(tenant.ctx)
    empty = await api(tenant, "POST", f"/course_reviews?course_id={course.id}", json={})
    assert empty.status_code == 422
    assert set(empty.json()["errors"]) == {"rating", "title", "review_text", "user_id", "approved"}
    out_of_range = await api(
        tenant,
        "POST",
        f"/course_reviews?course_id={course.id}",
        json=_review(reviewer.id, True, rating=6),
    )
    assert out_of_range.status_code == 422 and "rating" in out_of_range.json()["errors"]
    ghost = await api(
        tenant, "POST", f"/course_reviews?course_id={course.id}", json=_review(424242, True)
    )
    assert ghost.status_code == 422 and ghost.json() == {
        "errors": {"user_id": ["User could not be found."]}
    }
    their_course = await builders.course(other_tenant.ctx)
    foreign = await api(
        tenant,
        "POST",
        f"/course_reviews?course_id={their_course.id}",
        json=_review(reviewer.id, True),
    )
    assert foreign.status_code == 404 and foreign.json() == {"error": "Record not found."}
    assert (
        await api(tenant, "POST", "/course_reviews", json=_review(reviewer.id, True))
    ).status_code == 404

    their_reviewer = await builders.user(other_tenant.ctx)
    theirs = (
        await api(
            other_tenant,
            "POST",
            f"/course_reviews?course_id={their_course.id}",
            json=_review(their_reviewer.id, True),
        )
    ).json()
    assert (await api(tenant, "GET", f"/course_reviews/{theirs['id']}")).status_code == 404
    assert (await api(tenant, "GET", f"/course_reviews?course_id={their_course.id}")).json()[
        "items"
    ] == []
    assert (await api(tenant, "GET", "/course_reviews")).json()["items"] == []
