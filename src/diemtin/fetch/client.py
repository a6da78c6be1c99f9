"""``Fetcher``: the one way diemtin talks to the network.

One ``get`` = URL check, robots.txt, per-host pacing, the request, manual
redirects (each hop checked again), retries with back-off, all inside one
deadline, with the body decoded under a size cap. Every failure comes out
as a ``FetchError``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

from diemtin.fetch import deadline
from diemtin.fetch.deadline import Clock, Deadline
from diemtin.fetch.decode import ACCEPT_ENCODING, read_body
from diemtin.fetch.errors import FetchError, FetchErrorKind
from diemtin.fetch.guard import AllowList, check_url, normalize_host
from diemtin.fetch.pacing import HostSlots, Sleep
from diemtin.fetch.robots import ROBOTS_MAX_BYTES, Robots
from diemtin.fetch.transport import (
    Connector,
    Resolver,
    guarded_transport,
    plain_connector,
    system_resolver,
)
from diemtin.settings import Settings

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_CAP = 30.0  # a longer Retry-After ends the request instead of waiting


@dataclass(frozen=True)
class FetchResponse:
    url: str  # final URL, after redirects
    status: int
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes  # decoded (gzip/deflate undone); empty when not_modified
    not_modified: bool
    etag: str | None
    last_modified: str | None
    charset: str | None  # from Content-Type, lower case
    elapsed: float  # seconds, robots.txt and redirects included

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class _Raw:
    url: httpx.URL
    status: int
    headers: httpx.Headers
    body: bytes


class Fetcher:
    """Thread-safe; share one per process (or per worker) and close it at the end."""

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver | None = None,
        connector: Connector | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._settings = settings
        self._allow = AllowList(settings.fetch_allow_hosts)
        self._clock = clock
        transport = guarded_transport(
            self._allow,
            resolver=resolver or system_resolver,
            connector=connector or plain_connector,
            max_connections=max(1, settings.fetch_concurrency),
        )
        self._client = httpx.Client(
            transport=transport,
            trust_env=False,
            follow_redirects=False,
            headers={
                "User-Agent": settings.user_agent,
                "Accept-Encoding": ACCEPT_ENCODING,
                "Accept-Language": "vi, en;q=0.5",
            },
        )
        self._slots = HostSlots(
            per_host=settings.fetch_per_host,
            total=settings.fetch_concurrency,
            delay=settings.fetch_host_delay,
            clock=clock,
            sleep=sleep,
        )
        self._robots = Robots(self._fetch_robots, settings.user_agent, clock)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> FetchResponse:
        """GET ``url``; a 2xx or 304 comes back, anything else raises FetchError."""
        headers = {"Accept": accept or "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        budget = Deadline(self._settings.fetch_timeout, self._clock)
        with deadline.active(budget):
            raw = self._follow(
                url, headers, budget, robots=self._settings.respect_robots, truncate=False
            )
        if raw.status == 304:
            return _response(raw, budget, etag=etag, last_modified=last_modified)
        if 200 <= raw.status < 300:
            return _response(raw, budget)
        raise _status_error(raw)

    # --- the request path ---------------------------------------------------

    def _follow(
        self,
        url: str | httpx.URL,
        headers: dict[str, str],
        budget: Deadline,
        *,
        robots: bool,
        truncate: bool,
    ) -> _Raw:
        current = check_url(url, self._allow)
        for _hop in range(self._settings.fetch_max_redirects + 1):
            if robots:
                self._slots.space(_host_key(current), self._robots.check(current, budget))
            raw = self._with_retries(current, headers, budget, truncate)
            location = raw.headers.get("location")
            if raw.status not in REDIRECT_STATUSES or not location:
                return raw
            current = self._next_hop(current, location)
        raise FetchError(
            f"more than {self._settings.fetch_max_redirects} redirects from {url}",
            kind="too_many_redirects",
            url=str(url),
        )

    def _next_hop(self, current: httpx.URL, location: str) -> httpx.URL:
        try:
            target = current.join(location.strip())
        except httpx.InvalidURL as exc:
            raise FetchError(
                f"bad redirect from {current} to {location!r}: {exc}",
                kind="invalid_url",
                url=str(current),
            ) from exc
        try:
            return check_url(target, self._allow)
        except FetchError as exc:
            raise FetchError(
                f"redirect from {current} refused: {exc}", kind=_kind(exc), url=str(target)
            ) from exc

    def _with_retries(
        self, url: httpx.URL, headers: dict[str, str], budget: Deadline, truncate: bool
    ) -> _Raw:
        # Waits go through the host's schedule, so concurrent requests to a
        # struggling host back off too.
        host = _host_key(url)
        attempt = 0
        while True:
            backoff = self._settings.fetch_backoff * 2**attempt
            try:
                raw = self._attempt(url, headers, budget, truncate)
            except FetchError as exc:
                if not exc.retryable or not self._may_retry(attempt, backoff, budget):
                    raise
                wait = backoff
            else:
                if raw.status != 429 and raw.status < 500:
                    return raw
                wait = max(backoff, _retry_after(raw.headers) or 0.0)
                if wait > RETRY_AFTER_CAP or not self._may_retry(attempt, wait, budget):
                    return raw
            self._slots.defer(host, wait)
            attempt += 1

    def _may_retry(self, attempt: int, wait: float, budget: Deadline) -> bool:
        return attempt < self._settings.fetch_retries and wait < budget.remaining()

    def _attempt(
        self, url: httpx.URL, headers: dict[str, str], budget: Deadline, truncate: bool
    ) -> _Raw:
        with self._slots.hold(_host_key(url), budget):
            try:
                request = self._client.build_request(
                    "GET", url, headers=headers, timeout=self._timeouts(budget, url)
                )
                response = self._client.send(request, stream=True)
                try:
                    return self._read(response, url, budget, truncate)
                finally:
                    response.close()
            except httpx.HTTPError as exc:
                raise _network_error(exc, url, budget) from exc
            except FetchError as exc:  # from the transport's guard
                exc.url = exc.url or str(url)
                raise

    def _timeouts(self, budget: Deadline, url: httpx.URL) -> httpx.Timeout:
        left = budget.remaining()
        if left <= 0:
            raise _timeout_error(url, budget)
        return httpx.Timeout(left, connect=min(self._settings.fetch_connect_timeout, left))

    def _read(
        self, response: httpx.Response, url: httpx.URL, budget: Deadline, truncate: bool
    ) -> _Raw:
        body = b""
        if 200 <= response.status_code < 300:
            limit = ROBOTS_MAX_BYTES if truncate else self._settings.fetch_max_bytes
            length = response.headers.get("content-length", "").strip()
            if not truncate and length.isdigit() and int(length) > limit:
                raise FetchError(
                    f"{url} announces {length} bytes, more than {limit}",
                    kind="too_large",
                    url=str(url),
                )
            encoding = response.headers.get("content-encoding", "")
            chunks = _until_deadline(response.iter_raw(), url, budget)
            try:
                body = read_body(chunks, encoding, limit, truncate=truncate)
            except FetchError as exc:
                exc.url = str(url)
                raise
        return _Raw(url, response.status_code, response.headers, body)

    def _fetch_robots(self, url: httpx.URL, budget: Deadline) -> tuple[int, bytes]:
        headers = {"Accept": "text/plain, */*;q=0.5"}
        raw = self._follow(url, headers, budget, robots=False, truncate=True)
        return raw.status, raw.body


# --- helpers ---------------------------------------------------------------


def _host_key(url: httpx.URL) -> str:
    return normalize_host(url.raw_host.decode("ascii"))


def _until_deadline(chunks: Iterator[bytes], url: httpx.URL, budget: Deadline) -> Iterator[bytes]:
    for chunk in chunks:
        if budget.expired():
            raise _timeout_error(url, budget)
        yield chunk


def _kind(exc: FetchError) -> FetchErrorKind:
    return "ssrf" if exc.kind == "ssrf" else "invalid_url"


def _timeout_error(url: httpx.URL, budget: Deadline) -> FetchError:
    return FetchError(
        f"no complete answer from {url} within {budget.total:g}s", kind="timeout", url=str(url)
    )


def _network_error(exc: httpx.HTTPError, url: httpx.URL, budget: Deadline) -> FetchError:
    if isinstance(exc, httpx.TimeoutException) or budget.expired():
        return _timeout_error(url, budget)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchError(f"{url}: {exc}", kind="invalid_url", url=str(url))
    return FetchError(f"{url}: {type(exc).__name__}: {exc}", kind="connect", url=str(url))


def _status_error(raw: _Raw) -> FetchError:
    status = raw.status
    what = "redirect without Location" if status in REDIRECT_STATUSES else f"HTTP {status}"
    return FetchError(
        f"{what} from {raw.url}",
        kind="http_status",
        url=str(raw.url),
        status=status,
        retry_after=_retry_after(raw.headers),
    )


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _response(
    raw: _Raw, budget: Deadline, *, etag: str | None = None, last_modified: str | None = None
) -> FetchResponse:
    headers = {k.lower(): v for k, v in raw.headers.items()}
    charset = _charset(headers.get("content-type", ""))
    return FetchResponse(
        url=str(raw.url),
        status=raw.status,
        headers=headers,
        body=raw.body,
        not_modified=raw.status == 304,
        etag=headers.get("etag") or etag,
        last_modified=headers.get("last-modified") or last_modified,
        charset=charset,
        elapsed=budget.elapsed(),
    )


def _charset(content_type: str) -> str | None:
    message = Message()
    message["content-type"] = content_type
    value = message.get_param("charset")
    return value.strip().strip("'\"").lower() or None if isinstance(value, str) else None
