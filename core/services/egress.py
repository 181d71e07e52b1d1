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

A host is read the way the resolver behind the HTTP client reads it, not only as dotted
quads: ``2130706433``, ``0x7f.1``, ``127.1`` and ``0177.0.0.1`` all connect to 127.0.0.1
(``inet_aton`` rules, which ``getaddrinfo`` applies to numeric hosts), full-width digits
and ideographic dots are mapped as IDNA maps them, and an IPv6 address is judged by the
IPv4 address it carries (mapped, compatible, 6to4, NAT64), since that is where it leads.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import unquote

import idna

_LOCAL_NAMES = ("localhost", "localhost.localdomain")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

#: IPv6 prefixes that carry an IPv4 address in their last 32 bits and lead to it: IPv4-
#: compatible (deprecated, ::/96) and the NAT64 prefixes (RFC 6052, RFC 8215).
_EMBEDDING = tuple(ipaddress.ip_network(n) for n in ("::/96", "64:ff9b::/96", "64:ff9b:1::/48"))


def _address(text: str) -> Address | None:
    """The address a literal IPv4/IPv6 text stands for (a zone index ignored), or None."""
    try:
        return ipaddress.ip_address(text.strip("[]").split("%")[0])
    except ValueError:
        return None


def _leads_to(address: Address) -> list[Address]:
    """The address and every IPv4 address it carries and leads to."""
    found: list[Address] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            found.append(address.ipv4_mapped)
        if address.sixtofour is not None:
            found.append(address.sixtofour)
        if address.teredo is not None:
            found.extend(address.teredo)
        if any(address in network for network in _EMBEDDING):
            found.append(ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF))
    return found


def is_public(address: Address) -> bool:
    """On the public internet, and not a way back inside (an embedded private IPv4, an
    IPv6 site-local address: deprecated, but still routed inside some networks)."""
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return False
    return all(a.is_global for a in _leads_to(address))


def canonical_host(host: str) -> str:
    """The host as a resolver will be asked for it: percent-escapes decoded, IDNA's mapping
    applied (full-width digits, ideographic full stops, case), no trailing dot."""
    name = unquote(host).strip("[]")
    try:
        name = idna.uts46_remap(name, std3_rules=False, transitional=False)
    except (idna.IDNAError, ValueError):
        name = name.lower()
    return name.rstrip(".")


def numeric_addresses(host: str) -> list[Address]:
    """The address a numeric host stands for, read as the system resolver reads it (every
    ``inet_aton`` spelling: ``2130706433``, ``0x7f.1``, ``127.1``, ``0177.0.0.1``, ``0``;
    ``getaddrinfo`` reads numeric IPv4 hosts by the same rules), without asking DNS. Empty
    for a name."""
    name = canonical_host(host)
    literal = _address(name)
    if literal is not None:
        return [literal]
    if not name or not name.isascii():
        return []
    try:
        return [ipaddress.IPv4Address(socket.inet_aton(name))]
    except (OSError, ValueError):
        return []


def refusal_for_host(host: str) -> str | None:
    """Why a URL with this host may not receive webhooks (without asking DNS), or None."""
    name = canonical_host(host)
    for address in numeric_addresses(host):
        if not is_public(address):
            return f"{host} is not a public internet address"
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
        if address is not None and not is_public(address):
            return f"{host} resolves to {address}, which is not a public internet address"
    return None
