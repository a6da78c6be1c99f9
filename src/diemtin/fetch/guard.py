"""SSRF guard, pure part: which addresses are public, and what a URL's host really is.

Two checks use this module. ``check_url`` runs before a request (and on every
redirect hop) to reject bad URLs early with a clear message; the transport
(``diemtin.fetch.transport``) re-checks every resolved address at connect
time, which is the check that actually matters against DNS tricks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from urllib.parse import unquote

import httpx

from diemtin.fetch.errors import FetchError

IPAddress = IPv4Address | IPv6Address

_V4_BLOCKS: tuple[tuple[IPv4Network, str], ...] = tuple(
    (IPv4Network(net), why)
    for net, why in (
        ("0.0.0.0/8", "'this network' / unspecified"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "carrier-grade NAT"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignments"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4 relay anycast"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("255.255.255.255/32", "broadcast"),
    )
)

_V6_BLOCKS: tuple[tuple[IPv6Network, str], ...] = tuple(
    (IPv6Network(net), why)
    for net, why in (
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("::ffff:0:0/96", "IPv4-mapped"),
        ("::/96", "IPv4-compatible"),
        ("::ffff:0:0:0/96", "IPv4-translated"),
        ("64:ff9b:1::/48", "local-use NAT64"),
        ("100::/64", "discard-only"),
        ("2001::/23", "IETF protocol assignments (Teredo, benchmarking...)"),
        ("2001:db8::/32", "documentation"),
        ("3fff::/20", "documentation"),
        ("5f00::/16", "segment routing"),
        ("fc00::/7", "unique-local"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    )
)

_NAT64 = IPv6Network("64:ff9b::/96")
_SIX_TO_FOUR = IPv6Network("2002::/16")
_GLOBAL_UNICAST = IPv6Network("2000::/3")


def block_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be connected to, or None if it is a public address."""
    if isinstance(ip, IPv4Address):
        return _v4_reason(ip)
    if ip.scope_id:
        return "scoped IPv6 address"
    embedded = _embedded_v4(ip)
    if embedded is not None:
        reason = _v4_reason(embedded)
        if reason is not None:
            return f"embeds {embedded} ({reason})"
        if ip in _NAT64:  # the well-known NAT64 prefix is how v6-only hosts reach v4
            return None
    for net, why in _V6_BLOCKS:
        if ip in net:
            return why
    if ip not in _GLOBAL_UNICAST or not ip.is_global:
        return "not global unicast"
    return None


def is_public(ip: IPAddress) -> bool:
    return block_reason(ip) is None


def _v4_reason(ip: IPv4Address) -> str | None:
    for net, why in _V4_BLOCKS:
        if ip in net:
            return why
    if not ip.is_global or ip.is_multicast:  # whatever this Python's tables add
        return "not globally routable"
    return None


def _embedded_v4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, Teredo)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _SIX_TO_FOUR:
        return ip.sixtofour
    if ip.teredo is not None:
        server, client = ip.teredo
        return client if _v4_reason(client) else server
    return None


# --- hosts -----------------------------------------------------------------

_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
_HOSTNAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$")


def parse_loose_ipv4(host: str) -> IPv4Address | None:
    """The IPv4 address ``host`` denotes in inet_aton / WHATWG style, else None.

    Accepts what resolvers and browsers accept: decimal (2130706433), octal
    (0177.0.0.1), hex (0x7f.1) and short forms (127.1).
    """
    parts = host.split(".")
    if parts and parts[-1] == "":
        parts.pop()
    if not 1 <= len(parts) <= 4:
        return None
    numbers = [_parse_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    *head, last = values
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(values)):
        return None
    total = last
    for i, n in enumerate(head):
        total += n << (8 * (3 - i))
    return IPv4Address(total)


def _parse_ipv4_number(part: str) -> int | None:
    if not part:
        return None
    base = 10
    if part[:2] in ("0x", "0X"):
        part, base = part[2:] or "0", 16
    elif len(part) > 1 and part[0] == "0":
        part, base = part[1:], 8
    try:
        return int(part, base)
    except ValueError:
        return None


def parse_ip_literal(host: str) -> IPAddress | None:
    """``host`` as a strict IP literal (brackets allowed), else None."""
    text = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return ip_address(text)
    except ValueError:
        return None


def normalize_host(host: str) -> str:
    """Lower case, one trailing dot dropped, canonical text for IP literals."""
    name = host.strip().lower()
    if name.endswith(".") and not name.endswith(".."):
        name = name[:-1]
    ip = parse_ip_literal(name)
    return str(ip) if ip is not None else name


class AllowList:
    """Hosts (names or IP literals) the guard lets through even if non-public.

    Matching is on the URL's host, never on what a name resolves to: allowing
    ``127.0.0.1`` does not allow a name that resolves to it.
    """

    def __init__(self, hosts: Iterable[str] = ()) -> None:
        self._hosts = frozenset(_canonical_entry(h) for h in hosts if h.strip())

    def __contains__(self, host: object) -> bool:
        return isinstance(host, str) and normalize_host(host) in self._hosts

    def __bool__(self) -> bool:
        return bool(self._hosts)


def _canonical_entry(host: str) -> str:
    name = normalize_host(host)
    if name.isascii():
        return name
    try:
        return normalize_host(httpx.URL(f"http://{name}/").raw_host.decode("ascii"))
    except (httpx.InvalidURL, UnicodeDecodeError):
        return name


def check_host(host: str, allow: AllowList) -> None:
    """Refuse a URL host that is, or obviously denotes, a non-public address.

    Raises FetchError ``ssrf`` or ``invalid_url``. Names pass: they are
    checked again after resolution, at connect time.
    """
    if host in allow:
        return
    if "%" in host:
        _refuse_percent(host)
    name = normalize_host(host)
    if not name or ".." in name:
        raise _invalid(f"empty label in host {host!r}")
    ip = parse_ip_literal(name)
    if ip is not None:
        _refuse_address(host, ip)
        return
    if _NUMERIC_LABEL.match(name.rsplit(".", 1)[-1]):
        _refuse_numeric(host, name)
    if name == "localhost" or name.endswith(".localhost"):
        raise _ssrf(f"host {host!r} is loopback by definition")
    if not _HOSTNAME.match(name):
        raise _invalid(f"host {host!r} is not a valid host name")


def _refuse_percent(host: str) -> None:
    decoded = unquote(host)
    if ":" in decoded:
        raise _ssrf(f"IPv6 zone id in host {host!r}")
    if decoded != host:
        ip = parse_ip_literal(decoded) or parse_loose_ipv4(normalize_host(decoded))
        if ip is not None and block_reason(ip):
            raise _ssrf(f"percent-encoded host {host!r} is {ip} ({block_reason(ip)})")
    raise _invalid(f"percent-encoded host {host!r}")


def _refuse_address(host: str, ip: IPAddress) -> None:
    reason = block_reason(ip)
    if reason is not None:
        raise _ssrf(f"host {host!r} is a non-public address ({reason})")


def _refuse_numeric(host: str, name: str) -> None:
    # A host whose last label is a number is an IPv4 address for resolvers and
    # browsers alike; only the canonical dotted quad is accepted.
    ip = parse_loose_ipv4(name)
    if ip is None:
        raise _invalid(f"host {host!r} is not a valid IPv4 address")
    reason = block_reason(ip)
    if reason is not None:
        raise _ssrf(f"host {host!r} encodes {ip} ({reason})")
    raise _invalid(f"host {host!r} is a non-canonical spelling of {ip}")


def check_url(url: str | httpx.URL, allow: AllowList) -> httpx.URL:
    """Parse and vet ``url``: http(s) only, a host that may be fetched, no userinfo.

    Returns the URL to request (credentials stripped so none are ever sent).
    """
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise _invalid(f"cannot parse URL {url!r}: {exc}") from exc
    if parsed.scheme not in ("http", "https"):
        raise _invalid(f"scheme {parsed.scheme!r} not allowed in {url!s}")
    host = parsed.raw_host.decode("ascii", "replace")  # IDNA already applied
    if not host:
        raise _invalid(f"no host in URL {url!s}")
    try:
        check_host(host, allow)
    except FetchError as exc:
        exc.url = str(url)
        raise
    return parsed.copy_with(userinfo=b"") if parsed.userinfo else parsed


def _ssrf(message: str) -> FetchError:
    return FetchError(message, kind="ssrf")


def _invalid(message: str) -> FetchError:
    return FetchError(message, kind="invalid_url")
