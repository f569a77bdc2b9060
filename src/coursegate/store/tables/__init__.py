"""All tables. Every table except `sites` carries `site_id`: rows belong to one tenant."""

from coursegate.store.tables import (  # noqa: F401  # noqa: F401  # noqa: F401
    catalog,
    commerce,
    community,
    counters,
    events,
    idempotency,
    jobs,
    learning,
    lifecycle,
    offerings,
    people,
    platform,
    structure,
    webhooks,
)
from coursegate.store.tables.base import metadata

__all__ = ["metadata"]
from coursegate.store.tables import assessments, meetings, panorama, sso  # noqa: F401
