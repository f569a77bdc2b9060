"""The Panorama part of POST /users (studentLicenseIds, managerLicenseSkus, ...): parsed from
the same JSON body, applied inside the user's own transaction. Kept apart from users.py so
that file only gains a call."""

from __future__ import annotations

from fastapi import Request
from pydantic import ValidationError

from coursegate.dialects.thoughtindustries.schemas_ops import UserLicenseGrants
from coursegate.domain import panorama
from coursegate.domain.errors import Invalid, Problem


async def grants_of(request: Request) -> panorama.LicenseGrants | None:
    """The license fields of the request body, or None when it has none."""
    try:
        raw = await request.json()
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None
    try:
        body = UserLicenseGrants.model_validate(raw)
    except ValidationError as exc:
        names = [str(e["loc"][0]) for e in exc.errors() if e.get("loc")]
        raise Invalid(
            *(Problem(n, "type", {"expected": "an array of strings"}) for n in names)
        ) from None
    grants = panorama.LicenseGrants(
        ids={"student": body.studentLicenseIds or [], "manager": body.managerLicenseIds or []},
        skus={"student": body.studentLicenseSkus or [], "manager": body.managerLicenseSkus or []},
        replace=body.replaceLicenseAccess,
    )
    return None if grants.empty else grants
