"""uvicorn's httptools protocol, with a response's writes joined into one `send`.

uvicorn writes the status line and headers when the app sends `http.response.start` and the
body when it sends `http.response.body`: two writes, and with TCP_NODELAY two `send` system
calls and two segments, each waking the client. For a small JSON answer the first of them was
a fifth of the server's CPU. Here the protocol's transport is wrapped so that writes made in
one step of the event loop are kept and written together at the end of it (`call_soon`): the
headers and body of a response, or several pipelined responses, leave in one `send`.

Back-pressure is kept: once what is held reaches `FLUSH_BYTES` it is written at once, so the
real transport sees large bodies as they come and pauses the app as it always did."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

FLUSH_BYTES = 64 * 1024


class CoalescingTransport:
    """A transport that holds writes until the end of the current loop step."""

    __slots__ = ("_held", "_held_bytes", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._held_bytes = 0

    def write(self, data: bytes) -> None:
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(data)
        self._held_bytes += len(data)
        if self._held_bytes >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        held = self._held
        if not held:
            return
        self._held = []
        self._held_bytes = 0
        if not self._transport.is_closing():  # the peer is gone: nothing to send it
            self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def close(self) -> None:
        self.flush()  # a closing transport still sends what it was given
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    """`coursegate serve`'s HTTP/1.1 protocol (uvicorn's `http=` option)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        wrapped: Any = CoalescingTransport(transport, self.loop)
        super().connection_made(wrapped)
