"""`coursegate serve`'s HTTP protocol: a response's status line, headers and body leave in one
write, large bodies still reach the socket as they come, a closing connection sends what it
holds first, and pipelined requests on a real server are answered whole and in order."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import orjson
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from coursegate.platform.http_protocol import FLUSH_BYTES, CoalescingHttpToolsProtocol
from tests.reliability_support import Server, seed_site

BODY = orjson.dumps({"id": 5, "email": "ada@example.com", "first_name": "Ada"})
CHUNK = b"x" * (FLUSH_BYTES // 2 + 1)
CHUNKS = 5


class RecordingTransport:
    """What the protocol did to its socket, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, bytes]] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        self.events.append(("write", bytes(data)))

    def close(self) -> None:
        self.events.append(("close", b""))
        self.closing = True

    def is_closing(self) -> bool:
        return self.closing

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 40000), "sockname": ("127.0.0.1", 8000)}.get(
            name, default
        )

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    @property
    def writes(self) -> list[bytes]:
        return [data for kind, data in self.events if kind == "write"]


async def small_json(scope: dict[str, Any], receive: Any, send: Any) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": BODY})


async def streamed(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    for _ in range(CHUNKS):
        await send({"type": "http.response.body", "body": CHUNK, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def _serve_one(
    protocol_class: type[HttpToolsProtocol], app: Any, request: bytes
) -> tuple[RecordingTransport, list[int]]:
    """Feed one request to a protocol on a recording transport; returns the transport and how
    many writes had reached it when each of the app's sends returned."""
    config = Config(app=app, lifespan="off", log_level="warning")
    config.load()
    transport = RecordingTransport()
    seen: list[int] = []

    async def watched(scope: dict[str, Any], receive: Any, send: Any) -> None:
        async def send_and_note(message: dict[str, Any]) -> None:
            await send(message)
            seen.append(len(transport.writes))

        await app(scope, receive, send_and_note)

    protocol = protocol_class(config=config, server_state=ServerState(), app_state={})
    protocol.app = watched
    protocol.connection_made(transport)  # type: ignore[arg-type]
    protocol.data_received(request)
    for _ in range(1000):  # until the response is out (a few loop steps)
        if protocol.cycle is not None and protocol.cycle.response_complete and not protocol.tasks:
            break
        await asyncio.sleep(0)
    await asyncio.sleep(0)  # the flush scheduled by the last write
    return transport, seen


GET = b"GET /users/5 HTTP/1.1\r\nHost: test\r\n\r\n"


async def test_status_headers_and_body_leave_in_one_write() -> None:
    stock, _ = await _serve_one(HttpToolsProtocol, small_json, GET)
    ours, _ = await _serve_one(CoalescingHttpToolsProtocol, small_json, GET)
    # uvicorn on its own writes twice per response; the reason this protocol exists.
    assert len(stock.writes) == 2
    assert len(ours.writes) == 1
    assert ours.writes[0] == b"".join(stock.writes)
    assert ours.writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert ours.writes[0].endswith(b"\r\n\r\n" + BODY)


async def test_large_bodies_reach_the_transport_while_the_app_is_still_sending() -> None:
    transport, seen = await _serve_one(CoalescingHttpToolsProtocol, streamed, GET)
    # Two half-threshold chunks make a write: the real transport sees data (and can pause
    # the app) long before the last send, not everything at the end of the step.
    assert seen[2] >= 1 and seen[2] < seen[-1]
    assert all(len(w) <= FLUSH_BYTES + len(CHUNK) + 64 for w in transport.writes)
    wire = b"".join(transport.writes)
    assert wire.count(CHUNK) == CHUNKS and wire.endswith(b"0\r\n\r\n")


async def test_a_closing_connection_sends_what_it_holds_first() -> None:
    request = b"GET /users/5 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
    transport, _ = await _serve_one(CoalescingHttpToolsProtocol, small_json, request)
    kinds = [kind for kind, _ in transport.events]
    assert kinds == ["write", "close"]
    assert transport.writes[0].endswith(BODY)


def _responses(raw: bytes) -> list[tuple[bytes, bytes]]:
    """Split HTTP/1.1 responses with Content-Length bodies: (status line, body) each."""
    out = []
    while raw:
        head, _, rest = raw.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in lines
            if line.lower().startswith(b"content-length:")
        )
        out.append((lines[0], rest[:length]))
        raw = rest[length:]
    return out


async def test_pipelined_requests_are_answered_whole_and_in_order(
    database_url: str, tmp_path: Path
) -> None:
    subdomain, key = await seed_site(database_url, "pipe")
    auth = f"X-Auth-API-Key: {key}\r\nX-Auth-Subdomain: {subdomain}\r\n"
    users = f"GET /api/public/v1/users HTTP/1.1\r\nHost: t\r\n{auth}\r\n".encode()
    missing = f"GET /api/public/v1/nowhere HTTP/1.1\r\nHost: t\r\n{auth}\r\n".encode()
    health = b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
    last = b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    with Server(database_url, tmp_path / "server.log") as server:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        with sock:
            sock.sendall(health + users + missing + last)  # one packet, four requests
            received = b""
            while chunk := sock.recv(65536):  # until the server closes after the last
                received += chunk
    answers = _responses(received)
    assert [status for status, _ in answers] == [
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 404 Not Found",
        b"HTTP/1.1 200 OK",
    ]
    listed = orjson.loads(answers[1][1])
    assert listed["meta"]["pagination"]["total_items"] == len(listed["items"]) == 1
    assert "error" in orjson.loads(answers[2][1])
