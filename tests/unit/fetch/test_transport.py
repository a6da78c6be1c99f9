"""The connect-time guard with injected resolver and connector: no sockets at all."""

from __future__ import annotations

import httpcore
import pytest

from diemtin.fetch.errors import FetchError
from diemtin.fetch.guard import AllowList
from diemtin.fetch.transport import GuardedBackend

PUBLIC = "93.184.216.34"


class Recorder:
    """A connector that records what it was asked to connect to and never connects."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def __call__(self, ip: str, port: int, timeout: float | None) -> httpcore.NetworkStream:
        self.calls.append((ip, port))
        raise httpcore.ConnectError("refused (test)")


def backend(answers: dict[str, list[list[str]]], allow: tuple[str, ...] = ()) -> GuardedBackend:
    """A backend whose resolver gives each host's answers in turn, one per call."""
    calls: dict[str, int] = {}

    def resolver(host: str, port: int) -> list[str]:
        n = calls.get(host, 0)
        calls[host] = n + 1
        seq = answers[host]
        return seq[min(n, len(seq) - 1)]

    return GuardedBackend(AllowList(allow), resolver, Recorder())


def connector_of(b: GuardedBackend) -> Recorder:
    connector = b._connector
    assert isinstance(connector, Recorder)
    return connector


@pytest.mark.parametrize(
    "answer",
    [
        ["127.0.0.1"],
        ["10.0.0.5"],
        ["::1"],
        ["::ffff:127.0.0.1"],
        ["169.254.169.254"],
        [PUBLIC, "127.0.0.1"],  # one bad address spoils the answer
        ["fe80::1%eth0"],
        ["not-an-ip"],
        [],
    ],
)
def test_private_answer_refused_before_connecting(answer: list[str]) -> None:
    b = backend({"news.example": [answer]})
    with pytest.raises(FetchError) as info:
        b.connect_tcp("news.example", 80, timeout=1)
    assert info.value.kind == "ssrf"
    assert connector_of(b).calls == []


def test_connects_to_the_checked_address_not_the_name() -> None:
    b = backend({"news.example": [[PUBLIC, "2606:4700::1111"]]})
    with pytest.raises(httpcore.ConnectError):
        b.connect_tcp("news.example", 443, timeout=1)
    assert connector_of(b).calls == [(PUBLIC, 443), ("2606:4700::1111", 443)]


def test_rebinding_never_reaches_loopback() -> None:
    b = backend({"rebind.example": [[PUBLIC], ["127.0.0.1"]]})
    with pytest.raises(httpcore.ConnectError):
        b.connect_tcp("rebind.example", 80, timeout=1)
    with pytest.raises(FetchError) as info:
        b.connect_tcp("rebind.example", 80, timeout=1)
    assert info.value.kind == "ssrf"
    assert connector_of(b).calls == [(PUBLIC, 80)]


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "10.1.1.1", "::ffff:10.0.0.1", "0.0.0.0"])
def test_ip_literal_hosts_checked_without_resolving(host: str) -> None:
    b = backend({})  # any resolver call would raise KeyError
    with pytest.raises(FetchError) as info:
        b.connect_tcp(host, 80, timeout=1)
    assert info.value.kind == "ssrf"


def test_allow_list_is_by_host_name_not_by_resolved_address() -> None:
    b = backend({"localhost": [["127.0.0.1"]], "sneaky.example": [["127.0.0.1"]]}, ("localhost",))
    with pytest.raises(httpcore.ConnectError):  # allowed: the recorder is reached
        b.connect_tcp("localhost", 80, timeout=1)
    with pytest.raises(FetchError):
        b.connect_tcp("sneaky.example", 80, timeout=1)
    assert connector_of(b).calls == [("127.0.0.1", 80)]


def test_resolver_failure_is_a_connect_error() -> None:
    def broken(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    b = GuardedBackend(AllowList(), broken, Recorder())
    with pytest.raises(httpcore.ConnectError, match="cannot resolve"):
        b.connect_tcp("gone.example", 80, timeout=1)


def test_a_hung_resolver_is_abandoned_at_the_deadline() -> None:
    import threading
    import time

    release = threading.Event()

    def resolver(host: str, port: int) -> list[str]:
        if host == "slow.example":
            release.wait(10)  # a name server that does not answer
        return [PUBLIC]

    b = GuardedBackend(AllowList(()), resolver, Recorder())
    started = time.monotonic()
    try:
        with pytest.raises(httpcore.ConnectTimeout, match="outlasted"):
            b.connect_tcp("slow.example", 443, timeout=0.2)
        assert time.monotonic() - started < 2.0
        # other hosts are resolved while the hung lookup still waits
        with pytest.raises(httpcore.ConnectError, match="refused"):
            b.connect_tcp("fast.example", 443, timeout=1.0)
        assert connector_of(b).calls == [(PUBLIC, 443)]
    finally:
        release.set()


def test_no_time_left_means_no_lookup() -> None:
    asked: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return [PUBLIC]

    b = GuardedBackend(AllowList(()), resolver, Recorder())
    with pytest.raises(httpcore.ConnectTimeout):
        b.connect_tcp("news.example", 443, timeout=0.0)
    assert asked == []
