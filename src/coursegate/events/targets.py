"""Where webhooks may be sent. https by default; plain http and loopback only for sandbox sites;
private, link-local and other non-public addresses only when the operator allows them.

The host is resolved at delivery time and *every* address is checked; the request then goes to
the checked address (SNI and Host keep the name), so DNS cannot swap in another target."""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Policy:
    sandbox: bool
    allow_private: bool


class TargetRefused(Exception):
    """The URL may not receive webhooks; the message says why."""


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _check_address(address: IPAddress, policy: Policy) -> None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        if not policy.sandbox:
            raise TargetRefused("loopback addresses are allowed only for sandbox sites")
        return
    public = address.is_global and not (address.is_multicast or address.is_reserved)
    if not public and not policy.allow_private:
        raise TargetRefused(f"address {address} is not public")


MAX_URL_LENGTH = 2048
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _hostname_ok(host: str) -> bool:
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    return len(ascii_host) <= 253 and all(_LABEL.match(label) for label in labels)


@functools.lru_cache(maxsize=4096)
def check_url(url: str, policy: Policy) -> tuple[str, str, int]:
    """Refuse what can be refused without DNS; returns (scheme, host, port). A pure function of
    its arguments, so answers are kept (refusals, raised, are not)."""
    text = url.strip()
    if len(text) > MAX_URL_LENGTH or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        raise TargetRefused("is not valid")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused("is not valid") from exc
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("https", "http") or not host or parts.username or parts.password:
        raise TargetRefused("is not valid")
    if scheme == "http" and not policy.sandbox:
        raise TargetRefused("must use https")
    literal = _literal(host)
    if literal is None and not _hostname_ok(host):
        raise TargetRefused("is not valid")
    if literal is not None:
        _check_address(literal, policy)
    elif (host == "localhost" or host.endswith(".localhost")) and not policy.sandbox:
        raise TargetRefused("loopback addresses are allowed only for sandbox sites")
    return scheme, host, port or (443 if scheme == "https" else 80)


async def resolve(url: str, policy: Policy) -> str:
    """The checked address to connect to (every resolved address must pass)."""
    _scheme, host, port = check_url(url, policy)
    literal = _literal(host)
    if literal is not None:
        return str(literal)
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"cannot resolve {host}") from exc
    addresses = sorted({str(info[4][0]) for info in infos})
    if not addresses:
        raise TargetRefused(f"cannot resolve {host}")
    for address in addresses:
        _check_address(ipaddress.ip_address(address.split("%", 1)[0]), policy)
    return addresses[0].split("%", 1)[0]


@functools.lru_cache(maxsize=4096)
def pinned_url(url: str, address: str) -> str:
    """The same URL with the host replaced by the checked address."""
    parts = urlsplit(url.strip())
    host = f"[{address}]" if ":" in address else address
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return parts._replace(netloc=netloc).geturl()
