"""All tables. Every table except `sites` carries `site_id`: rows belong to one tenant."""

from coursegate.store.tables.base import metadata
from coursegate.store.tables import catalog, events, learning, people, platform  # noqa: F401
from coursegate.store.tables import idempotency  # noqa: F401

__all__ = ["metadata"]
