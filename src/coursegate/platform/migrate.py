"""Apply Alembic migrations programmatically (used by `coursegate migrate` and `serve`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from coursegate.store.database import ensure_sqlite_directory

MIGRATIONS = Path(__file__).resolve().parent.parent / "store" / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(url: str, revision: str = "head") -> None:
    ensure_sqlite_directory(url)
    command.upgrade(alembic_config(url), revision)


async def upgrade_async(url: str) -> None:
    """Alembic drives its own event loop; give it a thread of its own."""
    await asyncio.to_thread(upgrade, url)
