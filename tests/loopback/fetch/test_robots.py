"""robots.txt: obeyed, cached, and failures handled as RFC 9309 says."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pytest

from diemtin.fetch import Fetcher, FetchError
from tests.support.publisher import Publisher

pytestmark = pytest.mark.loopback

FetcherFactory = Callable[..., Fetcher]

RULES = """\
User-agent: *
Disallow: /private/

User-agent: diemtin-test
Disallow: /no-diemtin/
Allow: /no-diemtin/but-this
"""


def kind_of(fetcher: Fetcher, url: str) -> str:
    with pytest.raises(FetchError) as info:
        fetcher.get(url)
    return info.value.kind


def test_disallowed_path_is_refused_without_request(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.robots(RULES)
    publisher.route("/no-diemtin/page", "x")
    publisher.route("/no-diemtin/but-this", "ok")
    publisher.route("/private/page", "x")
    publisher.route("/news", "ok")
    assert kind_of(fetcher, publisher.url("/no-diemtin/page")) == "robots"
    # our own group applies, not the '*' one
    assert fetcher.get(publisher.url("/private/page")).body == b"x"
    assert fetcher.get(publisher.url("/no-diemtin/but-this")).body == b"ok"
    assert fetcher.get(publisher.url("/news")).body == b"ok"
    assert publisher.hits["/no-diemtin/page"] == 0


def test_crawl_delay_spaces_our_requests(
    publisher: Publisher, make_fetcher: FetcherFactory
) -> None:
    publisher.robots("User-agent: *\nCrawl-delay: 0.3\n")
    publisher.route("/news", "ok")
    fetcher = make_fetcher(fetch_host_delay=0.0)
    for _ in range(3):
        fetcher.get(publisher.url("/news"))
    pages = sorted(r.at for r in publisher.requests if r.path == "/news")
    assert len(pages) == 3 and min(b - a for a, b in itertools.pairwise(pages)) >= 0.29


def test_robots_requested_with_our_user_agent(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/news", "ok")
    fetcher.get(publisher.url("/news"))
    assert publisher.seen("/robots.txt")[0].headers["user-agent"].startswith("diemtin-test/")


def test_robots_cached_per_host(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/news", "ok")
    for _ in range(5):
        fetcher.get(publisher.url("/news"))
    assert publisher.hits["/robots.txt"] == 1


def test_robots_cache_expires(publisher: Publisher, make_fetcher: FetcherFactory) -> None:
    publisher.route("/news", "ok")
    offset = [0.0]
    fetcher = make_fetcher(clock=lambda: time.monotonic() + offset[0])
    fetcher.get(publisher.url("/news"))
    fetcher.get(publisher.url("/news"))
    assert publisher.hits["/robots.txt"] == 1
    offset[0] = 3601.0  # past the hour robots.txt is kept
    fetcher.get(publisher.url("/news"))
    assert publisher.hits["/robots.txt"] == 2


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_robots_4xx_allows_everything(publisher: Publisher, fetcher: Fetcher, status: int) -> None:
    publisher.route("/robots.txt", "nope", status=status)
    publisher.route("/news", "ok")
    assert fetcher.get(publisher.url("/news")).body == b"ok"


def test_robots_missing_allows_everything(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.robots(None)
    publisher.route("/news", "ok")
    assert fetcher.get(publisher.url("/news")).body == b"ok"


@pytest.mark.parametrize("status", [500, 503])
def test_robots_5xx_disallows(publisher: Publisher, fetcher: Fetcher, status: int) -> None:
    publisher.route("/robots.txt", "down", status=status)
    publisher.route("/news", "ok")
    assert kind_of(fetcher, publisher.url("/news")) == "robots"
    assert publisher.hits["/news"] == 0
    assert publisher.hits["/robots.txt"] == 3  # retried like any 5xx
    assert kind_of(fetcher, publisher.url("/news")) == "robots"  # cached for a while
    assert publisher.hits["/robots.txt"] == 3


def test_robots_timeout_disallows_within_deadline(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.hang("/robots.txt")
    publisher.route("/news", "ok")
    started = time.monotonic()
    assert kind_of(fetcher, publisher.url("/news")) == "robots"
    assert time.monotonic() - started < 2.5
    assert publisher.hits["/news"] == 0


def test_robots_redirect_followed(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.redirect("/robots.txt", "/real-robots.txt")
    publisher.route("/real-robots.txt", "User-agent: *\nDisallow: /x\n")
    publisher.route("/news", "ok")
    assert fetcher.get(publisher.url("/news")).body == b"ok"
    assert kind_of(fetcher, publisher.url("/x")) == "robots"


def test_redirect_target_checked_against_robots(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.robots("User-agent: *\nDisallow: /private/\n")
    publisher.redirect("/go", "/private/page")
    publisher.route("/private/page", "secret")
    assert kind_of(fetcher, publisher.url("/go")) == "robots"
    assert publisher.hits["/private/page"] == 0


def test_respect_robots_off_skips_robots(
    publisher: Publisher, make_fetcher: FetcherFactory
) -> None:
    publisher.robots("User-agent: *\nDisallow: /\n")
    publisher.route("/news", "ok")
    assert make_fetcher(respect_robots=False).get(publisher.url("/news")).body == b"ok"
    assert publisher.hits["/robots.txt"] == 0
