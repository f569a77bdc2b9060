"""Property: no request body, however odd, makes a catalog or people write answer 5xx, and
whatever it answers is among the operation's documented statuses or the dialect's 400/422."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import builders
from tests.catalog_support import Checked
from tests.conftest import Tenant

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=40),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)
FIELDS = [
    "name",
    "description",
    "slug",
    "product_ids",
    "user_id",
    "user_ids",
    "group_ids",
    "group_names",
    "first_name",
    "last_name",
    "rating",
    "title",
    "review_text",
    "approved",
    "src",
    "content",
    "page_scopes",
    "location",
    "load_method",
    "category",
    "activated_at",
    "expiry_date",
    "response_text",
    "notify_requester",
]
bodies = st.dictionaries(st.sampled_from(FIELDS), values, max_size=6)


async def _targets(tenant: Tenant) -> list[tuple[str, str]]:
    course = await builders.course(tenant.ctx)
    bundle = await builders.bundle(tenant.ctx, [course.id])
    category = await builders.category(tenant.ctx)
    group = await builders.group(tenant.ctx)
    user = await builders.user(tenant.ctx, roles=["group_analyst"])
    assert course.product_id is not None
    request = await builders.publish_request(tenant.ctx, course.product_id, user.id)
    return [
        ("POST", "/collections"),
        ("PUT", f"/collections/{category.id}"),
        ("POST", f"/collection_memberships/{category.id}"),
        ("POST", f"/bundles/{bundle.id}/enrollments"),
        ("PUT", f"/bundles/{bundle.id}/enrollments"),
        ("POST", "/instructors"),
        ("POST", f"/course_reviews?course_id={course.id}"),
        ("POST", "/groups"),
        ("POST", "/group_users"),
        ("POST", f"/groups/{group.id}/analysts"),
        ("POST", f"/group_analysts/{user.id}/groups"),
        ("POST", "/site_scripts"),
        ("POST", f"/product_publish_requests/{request.id}/deny"),
    ]


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_odd_bodies_never_break_a_write(tenant: Tenant, api: Checked, data: Any) -> None:
    targets = getattr(tenant, "_fuzz_targets", None)
    if targets is None:
        targets = await _targets(tenant)
        tenant._fuzz_targets = targets  # type: ignore[attr-defined]
    method, path = data.draw(st.sampled_from(targets))
    body = data.draw(bodies)
    response = await tenant.tk(method, path, json=body)
    assert response.status_code < 500, (method, path, body, response.text)
    if response.status_code not in (400, 422):
        api.contract.check(method, path, response.status_code, response.content)
