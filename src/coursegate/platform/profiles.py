"""Vendor behaviour that varies by vendor or plan, as data. Sites may override any field
through their `profile` JSON, e.g. {"thoughtindustries": {"rate_limit": 600}}."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class VendorProfile:
    name: str
    rate_limit: int  # requests per window, per API key
    rate_window_seconds: int
    default_page_size: int
    max_page_size: int
    # "documented": envelopes as the vendor's reference pages show them; "observed": as
    # production clients read them (Thought Industries only; see docs/compat).
    envelope: str = "documented"
    webhook_retry_seconds: tuple[int, ...] = ()
    webhook_timeout_seconds: float = 30.0
    webhook_disable_after_failures: int = 0
    # Bulk endpoints: records per request, how many run inline before a background job
    # takes over, and records per job transaction (Thought Industries; docs/compat).
    bulk_max_records: int = 100
    bulk_max_enrollments: int = 1000
    bulk_inline_records: int = 25
    job_batch_size: int = 50


THINKIFIC = VendorProfile(
    name="thinkific",
    rate_limit=120,
    rate_window_seconds=60,
    default_page_size=25,
    max_page_size=250,
    # Thinkific publishes no schedule; this ladder is our choice (docs/compat/thinkific.md).
    webhook_retry_seconds=(60, 300, 1800, 7200, 86400),
    webhook_timeout_seconds=30.0,
    webhook_disable_after_failures=50,
)

THOUGHT_INDUSTRIES = VendorProfile(
    name="thoughtindustries",
    rate_limit=100,
    rate_window_seconds=60,
    default_page_size=25,
    max_page_size=100,
    webhook_retry_seconds=(60, 300, 1800, 7200, 86400),
    webhook_timeout_seconds=30.0,
    webhook_disable_after_failures=50,
)

# The sandbox simulation API (coursegate's own, not a vendor's): generous, since test suites
# drive it hard.
SANDBOX = VendorProfile(
    name="sandbox",
    rate_limit=600,
    rate_window_seconds=60,
    default_page_size=100,
    max_page_size=1000,
)


def for_site(base: VendorProfile, site_profile: dict[str, Any] | None) -> VendorProfile:
    overrides = (site_profile or {}).get(base.name) or {}
    allowed = {
        k: v
        for k, v in overrides.items()
        if k in VendorProfile.__dataclass_fields__ and k != "name"
    }
    if "webhook_retry_seconds" in allowed:
        allowed["webhook_retry_seconds"] = tuple(allowed["webhook_retry_seconds"])
    return replace(base, **allowed) if allowed else base
