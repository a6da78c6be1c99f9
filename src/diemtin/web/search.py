"""Search for readers: the /tim-kiem page, /api/v1/search and /api/v1/suggest.

The API returns the same article objects as /api/v1/articles, best first.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from diemtin.search import (
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_QUERY_CHARS,
    SearchError,
    SearchPage,
    search,
    suggest,
)
from diemtin.settings import Settings
from diemtin.store.db import Database
from diemtin.timefmt import VIETNAM
from diemtin.web.api import BadRequest, articles_by_id, int_param, slug_param

PER_PAGE = 20


def _day(params: Mapping[str, str], name: str, *, end: bool) -> int | None:
    """A YYYY-MM-DD bound, Vietnam time; the end bound (exclusive) is the next midnight."""
    raw = params.get(name)
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw[:10]) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise BadRequest(f"{name} must be a date such as 2025-10-22")
    if end:
        day += timedelta(days=1)
    moment = datetime.combine(day, dtime.min, VIETNAM)
    return int(moment.timestamp())


def run_search(
    db: Database, params: Mapping[str, str], clock: Callable[[], float], *, snippets: bool = True
) -> SearchPage:
    query = params.get("q", "")
    if len(query) > MAX_QUERY_CHARS:
        raise BadRequest(f"q is longer than {MAX_QUERY_CHARS} characters")
    per_page = int_param(params, "per_page", PER_PAGE, 1, MAX_LIMIT)
    # search ranks a bounded set of candidates: pages past it are refused, not empty
    page = int_param(params, "page", 1, 1, MAX_OFFSET // per_page + 1)
    options: dict[str, Any] = {
        "category": slug_param(params, "category"),
        "source": slug_param(params, "source"),
        "since": _day(params, "from", end=False),
        "until": _day(params, "to", end=True),
        "limit": per_page,
        "offset": (page - 1) * per_page,
        "now": int(clock()),
        "snippets": snippets,
    }
    with db.read() as conn:
        try:
            return search(conn, db.dialect.name, query, **options)
        except SearchError as exc:
            raise BadRequest(str(exc)) from exc


def search_routes(
    db: Database,
    settings: Settings,
    render: Callable[..., Response],
    clock: Callable[[], float] = time.time,
) -> list[Route]:
    async def api_search(request: Request) -> Response:
        try:
            found = run_search(db, request.query_params, clock, snippets=False)
        except BadRequest as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        with db.read() as conn:
            objects = articles_by_id(conn, [h.article_id for h in found.hits], settings.base_url)
        body: dict[str, Any] = {
            "query": request.query_params.get("q", ""),
            "total": found.total,
            "total_capped": found.total_capped,
            "articles": objects,
        }
        if found.reason:
            body["reason"], body["message"] = found.reason, found.message
        return JSONResponse(body)

    async def api_suggest(request: Request) -> Response:
        prefix = request.query_params.get("q", "")
        if len(prefix) > MAX_QUERY_CHARS:
            return JSONResponse({"error": "q is too long"}, status_code=400)
        with db.read() as conn:
            titles = suggest(conn, db.dialect.name, prefix)
        return JSONResponse({"query": prefix, "suggestions": titles})

    async def page(request: Request) -> Response:
        query = request.query_params.get("q", "")
        try:
            found = run_search(db, request.query_params, clock)
        except BadRequest as exc:
            return render("search.html", status=400, query=query[:200], found=None, error=str(exc))
        return render("search.html", query=query, found=found, error=None)

    return [
        Route("/tim-kiem", page),
        Route("/api/v1/search", api_search),
        Route("/api/v1/suggest", api_suggest),
    ]
