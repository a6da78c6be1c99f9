"""robots.txt, fetched through the same guarded path and cached per origin.

Outcomes follow RFC 9309: a 4xx means there are no rules (allow all); a 5xx,
a timeout or another failure to get the file means "unreachable", which
disallows everything for a short while. A refused connection or an SSRF
refusal is reported as such (``connect``, ``ssrf``): the page would fail the
same way.

Rules are read by Protego: the most specific rule wins (RFC 9309), ``*`` and
``$`` work in paths, and a group's Crawl-delay is reported so the fetcher can
space its requests to that host.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from protego import Protego

from diemtin.fetch.deadline import Clock, Deadline
from diemtin.fetch.errors import FetchError

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB, ignore the rest
# A longer Crawl-delay is honoured as this: a news site asking for one request
# an hour would never be read, and one a minute is still polite.
MAX_CRAWL_DELAY = 60.0

# (status, body) of GET /robots.txt; raises FetchError when there is no answer.
RobotsFetch = Callable[[httpx.URL, Deadline], tuple[int, bytes]]


@dataclass(frozen=True)
class _Entry:
    expires: float
    parser: Protego | None  # None: robots.txt unreachable, disallow all
    problem: str = ""


class Robots:
    def __init__(
        self,
        fetch: RobotsFetch,
        user_agent: str,
        clock: Clock,
        *,
        ttl: float = 3600.0,
        error_ttl: float = 60.0,
    ) -> None:
        self._fetch = fetch
        self._agent = user_agent
        self._clock = clock
        self._ttl = ttl
        self._error_ttl = error_ttl
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._cache: dict[str, _Entry] = {}

    def check(self, url: httpx.URL, budget: Deadline) -> float:
        """Raise FetchError ``robots`` unless robots.txt lets us fetch ``url``; else the
        seconds its Crawl-delay asks between our requests (0.0: none, at most MAX_CRAWL_DELAY).
        """
        entry = self._entry(url, budget)
        if entry.parser is None:
            raise FetchError(
                f"robots.txt of {_origin(url)} unreachable ({entry.problem}); not fetching",
                kind="robots",
                url=str(url),
            )
        if not entry.parser.can_fetch(str(url), self._agent):
            raise FetchError(f"disallowed by robots.txt: {url}", kind="robots", url=str(url))
        delay = entry.parser.crawl_delay(self._agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay and delay > 0 else 0.0

    def _entry(self, url: httpx.URL, budget: Deadline) -> _Entry:
        key = _origin(url)
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one fetch per origin; other threads wait for its result
            entry = self._cache.get(key)
            if entry is None or entry.expires <= self._clock():
                entry = self._cache[key] = self._load(url.join("/robots.txt"), budget)
            return entry

    def _load(self, robots_url: httpx.URL, budget: Deadline) -> _Entry:
        try:
            status, body = self._fetch(robots_url, budget)
        except FetchError as exc:
            if exc.kind in ("connect", "ssrf"):  # the host itself is the problem: say so
                raise
            return _Entry(self._clock() + self._error_ttl, None, f"{exc.kind}: {exc}")
        if status >= 500:
            return _Entry(self._clock() + self._error_ttl, None, f"HTTP {status}")
        text = "" if status >= 400 else body.decode("utf-8", "replace").lstrip("\ufeff")
        return _Entry(self._clock() + self._ttl, Protego.parse(text))  # no rules (a 4xx): allow all


def _origin(url: httpx.URL) -> str:
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.scheme}://{url.raw_host.decode('ascii')}:{port}"
