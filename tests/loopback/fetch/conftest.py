"""Fetchers with small timeouts against loopback publishers; the guard stays on."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from diemtin.fetch import Fetcher
from diemtin.fetch.transport import Connector
from diemtin.settings import Settings
from tests.support.publisher import Publisher

FAST = {
    "fetch_timeout": 2.0,
    "fetch_connect_timeout": 1.0,
    "fetch_host_delay": 0.0,
    "fetch_backoff": 0.05,
    "fetch_retries": 2,
    "fetch_max_bytes": 100_000,
    "fetch_allow_hosts": ("127.0.0.1",),
    "user_agent": "diemtin-test/1.0 (+https://example.invalid)",
}


def fast_settings(**overrides: Any) -> Settings:
    return replace(Settings(), **{**FAST, **overrides})


def local_resolver(names: dict[str, list[str]] | None = None) -> Callable[[str, int], list[str]]:
    """Resolve ``names`` from the table and numeric hosts locally; never ask DNS."""
    table = {"localhost": ["127.0.0.1"], **(names or {})}

    def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return table[host]
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        return [str(i[4][0]) for i in infos]

    return resolve


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    with Publisher() as pub:
        yield pub


@pytest.fixture
def make_fetcher() -> Iterator[Callable[..., Fetcher]]:
    made: list[Fetcher] = []

    def make(
        resolver: Callable[[str, int], list[str]] | None = None,
        connector: Connector | None = None,
        clock: Callable[[], float] = time.monotonic,
        **overrides: Any,
    ) -> Fetcher:
        fetcher = Fetcher(
            fast_settings(**overrides),
            resolver=resolver or local_resolver(),
            connector=connector,
            clock=clock,
        )
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


@pytest.fixture
def fetcher(make_fetcher: Callable[..., Fetcher]) -> Fetcher:
    return make_fetcher()
