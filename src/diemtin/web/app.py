"""The reader's site: Starlette routing behind a thin full-page cache (cache.py).

Each area of the site contributes its routes from one small function that takes
the ``Site`` (store, settings, clock, renderer); adding an area is one line in
``routes`` below.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from diemtin.rank.similar import load_segmenter
from diemtin.settings import Settings
from diemtin.store.db import Database
from diemtin.web import lists, queries
from diemtin.web.admin import admin_routes
from diemtin.web.api import api_routes
from diemtin.web.article import article_routes
from diemtin.web.cache import PageCache
from diemtin.web.engage import engage_routes
from diemtin.web.listing import listing_routes
from diemtin.web.metrics import Metrics, MetricsMiddleware
from diemtin.web.search import search_routes
from diemtin.web.site import PAGE_CACHE, Site
from diemtin.web.syndication import syndication_routes


def routes(site: Site) -> list[BaseRoute]:
    return [
        *listing_routes(site),
        *article_routes(site),
        *engage_routes(site),
        *site.assets.routes(),
        *api_routes(site.db, site.settings),
        *search_routes(site.db, site.settings, site.render),
        *syndication_routes(site.db, site.settings, site.clock),
        Route("/healthz", _healthz(site)),
        *admin_routes(site),
    ]


def _healthz(site: Site) -> Callable[[Request], object]:
    async def healthz(request: Request) -> Response:
        site.db.ping()
        return JSONResponse({"ok": True})

    return healthz


def error_page(site: Site, code: int, detail: str = "") -> Response:
    """404 and 410 help the reader on with the latest articles; both may be cached briefly."""
    latest: list[lists.Item] = []
    if code in (404, 410):
        with site.db.read() as conn:
            latest = lists.articles_where(conn, "1 = 1", {}, limit=8)
    cache = PAGE_CACHE if code in (404, 410) else None
    return site.render(
        "error.html", status=code, cache=cache, code=code, detail=detail, latest=latest
    )


def create_app(
    db: Database,
    settings: Settings,
    clock: Callable[[], float] = time.time,
    timer: Callable[[], float] = time.monotonic,
) -> ASGIApp:
    """The site; ``clock`` is what pages call now, ``timer`` ages cached pages."""
    site = Site(db, settings, clock)
    # the segmenter takes seconds to load: in the background, not on a reader's first page
    threading.Thread(target=load_segmenter, name="load-segmenter", daemon=True).start()

    async def error(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) and code == 400 else ""
        return error_page(site, code, "" if detail == "Bad Request" else detail)

    async def too_long(scope: Scope, receive: Receive, send: Send) -> None:
        response = error_page(site, 400, "Địa chỉ quá dài.")
        await response(scope, receive, send)

    def generation() -> object:
        with db.read() as conn:
            return queries.generation(conn)

    metrics = Metrics(db, settings.metrics_from, clock)
    app = Starlette(
        routes=[*routes(site), Route("/metrics", metrics.endpoint)],
        exception_handlers={HTTPException: error},
    )
    # Cache hits stay off the latency histogram: they cost microseconds, and timing
    # each one would cost more than serving it. They are counted, cheaply, instead.
    return PageCache(
        MetricsMiddleware(app, metrics),
        generation,
        timer,
        ttl=settings.page_cache_seconds,
        max_bytes=settings.page_cache_mb * 1024 * 1024,
        bad_request=too_long,
        on_lookup=metrics.cache_result,
    )
