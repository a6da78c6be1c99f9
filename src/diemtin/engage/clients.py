"""Which client a request comes from, and its network, for rate limits and view marks.

X-Forwarded-For is read only when the peer is a configured proxy, and then from
the right: each hop added by a trusted proxy is skipped, and the first address
no trusted proxy vouches for is the client. A client rotating the header from an
untrusted address stays that address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ClientError(ValueError):
    """A malformed trusted-proxy setting: the operator has to fix it."""


def parse_proxies(values: Iterable[str]) -> tuple[Network, ...]:
    out = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ClientError(
                f"trusted_proxies: {value!r} is not an address or network (10.0.0.1, 10.0.0.0/8)"
            ) from exc
    return tuple(out)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:443
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(
    addr: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: tuple[Network, ...]
) -> bool:
    return any(addr.version == net.version and addr in net for net in proxies)


def client_address(
    peer: str | None, forwarded_for: str | None, proxies: tuple[Network, ...]
) -> str:
    """The client's address as text; "unknown" when even the peer is not an address."""
    addr = _address(peer or "")
    if addr is None:
        return "unknown"
    if not forwarded_for or not _trusted(addr, proxies):
        return str(addr)
    for hop in reversed(forwarded_for.split(",")[-20:]):
        hop_addr = _address(hop)
        if hop_addr is None:
            break  # garbage where an address should be: believe nothing further left
        addr = hop_addr
        if not _trusted(addr, proxies):
            break
    return str(addr)


def network_key(address: str) -> str:
    """The client's /24 (IPv4) or /64 (IPv6): one household, office or phone network."""
    addr = _address(address)
    if addr is None:
        return "unknown"
    prefix = 24 if addr.version == 4 else 64
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))
