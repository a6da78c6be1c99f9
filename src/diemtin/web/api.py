"""The JSON API under /api/v1: articles newest first with filters and paging, one
article, categories and sources. Every article object has the same shape, so
search results and listings can be used interchangeably."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from diemtin.settings import Settings
from diemtin.store.db import Database
from diemtin.timefmt import VIETNAM

MAX_PER_PAGE = 100
MAX_PARAM = 200


class BadRequest(ValueError):
    """A malformed query string: answered with 400 and the reason, never 500."""


def int_param(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if len(raw) > 12 or not raw.lstrip("-").isdigit():
        raise BadRequest(f"{name} must be a whole number")
    value = int(raw)
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}")
    return value


def slug_param(params: Mapping[str, str], name: str) -> str | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if len(raw) > MAX_PARAM or not all(c.isalnum() or c in "-_" for c in raw):
        raise BadRequest(f"{name} must be a slug such as the-gioi")
    return raw


def iso(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).astimezone(VIETNAM).isoformat()


ARTICLE_COLUMNS = (
    "a.id, a.title, a.sapo, a.url, a.published_at, a.updated_at, a.story_id, a.lead_image,"
    " s.slug, s.name, c.slug, c.name"
)
ARTICLE_JOINS = (
    " FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
    " LEFT JOIN categories c ON c.id = a.category_id"
)


def article_object(row: Any, base_url: str) -> dict[str, Any]:
    """One article as every endpoint returns it; ``row`` holds ARTICLE_COLUMNS."""
    return {
        "id": row[0],
        "title": row[1],
        "sapo": row[2],
        "url": f"{base_url.rstrip('/')}/a/{row[0]}",
        "source_url": row[3],
        "published_at": iso(row[4]),
        "updated_at": iso(row[5]),
        "story_id": row[6],
        "lead_image": row[7],
        "source": {"slug": row[8], "name": row[9]} if row[8] else None,
        "category": {"slug": row[10], "name": row[11]} if row[10] else None,
    }


def articles_by_id(conn: Connection, ids: list[int], base_url: str) -> list[dict[str, Any]]:
    """Article objects for ``ids``, in the order given (search results keep their rank)."""
    if not ids:
        return []
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    rows = conn.execute(
        text(
            f"SELECT {ARTICLE_COLUMNS}{ARTICLE_JOINS} WHERE a.id IN ({marks})"
            " AND a.status = 'visible'"
        ),
        {f"i{n}": i for n, i in enumerate(ids)},
    ).all()
    found = {row[0]: article_object(row, base_url) for row in rows}
    return [found[i] for i in ids if i in found]


@dataclass(frozen=True)
class ArticleQuery:
    category: str | None
    source: str | None
    story: int | None
    page: int
    per_page: int

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ArticleQuery:
        return cls(
            category=slug_param(params, "category"),
            source=slug_param(params, "source"),
            story=int_param(params, "story", 0, 0, 2**62) or None,
            page=int_param(params, "page", 1, 1, 100_000),
            per_page=int_param(params, "per_page", 20, 1, MAX_PER_PAGE),
        )


def list_articles(conn: Connection, q: ArticleQuery, base_url: str) -> list[dict[str, Any]]:
    where = ["a.status = 'visible'"]
    params: dict[str, Any] = {"lim": q.per_page + 1, "off": (q.page - 1) * q.per_page}
    if q.category:
        where.append("c.slug = :cat")
        params["cat"] = q.category
    if q.source:
        where.append("s.slug = :src")
        params["src"] = q.source
    if q.story:
        where.append("a.story_id = :story")
        params["story"] = q.story
    rows = conn.execute(
        text(
            f"SELECT {ARTICLE_COLUMNS}{ARTICLE_JOINS} WHERE {' AND '.join(where)}"
            " ORDER BY COALESCE(a.published_at, a.stored_at) DESC, a.id DESC"
            " LIMIT :lim OFFSET :off"
        ),
        params,
    ).all()
    return [article_object(r, base_url) for r in rows]


def api_routes(db: Database, settings: Settings) -> list[Route]:
    base = settings.base_url

    def bad(exc: BadRequest) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    async def articles(request: Request) -> Response:
        try:
            q = ArticleQuery.parse(request.query_params)
        except BadRequest as exc:
            return bad(exc)
        with db.read() as conn:
            items = list_articles(conn, q, base)
        more = len(items) > q.per_page
        body: dict[str, Any] = {
            "page": q.page,
            "per_page": q.per_page,
            "articles": items[: q.per_page],
        }
        if more:
            query = {**dict(request.query_params), "page": str(q.page + 1)}
            body["next"] = str(request.url.replace_query_params(**query))
        return JSONResponse(body)

    async def article(request: Request) -> Response:
        raw = request.path_params["article_id"]
        if not raw.isdigit() or len(raw) > 18:
            return JSONResponse({"error": "no such article"}, status_code=404)
        with db.read() as conn:
            found = articles_by_id(conn, [int(raw)], base)
        if not found:
            return JSONResponse({"error": "no such article"}, status_code=404)
        return JSONResponse(found[0])

    async def categories(request: Request) -> Response:
        with db.read() as conn:
            rows = conn.execute(
                text(
                    "SELECT c.slug, c.name, (SELECT COUNT(*) FROM articles a"
                    " WHERE a.category_id = c.id AND a.status = 'visible')"
                    " FROM categories c WHERE c.merged_into IS NULL"
                    " ORDER BY c.position, c.name"
                )
            ).all()
        return JSONResponse(
            {"categories": [{"slug": r[0], "name": r[1], "articles": r[2]} for r in rows]}
        )

    async def sources(request: Request) -> Response:
        with db.read() as conn:
            rows = conn.execute(
                text("SELECT s.slug, s.name, s.homepage, s.enabled FROM sources s ORDER BY s.name")
            ).all()
        return JSONResponse(
            {
                "sources": [
                    {"slug": r[0], "name": r[1], "homepage": r[2], "enabled": bool(r[3])}
                    for r in rows
                ]
            }
        )

    return [
        Route("/api/v1/articles", articles),
        Route("/api/v1/articles/{article_id}", article),
        Route("/api/v1/categories", categories),
        Route("/api/v1/sources", sources),
    ]
