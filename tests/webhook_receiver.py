"""A tiny local HTTP receiver for webhook tests: asyncio streams, port 0, records every request
and answers with the status a test chooses."""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def independent_hmac_hex(key: str, body: bytes) -> str:
    """HMAC-SHA256 written out from the RFC 2104 definition (not via hmac.new), so the test
    checks the server's signature with a separate implementation."""
    block = 64
    raw = key.encode()
    if len(raw) > block:
        raw = hashlib.sha256(raw).digest()
    raw = raw.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in raw) + body).digest()
    return hashlib.sha256(bytes(b ^ 0x5C for b in raw) + inner).hexdigest()


@dataclass
class Receiver:
    status: Callable[[Received], int] = lambda _r: 200
    requests: list[Received] = field(default_factory=list)
    server: asyncio.AbstractServer | None = None
    port: int = 0
    delay: float = 0.0
    reply: bytes = b'{"ok": true}'
    reply_headers: bytes = b""  # raw header lines, each ending in CRLF
    tls: ssl.SSLContext | None = None  # serve https with this server context

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}/hook"

    async def start(self) -> Receiver:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=self.tls)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                method, path, _ = line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = header.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                received = Received(method, path, headers, body)
                self.requests.append(received)
                status = self.status(received)
                if self.delay:
                    await asyncio.sleep(self.delay)
                # HTTP/1.1 framing: a 204 or 304 ends with its headers (RFC 9110 15.3.5).
                reply = b"" if status in (204, 304) else self.reply
                writer.write(
                    f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n"
                    f"content-length: {len(reply)}\r\n".encode()
                    + self.reply_headers
                    + b"\r\n"
                    + reply
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError, ssl.SSLError):
            return
        finally:
            writer.close()
