"""course search trigram indexes (PostgreSQL, when pg_trgm can be created)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 00:45:00
"""

from __future__ import annotations

from alembic import op

from coursegate.store import search_indexes

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_indexes.create(op.get_bind())


def downgrade() -> None:
    # The extension stays: other schemas in the database may use it.
    search_indexes.drop(op.get_bind())
