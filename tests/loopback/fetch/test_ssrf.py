"""The SSRF guard against real sockets: zero connections to non-public addresses.

A ``ConnectionCounter`` listens on every local address (v4 and v6) and counts
accepts. Each vector aims at it directly, through a redirect from an
allow-listed publisher, through DNS answers (rebinding included) or through
odd spellings of the host, and must end in a FetchError with the counter at
zero. A control test shows the same vectors do reach the counter when the
guard is switched off, so the zeros mean something.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpcore
import httpx
import pytest

from diemtin.fetch import Fetcher, FetchError, client, transport
from diemtin.fetch.guard import AllowList, is_public, parse_ip_literal
from diemtin.fetch.transport import GuardedBackend, plain_connector
from tests.loopback.fetch.conftest import fast_settings, local_resolver
from tests.support.publisher import ConnectionCounter, Publisher

pytestmark = pytest.mark.loopback

PUBLIC = "93.184.216.34"
ALLOWED = "publisher.test"  # the only allow-listed host; it resolves to 127.0.0.1


@dataclass(frozen=True)
class Vector:
    name: str
    url: str  # {p}: the counter's port
    via: str = "direct"  # or "redirect": served as a Location by the allowed publisher
    kind: str = "ssrf"


V = Vector
VECTORS = [
    V("loopback", "http://127.0.0.1:{p}/"),
    V("loopback-https", "https://127.0.0.1:{p}/"),
    V("loopback-other", "http://127.0.0.2:{p}/"),
    V("localhost", "http://localhost:{p}/"),
    V("localhost-upper-dot", "http://LOCALHOST.:{p}/"),
    V("sub-localhost", "http://news.localhost:{p}/"),
    V("v6-loopback", "http://[::1]:{p}/"),
    V("unspecified", "http://0.0.0.0:{p}/"),
    V("zero", "http://0:{p}/"),
    V("v6-unspecified", "http://[::]:{p}/"),
    V("decimal", "http://2130706433:{p}/"),
    V("hex", "http://0x7f000001:{p}/"),
    V("hex-short", "http://0x7f.1:{p}/"),
    V("short", "http://127.1:{p}/"),
    V("octal-whole", "http://017700000001:{p}/"),
    V("octal-dotted", "http://0177.0.0.1:{p}/", kind="invalid_url"),
    V("trailing-dot", "http://127.0.0.1.:{p}/"),
    V("v4-mapped", "http://[::ffff:127.0.0.1]:{p}/"),
    V("v4-mapped-hex", "http://[::ffff:7f00:1]:{p}/"),
    V("v4-compat", "http://[::127.0.0.1]:{p}/"),
    V("userinfo", "http://user:pw@127.0.0.1:{p}/"),
    V("userinfo-spoof", f"http://{ALLOWED}@127.0.0.1:{{p}}/"),
    V("percent", "http://%31%32%37.0.0.1:{p}/"),
    V("idna-dots", "http://127。0。0。1:{p}/"),
    V("zone-id", "http://[fe80::1%25lo]:{p}/"),
    V("dns-loopback", "http://loop.test:{p}/"),
    V("dns-mapped", "http://mapped.test:{p}/"),
    V("dns-zero", "http://zero.test:{p}/"),
    V("dns-v6-loopback", "http://six.test:{p}/"),
    V("dns-mixed", "http://mixed.test:{p}/"),
    V("dns-nat64", "http://nat64.test:{p}/"),
    V("dns-6to4", "http://sixtofour.test:{p}/"),
    V("dns-rebinding", "http://rebind.test:{p}/"),
    V("redirect-loopback", "http://127.0.0.1:{p}/", via="redirect"),
    V("redirect-localhost", "http://localhost:{p}/", via="redirect"),
    V("redirect-v6", "http://[::1]:{p}/", via="redirect"),
    V("redirect-decimal", "http://2130706433:{p}/", via="redirect"),
    V("redirect-unspecified", "http://0.0.0.0:{p}/", via="redirect"),
    V("redirect-scheme-relative", "//127.0.0.1:{p}/", via="redirect"),
    V("redirect-mapped", "http://[::ffff:127.0.0.1]:{p}/", via="redirect"),
    V("redirect-userinfo-spoof", f"http://{ALLOWED}@127.1:{{p}}/", via="redirect"),
    V("redirect-dns", "http://loop.test:{p}/", via="redirect"),
    V("redirect-rebinding", "http://rebind.test:{p}/", via="redirect"),
    V("redirect-gopher", "gopher://127.0.0.1:{p}/", via="redirect", kind="invalid_url"),
]


class RebindingResolver:
    """Known names; ``rebind.test`` answers a public address once, then loopback."""

    def __init__(self) -> None:
        self._base = local_resolver(
            {
                ALLOWED: ["127.0.0.1"],
                "loop.test": ["127.0.0.1"],
                "mapped.test": ["::ffff:127.0.0.1"],
                "zero.test": ["0.0.0.0"],
                "six.test": ["::1"],
                "mixed.test": ["127.0.0.1", PUBLIC],
                "nat64.test": ["64:ff9b::7f00:1"],
                "sixtofour.test": ["2002:7f00:1::1"],
            }
        )
        self.rebinds = 0

    def __call__(self, host: str, port: int) -> list[str]:
        if host == "rebind.test":
            self.rebinds += 1
            return [PUBLIC] if self.rebinds == 1 else ["127.0.0.1"]
        return self._base(host, port)


class OfflineConnector:
    """Connects for real to local addresses only; a public one is refused, not dialled."""

    def __init__(self) -> None:
        self.dialled: list[str] = []

    def __call__(self, ip: str, port: int, timeout: float | None) -> httpcore.NetworkStream:
        self.dialled.append(ip)
        address = parse_ip_literal(ip)
        if address is not None and is_public(address):
            raise httpcore.ConnectError(f"test machine is offline: {ip}")
        return plain_connector(ip, port, timeout)


@pytest.fixture(scope="module")
def shared_counter() -> Iterator[ConnectionCounter]:
    with ConnectionCounter() as c:
        yield c


@pytest.fixture
def counter(shared_counter: ConnectionCounter) -> ConnectionCounter:
    shared_counter.settled_count()
    shared_counter.reset()
    return shared_counter


@pytest.fixture(scope="module")
def publisher() -> Iterator[Publisher]:
    with Publisher() as pub:
        yield pub


@pytest.fixture
def guarded() -> Iterator[tuple[Fetcher, OfflineConnector, RebindingResolver]]:
    connector, resolver = OfflineConnector(), RebindingResolver()
    settings = fast_settings(
        fetch_allow_hosts=(ALLOWED,), fetch_timeout=1.5, fetch_retries=1, fetch_backoff=0.01
    )
    with Fetcher(settings, resolver=resolver, connector=connector) as fetcher:
        yield fetcher, connector, resolver


def aim(vector: Vector, port: int, publisher: Publisher) -> str:
    url = vector.url.format(p=port)
    if vector.via == "direct":
        return url
    publisher.redirect("/go", url)
    return publisher.url("/go", host=ALLOWED)


def permissive_check(url: str | httpx.URL, allow: AllowList) -> httpx.URL:
    """Stands in for ``check_url``: scheme only, so the connect-time check stands alone."""
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(str(exc), kind="invalid_url") from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchError("scheme", kind="invalid_url")
    return parsed


def test_enough_vectors() -> None:
    assert len(VECTORS) >= 30
    assert len({v.name for v in VECTORS}) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.name)
def test_no_connection_to_non_public_address(
    vector: Vector,
    counter: ConnectionCounter,
    publisher: Publisher,
    guarded: tuple[Fetcher, OfflineConnector, RebindingResolver],
) -> None:
    fetcher, connector, _ = guarded
    with pytest.raises(FetchError) as info:
        fetcher.get(aim(vector, counter.port, publisher))
    assert counter.settled_count() == 0, counter.accepted
    assert info.value.kind == vector.kind, str(info.value)
    assert all(ip in ("127.0.0.1", PUBLIC) for ip in connector.dialled), connector.dialled


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.name)
def test_connect_time_check_alone_stops_every_vector(
    vector: Vector,
    counter: ConnectionCounter,
    publisher: Publisher,
    guarded: tuple[Fetcher, OfflineConnector, RebindingResolver],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(client, "check_url", permissive_check)
    fetcher, _, _ = guarded
    with pytest.raises(FetchError):
        fetcher.get(aim(vector, counter.port, publisher))
    assert counter.settled_count() == 0, counter.accepted


def test_rebinding_connects_only_to_the_checked_address(
    counter: ConnectionCounter, guarded: tuple[Fetcher, OfflineConnector, RebindingResolver]
) -> None:
    fetcher, connector, resolver = guarded
    with pytest.raises(FetchError) as info:
        fetcher.get(f"http://rebind.test:{counter.port}/")
    assert resolver.rebinds >= 2  # the answer did change under us
    assert connector.dialled == [PUBLIC]  # ...and loopback was never dialled
    assert info.value.kind == "ssrf"
    assert counter.settled_count() == 0


CONTROL = ["loopback", "loopback-other", "localhost", "v6-loopback", "unspecified", "decimal"]
CONTROL += ["short", "v4-mapped", "dns-mapped", "dns-zero", "redirect-loopback", "dns-mixed"]


@pytest.mark.parametrize("name", CONTROL)
def test_control_vectors_connect_with_guard_off(
    name: str,
    counter: ConnectionCounter,
    publisher: Publisher,
    guarded: tuple[Fetcher, OfflineConnector, RebindingResolver],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(client, "check_url", permissive_check)
    monkeypatch.setattr(transport, "block_reason", lambda ip: None)
    fetcher, _, _ = guarded
    vector = next(v for v in VECTORS if v.name == name)
    with pytest.raises(FetchError):  # the counter hangs up without answering
        fetcher.get(aim(vector, counter.port, publisher))
    assert counter.settled_count() > 0


ODD_HOSTS = ["2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0", "127.0.0.1", "::1", "::"]
ODD_HOSTS += ["::ffff:127.0.0.1", "0.0.0.0", "localhost", "127.0.0.2", "017700000001"]


@pytest.mark.parametrize("host", ODD_HOSTS)
def test_backend_refuses_odd_hosts_with_system_resolution(
    host: str, counter: ConnectionCounter
) -> None:
    """connect_tcp as httpcore calls it, resolving numerically like getaddrinfo does."""
    backend = GuardedBackend(AllowList([ALLOWED]), local_resolver(), plain_connector)
    with pytest.raises(FetchError) as info:
        backend.connect_tcp(host, counter.port, timeout=1)
    assert info.value.kind == "ssrf"
    assert counter.settled_count() == 0


def test_allow_listed_host_does_connect(
    publisher: Publisher, guarded: tuple[Fetcher, OfflineConnector, RebindingResolver]
) -> None:
    publisher.route("/ok", "ok")
    fetcher, _, _ = guarded
    assert fetcher.get(publisher.url("/ok", host=ALLOWED)).body == b"ok"
