"""Timestamps on the wire: milliseconds, UTC, "Z", whatever the stored microseconds are.

`iso_ms` cuts orjson's RFC 3339 text down (docs/performance.md); these check it against the
`isoformat` rendering it replaced, through both dialects and over the whole datetime range.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from coursegate.platform.wiretime import iso_ms
from tests.conftest import Tenant


def reference(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


@given(
    st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-7))]
        ),
    ),
    st.booleans(),
)
def test_iso_ms_matches_isoformat(value: datetime, whole_second: bool) -> None:
    if whole_second:
        value = value.replace(microsecond=0)
    assert iso_ms(value) == reference(value)
    assert iso_ms(None) is None


async def test_both_dialects_render_stored_instants(tenant: Tenant, clock: Any) -> None:
    for pinned, shown in (
        (datetime(2031, 2, 3, 4, 5, 6, 789654, tzinfo=UTC), "2031-02-03T04:05:06.789Z"),
        (datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC), "2031-02-03T04:05:06.000Z"),
        (datetime(2031, 2, 3, 4, 5, 6, 999, tzinfo=UTC), "2031-02-03T04:05:06.000Z"),
    ):
        clock.pinned = pinned
        email = f"t{pinned.microsecond}@example.com"
        made = await tenant.tk(
            "POST", "/users", json={"first_name": "T", "last_name": "Z", "email": email}
        )
        assert made.status_code == 201, made.text
        assert made.json()["created_at"] == shown
        listed = await tenant.tk("GET", "/users", params={"query[email]": email})
        assert listed.json()["items"][0]["created_at"] == shown
        course = await tenant.ti(
            "POST", "/courses", json={"title": f"At {pinned.microsecond}", "courseType": "course"}
        )
        assert course.status_code == 201, course.text
        assert course.json()["createdAt"] == shown
