"""The JSON API under /api/v1: articles newest first with filters and paging, one
article, categories, stories and sources. Every article object has the same shape,
so search results, listings and story members can be used interchangeably."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from diemtin.settings import Settings
from diemtin.store import driver
from diemtin.store.db import Database
from diemtin.timefmt import VIETNAM
from diemtin.web.openapi import openapi_routes

MAX_PER_PAGE = 100
MAX_PARAM = 200


# ASCII only: str.isdigit() also takes "²", which int() then refuses
WHOLE = re.compile(r"-?[0-9]{1,12}")
ID = re.compile(r"[0-9]{1,18}")


class BadRequest(ValueError):
    """A malformed query string: answered with 400 and the reason, never 500."""


def int_param(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not WHOLE.fullmatch(raw):
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


def page_url(base_url: str, article_id: int) -> str:
    """The article's page on our site, absolute: feeds, sitemaps and the API all use it."""
    return f"{base_url.rstrip('/')}/a/{article_id}"


def article_object(row: Any, base_url: str) -> dict[str, Any]:
    """One article as every endpoint returns it; ``row`` holds ARTICLE_COLUMNS."""
    return {
        "id": row[0],
        "title": row[1],
        "sapo": row[2],
        "url": page_url(base_url, row[0]),
        "source_url": row[3],
        "published_at": iso(row[4]),
        "updated_at": iso(row[5]),
        "story_id": row[6],
        "lead_image": row[7],
        "source": {"slug": row[8], "name": row[9]} if row[8] else None,
        "category": {"slug": row[10], "name": row[11]} if row[10] else None,
    }


_ARTICLES_OF = driver.ByIds(
    f"SELECT {ARTICLE_COLUMNS}{ARTICLE_JOINS} WHERE a.id IN :ids AND a.status = 'visible'"
)


def articles_by_id(conn: Connection, ids: list[int], base_url: str) -> list[dict[str, Any]]:
    """Article objects for ``ids``, in the order given (search results keep their rank)."""
    if not ids:
        return []
    rows = _ARTICLES_OF.run(conn, ids).all()
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


WHEN = "COALESCE(a.published_at, a.stored_at)"
# each story's first report, its count and its latest update
_FIRST_OF_STORIES = driver.ByIds(
    "SELECT story_id, id, n, first_at, last_at FROM (SELECT a.story_id, a.id,"
    " COUNT(*) OVER (PARTITION BY a.story_id) AS n,"
    f" MIN({WHEN}) OVER (PARTITION BY a.story_id) AS first_at,"
    " MAX(COALESCE(a.updated_at, a.published_at, a.stored_at))"
    " OVER (PARTITION BY a.story_id) AS last_at,"
    f" ROW_NUMBER() OVER (PARTITION BY a.story_id ORDER BY {WHEN}, a.id) AS rn"
    " FROM articles a WHERE a.story_id IN :ids AND a.status = 'visible') t"
    " WHERE rn = 1"
)


@dataclass(frozen=True)
class StoryQuery:
    min_articles: int
    page: int
    per_page: int

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> StoryQuery:
        return cls(
            min_articles=int_param(params, "min_articles", 1, 1, 10_000),
            page=int_param(params, "page", 1, 1, 100_000),
            per_page=int_param(params, "per_page", 20, 1, MAX_PER_PAGE),
        )


def story_objects(
    conn: Connection, stories: list[tuple[int, str]], base_url: str
) -> list[dict[str, Any]]:
    """Stories with their visible article count, first and latest times and first report.

    Counted from the visible articles, not the stories row, so a hidden article
    never shows through as a story's count or its first report.
    """
    if not stories:
        return []
    rows = _FIRST_OF_STORIES.run(conn, [sid for sid, _ in stories]).all()
    firsts = {a["id"]: a for a in articles_by_id(conn, [r[1] for r in rows], base_url)}
    found = {r[0]: r for r in rows}
    objects = []
    for story_id, title in stories:
        row = found.get(story_id)
        if row is None or row[1] not in firsts:
            continue
        first = firsts[row[1]]
        objects.append(
            {
                "id": story_id,
                "title": title or first["title"],
                "url": f"{base_url.rstrip('/')}/s/{story_id}",
                "article_count": row[2],
                "first_published_at": iso(row[3]),
                "last_updated_at": iso(row[4]),
                "first_report": first,
            }
        )
    return objects


def list_stories(conn: Connection, q: StoryQuery, base_url: str) -> list[dict[str, Any]]:
    """Stories with at least ``min_articles`` visible articles, latest change first."""
    rows = conn.execute(
        text(
            "SELECT st.id, st.title FROM stories st WHERE (SELECT COUNT(*) FROM articles a"
            " WHERE a.story_id = st.id AND a.status = 'visible') >= :least"
            # the stories_updated index gives this order, so a page reads few stories
            " ORDER BY st.last_updated_at DESC NULLS LAST, st.id DESC LIMIT :lim OFFSET :off"
        ),
        {"least": q.min_articles, "lim": q.per_page + 1, "off": (q.page - 1) * q.per_page},
    ).all()
    return story_objects(conn, [(r[0], r[1]) for r in rows], base_url)


def one_story(conn: Connection, story_id: int, base_url: str) -> dict[str, Any] | None:
    """The story with every visible article, oldest first, and who reported first."""
    row = conn.execute(text("SELECT id, title FROM stories WHERE id = :s"), {"s": story_id}).first()
    if row is None:
        return None
    found = story_objects(conn, [(row[0], row[1])], base_url)
    if not found:
        return None
    members = conn.execute(
        text(
            f"SELECT {ARTICLE_COLUMNS}{ARTICLE_JOINS} WHERE a.story_id = :s"
            f" AND a.status = 'visible' ORDER BY {WHEN}, a.id"
        ),
        {"s": story_id},
    ).all()
    return {**found[0], "articles": [article_object(r, base_url) for r in members]}


def next_page(request: Request, page: int) -> str:
    query = {**dict(request.query_params), "page": str(page + 1)}
    return str(request.url.replace_query_params(**query))


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
            body["next"] = next_page(request, q.page)
        return JSONResponse(body)

    async def stories(request: Request) -> Response:
        try:
            q = StoryQuery.parse(request.query_params)
        except BadRequest as exc:
            return bad(exc)
        with db.read() as conn:
            items = list_stories(conn, q, base)
        body: dict[str, Any] = {
            "page": q.page,
            "per_page": q.per_page,
            "stories": items[: q.per_page],
        }
        if len(items) > q.per_page:
            body["next"] = next_page(request, q.page)
        return JSONResponse(body)

    async def story(request: Request) -> Response:
        raw = request.path_params["story_id"]
        found = None
        if ID.fullmatch(raw):
            with db.read() as conn:
                found = one_story(conn, int(raw), base)
        if found is None:
            return JSONResponse({"error": "no such story"}, status_code=404)
        return JSONResponse(found)

    async def article(request: Request) -> Response:
        raw = request.path_params["article_id"]
        if not ID.fullmatch(raw):
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
        Route("/api/v1/stories", stories),
        Route("/api/v1/stories/{story_id}", story),
        Route("/api/v1/sources", sources),
        *openapi_routes(settings),
    ]
