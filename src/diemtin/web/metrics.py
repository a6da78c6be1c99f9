"""Prometheus metrics at /metrics: requests and cache hits per process, the rest from the store.

Request latency and page-cache results are counted in the serving process;
with several processes (``diemtin serve --workers N``) each writes them to
``PROMETHEUS_MULTIPROC_DIR`` and a scrape of any one adds them all up.
Ingest figures (articles, feeds failing by error kind, the crawl queue, views
and votes) are read from the store at scrape time, so they hold whichever
process or machine did the work.
"""

from __future__ import annotations

import ipaddress
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from diemtin.store.db import Database

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Paths are grouped by their first segment, so a crawler's odd URLs cannot add series.
AREAS = frozenset(
    {"a", "c", "s", "nguon", "tu-khoa", "tim-kiem", "api", "static", "admin", "v", "rss",
     "sitemap", "metrics", "healthz"}
)  # fmt: skip
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
HOUR = 3600
FLUSH_SECONDS = 1.0


def area_of(path: str) -> str:
    first = path.lstrip("/").split("/", 1)[0]
    if not first:
        return "home"
    stem = re.split(r"[.\-_]", first, maxsplit=1)[0]  # rss.xml, sitemap-2025.xml
    return first if first in AREAS else stem if stem in AREAS else "other"


def method_of(method: str) -> str:
    return method if method in METHODS else "other"


class StoreCollector(Collector):
    """Figures read from the store when Prometheus scrapes."""

    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        self.db, self.clock = db, clock

    def collect(self) -> Iterator[Metric]:
        now = int(self.clock())
        with self.db.read() as conn:

            def rows(sql: str, **params: object) -> list[tuple[object, ...]]:
                return [tuple(r) for r in conn.execute(text(sql), params).all()]

            yield _gauge(
                "diemtin_articles", "articles in the store by status", ["status"],
                rows("SELECT status, COUNT(*) FROM articles GROUP BY status"),
            )  # fmt: skip
            yield _gauge(
                "diemtin_articles_stored_last_hour", "articles stored in the last hour", [],
                rows("SELECT COUNT(*) FROM articles WHERE stored_at >= :t", t=now - HOUR),
            )  # fmt: skip
            yield _gauge(
                "diemtin_feeds_failing", "enabled feeds whose last check failed, by error kind",
                ["kind"],
                rows(
                    "SELECT COALESCE(last_error_kind, 'unknown'), COUNT(*) FROM feeds"
                    " WHERE enabled = 1 AND error_streak > 0 GROUP BY last_error_kind"
                ),
            )  # fmt: skip
            yield _gauge(
                "diemtin_crawl_items", "pages in the crawl queue by state", ["state"],
                rows("SELECT state, COUNT(*) FROM items GROUP BY state"),
            )  # fmt: skip
            yield _gauge(
                "diemtin_pages_failed", "pages that failed for good, by error kind", ["kind"],
                rows(
                    "SELECT COALESCE(error_kind, 'unknown'), COUNT(*) FROM items"
                    " WHERE state = 'failed' GROUP BY error_kind"
                ),
            )  # fmt: skip
            yield _gauge(
                "diemtin_views_last_hour", "article views counted in the last hour", [],
                rows("SELECT COALESCE(SUM(views), 0) FROM view_counts WHERE bucket >= :b",
                     b=(now - HOUR) // HOUR * HOUR),
            )  # fmt: skip
            yield _gauge(
                "diemtin_votes_last_hour", "helpful-poll votes cast or changed in the last hour",
                [], rows("SELECT COUNT(*) FROM votes WHERE updated_at >= :t", t=now - HOUR),
            )  # fmt: skip


def _gauge(
    name: str, doc: str, labels: list[str], rows: Iterable[tuple[object, ...]]
) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=labels)
    for row in rows:
        family.add_metric([str(v) for v in row[:-1]], float(str(row[-1])))
    return family


class Metrics:
    def __init__(
        self, db: Database, allow: tuple[str, ...], clock: Callable[[], float] = time.time
    ) -> None:
        # one registry per app: tests build many apps in one process
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Histogram(
            "diemtin_http_request_seconds", "time to answer a request, by site area",
            ["area", "method", "status"], registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )  # fmt: skip
        self.cache = Counter(
            "diemtin_page_cache", "full-page cache lookups by result", ["result"],
            registry=self.registry,
        )  # fmt: skip
        self.store = StoreCollector(db, clock)
        self._pending: dict[str, int] = {}
        self._flushed = float("-inf")
        self.allow = _networks(allow)

    def cache_result(self, result: str) -> None:
        """Counted in plain integers, handed to Prometheus at most once a second."""
        self._pending[result] = self._pending.get(result, 0) + 1
        now = time.monotonic()
        if now - self._flushed >= FLUSH_SECONDS:
            self.flush(now)

    def flush(self, now: float | None = None) -> None:
        pending, self._pending = self._pending, {}
        for result, n in pending.items():
            self.cache.labels(result).inc(n)
        self._flushed = time.monotonic() if now is None else now

    def exposition(self) -> bytes:
        self.flush()
        registry = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        out = generate_latest(registry)
        scrape = CollectorRegistry()
        scrape.register(self.store)
        return out + generate_latest(scrape)

    def allowed(self, request: Request) -> bool:
        if self.allow is None:
            return True
        host = request.client.host if request.client else ""
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in net for net in self.allow)

    async def endpoint(self, request: Request) -> Response:
        if not self.allowed(request):
            return PlainTextResponse("metrics are served to the configured addresses only", 403)
        return Response(self.exposition(), media_type=CONTENT_TYPE)


def _networks(allow: tuple[str, ...]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network] | None:
    if "*" in allow:
        return None
    return [ipaddress.ip_network(a, strict=False) for a in allow]


class MetricsMiddleware:
    """Times every request the page cache did not answer."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            self.metrics.requests.labels(
                area_of(scope["path"]), method_of(scope["method"]), f"{status // 100}xx"
            ).observe(time.perf_counter() - started)
