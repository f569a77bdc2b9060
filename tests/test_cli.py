"""The CLI contract: scriptable commands, the key alone on stdout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from coursegate.platform.app import create_app
from coursegate.platform.settings import Settings

SRC = str(Path(__file__).resolve().parents[1] / "src")


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "COURSEGATE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "PYTHONPATH": SRC,
    }
    return subprocess.run(
        [sys.executable, "-m", "coursegate", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


async def test_sites_keys_seed_round_trip(tmp_path: Path) -> None:
    assert cli(tmp_path, "migrate").returncode == 0
    created = cli(tmp_path, "sites", "create", "acme", "--sandbox")
    assert created.returncode == 0 and "acme" in created.stdout
    assert cli(tmp_path, "sites", "create", "acme").returncode == 1
    assert cli(tmp_path, "sites", "create", "Bad_Name").returncode == 1
    made = cli(tmp_path, "keys", "create", "--site", "acme")
    assert made.returncode == 0
    key = made.stdout.strip()
    assert made.stdout == key + "\n" and key.startswith("cg_test_")
    seeded = cli(tmp_path, "seed", "--site", "acme", "--demo")
    assert seeded.returncode == 0, seeded.stderr

    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", auto_migrate=False
    )
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        courses = await client.get(
            "/api/public/v1/courses", headers={"X-Auth-API-Key": key, "X-Auth-Subdomain": "acme"}
        )
        assert (
            courses.status_code == 200 and courses.json()["meta"]["pagination"]["total_items"] == 4
        )
        listed = cli(tmp_path, "keys", "list", "--site", "acme")
        key_id = key.split("_")[2]
        assert key_id in listed.stdout and key.split("_")[3] not in listed.stdout
        assert cli(tmp_path, "keys", "revoke", key_id, "--site", "acme").returncode == 0
        refused = await client.get("/incoming/v2/ping", headers={"Authorization": f"Bearer {key}"})
        assert refused.status_code == 401
    await app.state.services.db.dispose()
