"""robots.txt rules and caching, with a fake fetch and clock."""

from __future__ import annotations

import httpx
import pytest

from diemtin.fetch.deadline import Deadline
from diemtin.fetch.errors import FetchError
from diemtin.fetch.robots import MAX_CRAWL_DELAY, Robots

AGENT = "diemtin/0.1 (+https://example.invalid)"


class FakeSite:
    def __init__(self, status: int = 200, body: str = "", error: str | None = None) -> None:
        self.status, self.body, self.error = status, body, error
        self.calls = 0
        self.now = 0.0

    def fetch(self, url: httpx.URL, budget: Deadline) -> tuple[int, bytes]:
        self.calls += 1
        assert url.path == "/robots.txt" and not url.query
        if self.error:
            raise FetchError("boom", kind=self.error)  # type: ignore[arg-type]
        return self.status, self.body.encode()

    def robots(self) -> Robots:
        return Robots(self.fetch, AGENT, lambda: self.now, ttl=100, error_ttl=10)


def allowed(robots: Robots, url: str) -> bool:
    try:
        robots.check(httpx.URL(url), Deadline(5, lambda: 0.0))
    except FetchError as exc:
        assert exc.kind == "robots"
        return False
    return True


def test_longest_match_wins_whatever_the_order() -> None:
    site = FakeSite(body="User-agent: *\nDisallow: /a/\nAllow: /a/b\nDisallow: /a/b/c\n")
    robots = site.robots()
    assert not allowed(robots, "https://x.vn/a/x")
    assert allowed(robots, "https://x.vn/a/b?q=1")
    assert not allowed(robots, "https://x.vn/a/b/c/d")
    assert allowed(robots, "https://x.vn/z")


def test_allow_wins_a_tie() -> None:
    robots = FakeSite(body="User-agent: *\nDisallow: /p\nAllow: /p\n").robots()
    assert allowed(robots, "https://x.vn/p")


def test_wildcards_and_end_anchors() -> None:
    body = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /tin-*/in\nAllow: /tin-a/in$\n"
    robots = FakeSite(body=body).robots()
    assert not allowed(robots, "https://x.vn/tai-lieu/bao-cao.pdf")
    assert allowed(robots, "https://x.vn/tai-lieu/bao-cao.pdf?v=2")  # $ ends the URL
    assert not allowed(robots, "https://x.vn/tin-the-thao/in/1")
    assert allowed(robots, "https://x.vn/tin-a/in")
    assert allowed(robots, "https://x.vn/tin-the-thao")


def delay_of(body: str) -> float:
    robots = FakeSite(body=body).robots()
    return robots.check(httpx.URL("https://x.vn/a"), Deadline(5, lambda: 0.0))


def test_crawl_delay_of_our_group_is_reported() -> None:
    body = "User-agent: *\nCrawl-delay: 9\n\nUser-agent: diemtin\nCrawl-delay: 2.5\n"
    assert delay_of(body) == 2.5
    assert delay_of("User-agent: *\nCrawl-delay: 4\n") == 4.0
    assert delay_of("User-agent: *\nDisallow: /x\n") == 0.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [("86400", MAX_CRAWL_DELAY), ("-3", 0.0), ("abc", 0.0), ("nan", 0.0), ("inf", 0.0)],
)
def test_odd_crawl_delays_are_bounded(value: str, expected: float) -> None:
    assert delay_of(f"User-agent: *\nCrawl-delay: {value}\n") == expected


@pytest.mark.parametrize(
    "body",
    ["\x00\ufffd\ufffd garbage", "Disallow /no-colon\n" * 3, "User-agent:\n" * 1000, "<html>oops"],
)
def test_malformed_robots_allow_all(body: str) -> None:
    assert allowed(FakeSite(body=body).robots(), "https://x.vn/a")


def test_our_group_beats_star() -> None:
    site = FakeSite(body="User-agent: *\nDisallow: /\n\nUser-agent: diemtin\nDisallow: /x\n")
    robots = site.robots()
    assert allowed(robots, "https://x.vn/news")
    assert not allowed(robots, "https://x.vn/x")


def test_cached_per_origin_until_ttl() -> None:
    site = FakeSite(body="User-agent: *\nDisallow: /x\n")
    robots = site.robots()
    for _ in range(3):
        allowed(robots, "https://x.vn/a")
    allowed(robots, "https://x.vn:443/b")
    assert site.calls == 1
    allowed(robots, "http://x.vn/a")  # another scheme, another origin
    assert site.calls == 2
    site.now = 101
    allowed(robots, "https://x.vn/a")
    assert site.calls == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 429])
def test_4xx_allows_all(status: int) -> None:
    assert allowed(FakeSite(status=status, body="User-agent: *\nDisallow: /").robots(), "http://x/")


@pytest.mark.parametrize(("status", "error"), [(500, None), (503, None), (200, "timeout")])
def test_unreachable_disallows_briefly(status: int, error: str | None) -> None:
    site = FakeSite(status=status, error=error)
    robots = site.robots()
    assert not allowed(robots, "http://x/a")
    assert not allowed(robots, "http://x/b")
    assert site.calls == 1
    site.now, site.status, site.error = 11, 200, None
    assert allowed(robots, "http://x/a")


@pytest.mark.parametrize("kind", ["connect", "ssrf"])
def test_host_problems_pass_through(kind: str) -> None:
    with pytest.raises(FetchError) as info:
        FakeSite(error=kind).robots().check(httpx.URL("http://x/"), Deadline(5, lambda: 0.0))
    assert info.value.kind == kind
