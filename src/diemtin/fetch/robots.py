"""robots.txt, fetched through the same guarded path and cached per origin.

Outcomes follow RFC 9309: a 4xx means there are no rules (allow all); a 5xx,
a timeout or another failure to get the file means "unreachable", which
disallows everything for a short while. A refused connection or an SSRF
refusal is reported as such (``connect``, ``ssrf``): the page would fail the
same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

import httpx

from diemtin.fetch.deadline import Clock, Deadline
from diemtin.fetch.errors import FetchError

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB, ignore the rest

# (status, body) of GET /robots.txt; raises FetchError when there is no answer.
RobotsFetch = Callable[[httpx.URL, Deadline], tuple[int, bytes]]


@dataclass(frozen=True)
class _Entry:
    expires: float
    parser: RobotFileParser | None  # None: robots.txt unreachable, disallow all
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

    def check(self, url: httpx.URL, budget: Deadline) -> None:
        """Raise FetchError ``robots`` unless robots.txt lets us fetch ``url``."""
        entry = self._entry(url, budget)
        if entry.parser is None:
            raise FetchError(
                f"robots.txt of {_origin(url)} unreachable ({entry.problem}); not fetching",
                kind="robots",
                url=str(url),
            )
        if not entry.parser.can_fetch(self._agent, str(url)):
            raise FetchError(f"disallowed by robots.txt: {url}", kind="robots", url=str(url))

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
        parser = RobotFileParser(str(robots_url))
        text = "" if status >= 400 else body.decode("utf-8", "replace").lstrip("\ufeff")
        parser.parse(longest_match_first(text.splitlines()))  # no rules (a 4xx): allow all
        return _Entry(self._clock() + self._ttl, parser)


def longest_match_first(lines: list[str]) -> list[str]:
    """Reorder each run of Allow/Disallow lines, longest path first, Allow first on ties.

    robotparser applies the first rule that matches; RFC 9309 the most
    specific one. With the rules in this order the two agree.
    """
    out: list[str] = []
    run: list[tuple[int, int, str]] = []
    for line in lines:
        field, _, value = line.split("#", 1)[0].partition(":")
        name = field.strip().lower()
        if name in ("allow", "disallow"):
            run.append((-len(value.strip()), name == "disallow", line))
            continue
        out.extend(rule for *_, rule in sorted(run))
        run = []
        out.append(line)
    out.extend(rule for *_, rule in sorted(run))
    return out


def _origin(url: httpx.URL) -> str:
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.scheme}://{url.raw_host.decode('ascii')}:{port}"
