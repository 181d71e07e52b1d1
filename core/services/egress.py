"""Where webhook deliveries may go: receivers on the public internet only.

A webhook URL is chosen by a partnership's administrator, and the worker then makes HTTP
requests to it from inside the deployment. Left open, that is a way to reach what only the
deployment can reach: a cloud metadata service (169.254.169.254), the database's host, an
admin port on localhost. So a URL whose host is, or resolves to, a loopback, private,
link-local, multicast or reserved address is refused — when it is registered (literal
addresses and ``localhost`` names) and again just before each delivery (the name's current
DNS answers: a name may be pointed elsewhere after registration).

``PARTNERSHIPS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true`` lifts this, for development and tests
with a receiver on the same machine. Redirects are never followed (core.services.webhooks),
so a public receiver cannot bounce a delivery inward. What remains — a name whose DNS answer
changes between this check and the connection — is why production deployments should still
filter the worker's egress (docs/integrations.md).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

_LOCAL_NAMES = ("localhost", "localhost.localdomain")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip("[]").split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def refusal_for_host(host: str) -> str | None:
    """Why a URL with this host may not receive webhooks (without asking DNS), or None."""
    name = host.lower().rstrip(".")
    address = _address(name)
    if address is not None:
        return None if address.is_global else f"{host} is not a public internet address"
    if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
        return f"{host} names this machine or a local network"
    return None


async def refusal_for_resolved(host: str, port: int) -> str | None:
    """Why a delivery to ``host`` must not be made now: it resolves to a non-public address.
    A name that does not resolve is left to the HTTP client, which reports it as it fails."""
    reason = refusal_for_host(host)
    if reason is not None:
        return reason
    try:
        answers = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return None
    for *_, sockaddr in answers:
        address = _address(str(sockaddr[0]))
        if address is not None and not address.is_global:
            return f"{host} resolves to {address}, which is not a public internet address"
    return None
