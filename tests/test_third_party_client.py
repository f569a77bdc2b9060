"""An independent, third-party Thinkific client (the `thinkific` package on PyPI), used
unchanged against a running coursegate server: only its base URL, an API key and the subdomain
are configured."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import thinkific
import thinkific.client

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    env = {
        **os.environ,
        "COURSEGATE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'client.db'}",
        "COURSEGATE_IN_PROCESS_WORKER": "false",
        "PYTHONPATH": SRC,
    }

    def cli(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "coursegate", *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
        return done.stdout.strip()

    cli("migrate")
    cli("sites", "create", "academy", "--no-rate-limits")
    key = cli("keys", "create", "--site", "academy")
    cli("seed", "--site", "academy", "--demo")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "coursegate", "serve", "--port", str(port)],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base, key
    finally:
        process.terminate()
        process.wait(timeout=20)


def _scenario(base: str, key: str) -> dict[str, Any]:
    """What an integrator's code does with the client, pointed at coursegate."""
    thinkific.client.BASE_URL = f"{base}/api"  # the only setting: where the API lives
    api = thinkific.Thinkific(key, "academy")
    seen: dict[str, Any] = {}
    courses = api.courses.list(limit=2)
    seen["course_page"] = courses
    course_id = courses["items"][0]["id"]
    seen["chapters"] = api.courses.retrieve_chapters(course_id)
    seen["course"] = api.courses.retrieve_course(course_id)
    user = api.users.create_user(
        {"first_name": "Ana", "last_name": "Lima", "email": "ana@example.com"}
    )
    api.users.update_user(user["id"], {"headline": "Engineer"})
    seen["user"] = api.users.retrieve_user(user["id"])
    seen["found"] = api.users.list(email="ana@example.com")
    enrollment = api.enrollments.create_enrollment(
        {"user_id": user["id"], "course_id": course_id, "activated_at": "2026-01-01T00:00:00Z"}
    )
    seen["enrollment"] = api.enrollments.retrieve_enrollment(enrollment["id"])
    seen["enrollments"] = api.enrollments.list(user_id=user["id"], full=True)
    seen["products"] = api.products.list()
    hook = api.webhooks.create_webhook(
        {"topic": "enrollment.created", "target_url": "https://hooks.example.com/thinkific"}
    )
    seen["hooks"] = api.webhooks.list()
    api.webhooks.delete_webhook(hook["id"])
    seen["hooks_after"] = api.webhooks.list()
    try:
        api.users.retrieve_user(999999)
    except Exception as exc:  # the client raises Exception(status) on errors
        seen["missing"] = exc.args[0]
    return seen


async def test_the_pypi_thinkific_client_works_unchanged(server: tuple[str, str]) -> None:
    base, key = server
    seen = await asyncio.to_thread(_scenario, base, key)
    assert len(seen["course_page"]["items"]) == 2
    assert seen["course_page"]["meta"]["pagination"]["total_items"] == 4
    assert seen["course"]["id"] == seen["course_page"]["items"][0]["id"]
    assert seen["chapters"]["items"] and seen["chapters"]["items"][0]["content_ids"]
    assert seen["user"]["headline"] == "Engineer" and seen["user"]["full_name"] == "Ana Lima"
    assert [u["email"] for u in seen["found"]["items"]] == ["ana@example.com"]
    assert seen["enrollment"]["user_email"] == "ana@example.com"
    assert seen["enrollment"]["is_free_trial"] is False
    assert [e["id"] for e in seen["enrollments"]["items"]] == [seen["enrollment"]["id"]]
    assert seen["products"]["meta"]["pagination"]["total_items"] >= 4
    assert [h["topic"] for h in seen["hooks"]["items"]] == ["enrollment.created"]
    assert seen["hooks_after"]["items"] == []
    assert seen["missing"] == 404
