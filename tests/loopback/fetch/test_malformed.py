"""Broken servers: whatever they send, get() raises FetchError and nothing else."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from diemtin.fetch import Fetcher, FetchError
from tests.support.publisher import ConnectionCounter

pytestmark = pytest.mark.loopback

FetcherFactory = Callable[..., Fetcher]


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (b"", "connect"),  # hangs up at once
        (b"garbage garbage\r\n\r\n", "connect"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", "connect"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n", "connect"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 9\r\n\r\nnot gzip!",
            "decode",
        ),
        (b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 1\r\n\r\nx", "decode"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "connect"),
        (b"HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\n\r\n", "http_status"),
        (
            b"HTTP/1.1 302 Found\r\nLocation: http://[bad\r\nContent-Length: 0\r\n\r\n",
            "invalid_url",
        ),
    ],
)
def test_broken_responses_are_fetch_errors(
    make_fetcher: FetcherFactory, reply: bytes, kind: str
) -> None:
    fetcher = make_fetcher(respect_robots=False, fetch_retries=1)
    with ConnectionCounter(reply=reply) as server, pytest.raises(FetchError) as info:
        fetcher.get(f"http://127.0.0.1:{server.port}/page")
    assert info.value.kind == kind, str(info.value)
    assert str(info.value)
