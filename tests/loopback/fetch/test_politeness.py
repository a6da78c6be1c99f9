"""Per-host and global concurrency, and pacing between requests to one host."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from diemtin.fetch import Fetcher
from tests.loopback.fetch.conftest import local_resolver
from tests.support.publisher import Publisher

pytestmark = pytest.mark.loopback

FetcherFactory = Callable[..., Fetcher]
# two names for the one loopback publisher, so the fetcher sees two hosts
HOSTS = ("a.test", "b.test")


def two_host_fetcher(make_fetcher: FetcherFactory, **overrides: object) -> Fetcher:
    resolver = local_resolver({name: ["127.0.0.1"] for name in HOSTS})
    return make_fetcher(resolver=resolver, fetch_allow_hosts=HOSTS, **overrides)


def test_per_host_limit(publisher: Publisher, make_fetcher: FetcherFactory) -> None:
    publisher.route("/slow", "ok", delay=0.15)
    fetcher = two_host_fetcher(make_fetcher, fetch_per_host=2, fetch_concurrency=8)
    urls = [publisher.url("/slow", host=h) for h in HOSTS for _ in range(6)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        assert all(r.body == b"ok" for r in pool.map(fetcher.get, urls))
    assert publisher.max_concurrent == {"a.test": 2, "b.test": 2}


def test_global_limit(publisher: Publisher, make_fetcher: FetcherFactory) -> None:
    publisher.route("/slow", "ok", delay=0.15)
    fetcher = two_host_fetcher(make_fetcher, fetch_per_host=3, fetch_concurrency=3)
    urls = [publisher.url("/slow", host=h) for h in HOSTS for _ in range(6)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        assert all(r.body == b"ok" for r in pool.map(fetcher.get, urls))
    assert publisher.max_concurrent_total == 3


def test_requests_to_one_host_are_paced(publisher: Publisher, make_fetcher: FetcherFactory) -> None:
    publisher.route("/news", "ok")
    fetcher = make_fetcher(fetch_host_delay=0.25, fetch_per_host=4)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(fetcher.get, [publisher.url("/news")] * 4))
    at = sorted(s.at for s in publisher.requests)  # robots.txt first, then the four pages
    assert len(at) == 5
    gaps = [b - a for a, b in itertools.pairwise(at)]
    assert min(gaps) >= 0.24, gaps


def test_pacing_is_per_host(publisher: Publisher, make_fetcher: FetcherFactory) -> None:
    publisher.route("/news", "ok")
    fetcher = two_host_fetcher(make_fetcher, fetch_host_delay=1.0, respect_robots=False)
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(fetcher.get, [publisher.url("/news", host=h) for h in HOSTS]))
    a, b = (s.at for s in publisher.requests)
    assert abs(a - b) < 0.5  # the two hosts did not wait for each other
