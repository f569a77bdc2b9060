"""All tables. Every table except `sites` carries `site_id`: rows belong to one tenant."""

from coursegate.store.tables import (  # noqa: F401  # noqa: F401  # noqa: F401
    catalog,
    commerce,  # noqa: F401
    community,
    counters,  # noqa: F401
    events,
    idempotency,  # noqa: F401
    jobs,
    learning,
    lifecycle,  # noqa: F401
    offerings,
    people,
    platform,
    structure,
    webhooks,  # noqa: F401
)
from coursegate.store.tables.base import metadata

__all__ = ["metadata"]
from coursegate.store.tables import assessments, meetings, panorama, sso  # noqa: F401,E402
