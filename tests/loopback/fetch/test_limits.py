"""One deadline per request, and a body cap that holds after decompression."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from diemtin.fetch import Fetcher, FetchError
from tests.support.publisher import Publisher

pytestmark = pytest.mark.loopback

FetcherFactory = Callable[..., Fetcher]
SLACK = 0.5


@contextmanager
def takes_at_most(seconds: float) -> Iterator[None]:
    started = time.monotonic()
    yield
    took = time.monotonic() - started
    assert took <= seconds, f"took {took:.2f}s, more than {seconds}s"


def fails(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.get(url)
    return info.value


def test_dripping_body_times_out_within_deadline(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.drip("/slow", bytes_per_second=5)
    with takes_at_most(2 + SLACK):
        error = fails(fetcher, publisher.url("/slow"))
    assert error.kind == "timeout"
    assert publisher.hits["/slow"] == 1  # a spent budget leaves nothing to retry with


def test_dripping_headers_time_out_within_deadline(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.drip("/slow", bytes_per_second=4, head=True)
    with takes_at_most(2 + SLACK):
        error = fails(fetcher, publisher.url("/slow"))
    assert error.kind == "timeout"


def test_silent_server_times_out_within_deadline(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.hang("/never")
    with takes_at_most(2 + SLACK):
        error = fails(fetcher, publisher.url("/never"))
    assert error.kind == "timeout"


def test_deadline_covers_redirects_and_robots(
    publisher: Publisher, make_fetcher: FetcherFactory
) -> None:
    publisher.route("/robots.txt", "User-agent: *\nDisallow:\n", delay=0.6)
    publisher.route("/final", "ok", delay=0.6)
    publisher.redirect("/a", "/final")
    fetcher = make_fetcher(fetch_timeout=1.0)
    with takes_at_most(1 + SLACK):
        error = fails(fetcher, publisher.url("/a"))
    assert error.kind == "timeout"


def test_slow_but_steady_body_within_deadline_is_fine(
    publisher: Publisher, fetcher: Fetcher
) -> None:
    publisher.drip("/slowish", bytes_per_second=40, body=b"y" * 20)
    assert fetcher.get(publisher.url("/slowish")).body == b"y" * 20


def test_gzip_bomb_is_cut_off(publisher: Publisher, fetcher: Fetcher) -> None:
    packed = publisher.gzip_bomb("/bomb", 10_000_000)
    assert packed < 100_000  # small on the wire, under the cap...
    error = fails(fetcher, publisher.url("/bomb"))
    assert error.kind == "too_large"  # ...but 10 MB once inflated


def test_announced_length_over_cap_rejected_early(
    publisher: Publisher, make_fetcher: FetcherFactory
) -> None:
    publisher.route("/big", b"z" * 5000)
    error = fails(make_fetcher(fetch_max_bytes=4999), publisher.url("/big"))
    assert error.kind == "too_large"
    assert "announces" in str(error)


def test_body_at_cap_is_accepted(publisher: Publisher, make_fetcher: FetcherFactory) -> None:
    publisher.route("/big", b"z" * 5000)
    assert len(make_fetcher(fetch_max_bytes=5000).get(publisher.url("/big")).body) == 5000


def test_unannounced_body_over_cap_rejected(
    publisher: Publisher, make_fetcher: FetcherFactory
) -> None:
    publisher.drip("/stream", bytes_per_second=1000, body=b"q" * 300, announce=False)
    error = fails(make_fetcher(fetch_max_bytes=100), publisher.url("/stream"))
    assert error.kind == "too_large"
    assert "announces" not in str(error)
