"""Process-wide configuration, read from COURSEGATE_* environment variables (or .env)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var") / "coursegate.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COURSEGATE_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite+aiosqlite:///./{DEFAULT_SQLITE_PATH.as_posix()}"
    redis_url: str | None = None
    redis_prefix: str = "coursegate"
    host: str = "127.0.0.1"
    port: int = 8000
    auto_migrate: bool = True
    rate_limits_enabled: bool = True
    max_body_bytes: int = 1_048_576
    max_json_depth: int = 32
    in_process_worker: bool = True
    public_base_url: str = "http://127.0.0.1:8000"
    log_level: str = "info"
    # Connections kept open per process. Under load every request in flight holds one for a
    # moment; fewer than the concurrent requests means connections are opened and closed per
    # request (a new PostgreSQL backend each time).
    db_pool_size: int = 32
    # Webhook targets on private networks (10/8, 192.168/16, fc00::/7, ...) are refused unless set.
    webhook_allow_private_targets: bool = False
    # FastAPI's OpenTelemetry spans, metrics and logs (needs an OpenTelemetry SDK configured).
    telemetry: bool = False
    # Routes solve their parameters from a plan made at start-up and are matched through an
    # index (platform/lean_routes.py, route_index.py); off, every request takes FastAPI's path.
    lean_routes: bool = True
    # How long a key lookup is reused (platform/auth_cache.py): the most another process's key
    # revocation or site change can take to be seen here. 0 looks the key up on every request.
    auth_cache_seconds: float = Field(default=1.0, ge=0)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
