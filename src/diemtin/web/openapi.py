"""The OpenAPI 3.1 description of /api/v1, kept by hand beside the code it describes.

tests/unit/web/test_openapi.py holds it to the app: every /api/v1 route is
described, every described path is served, and answers carry the required fields.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from diemtin.settings import Settings
from diemtin.web.openapi_schemas import SCHEMAS, ref

PATH = "/api/v1/openapi.json"


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _path_id(name: str, description: str) -> dict[str, Any]:
    schema = {"type": "string", "pattern": "^[0-9]{1,18}$"}
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _get(
    summary: str, ok: dict[str, Any], params: list[dict[str, Any]], *errors: int
) -> dict[str, Any]:
    return {"get": _operation(summary, _json(ok, "OK"), params, *errors)}


_SLUG = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,200}$"}
PAGE = _query("page", "page number, from 1", {"type": "integer", "minimum": 1, "maximum": 100000})
PER_PAGE = _query("per_page", "items per page", {"type": "integer", "minimum": 1, "maximum": 100})
CATEGORY = _query("category", "category slug", _SLUG)
SOURCE = _query("source", "source slug", _SLUG)
DAY = {"type": "string", "format": "date"}


_ERRORS = {
    400: "Malformed request",
    403: "No valid poll token",
    404: "Not found",
    429: "Too many votes",
}


def _operation(
    summary: str, ok: dict[str, Any], params: list[dict[str, Any]], *errors: int
) -> dict[str, Any]:
    responses = {"200": ok} | {str(c): _json(ref("Error"), _ERRORS[c]) for c in errors}
    return {"summary": summary, "parameters": params, "responses": responses}


def signal_paths() -> dict[str, Any]:
    """Reader signals (web/engage.py): the view beacon, the helpful poll, "why", "for you"."""
    article = [_path_id("article_id", "article id")]
    vote = _operation(
        "Vote helpful or not", _json(ref("Poll"), "The poll now"), article, 400, 403, 404, 429
    )
    vote["requestBody"] = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["helpful"],
                    "properties": {"helpful": {"type": "boolean"}},
                }
            }
        },
    }
    vote["parameters"] = [
        *article,
        {"name": "X-CSRF-Token", "in": "header", "required": True, "schema": {"type": "string"}},
    ]
    view = _operation(
        "Count one view (a reader's first today)", {"description": "OK"}, article, 404
    )
    view["responses"]["204"] = view["responses"].pop("200")
    return {
        "/api/v1/articles/{article_id}/view": {"post": view},
        "/api/v1/articles/{article_id}/poll": {
            "get": _operation(
                "The helpful poll and a vote token", _json(ref("Poll"), "OK"), article, 404
            )
        },
        "/api/v1/articles/{article_id}/vote": {"post": vote},
        "/api/v1/articles/{article_id}/why": {
            "get": _operation(
                "Why the sidebars hold what they hold", _json(ref("Why"), "OK"), article, 404
            )
        },
        "/api/v1/for-you": {
            "get": _operation(
                '"Có thể bạn quan tâm" for a reading history',
                _json(ref("ForYou"), "OK"),
                [
                    _query("article", "the article being read", {"type": "integer"}),
                    _query("seen", "ids read before, comma-separated", {"type": "string"}),
                ],
                400,
            )
        },
    }


def document(settings: Settings) -> dict[str, Any]:
    """The whole description; ``servers`` names this site so clients can try it."""
    paths: dict[str, Any] = {
        "/api/v1/articles": _get(
            "Articles, newest first",
            ref("ArticleList"),
            [
                CATEGORY,
                SOURCE,
                _query("story", "story id", {"type": "integer", "minimum": 1}),
                PAGE,
                PER_PAGE,
            ],
            400,
        ),
        "/api/v1/articles/{article_id}": _get(
            "One article", ref("Article"), [_path_id("article_id", "article id")], 404
        ),
        "/api/v1/categories": _get("Categories with their article counts", ref("CategoryList"), []),
        "/api/v1/sources": _get("Publishers", ref("SourceList"), []),
        "/api/v1/stories": _get(
            "Stories (one event as told by several publishers), latest change first",
            ref("StoryList"),
            [
                _query(
                    "min_articles",
                    "only stories with this many articles",
                    {"type": "integer", "minimum": 1},
                ),
                PAGE,
                PER_PAGE,
            ],
            400,
        ),
        "/api/v1/stories/{story_id}": _get(
            "One story: every visible article oldest first, and who reported first",
            ref("StoryDetail"),
            [_path_id("story_id", "story id")],
            404,
        ),
        "/api/v1/search": _get(
            "Accent-insensitive full-text search, best first",
            ref("SearchResult"),
            [
                _query("q", "the words sought", {"type": "string", "maxLength": 200}),
                CATEGORY,
                SOURCE,
                _query("from", "first day, Vietnam time", DAY),
                _query("to", "last day, Vietnam time", DAY),
                PAGE,
                PER_PAGE,
            ],
            400,
        ),
        "/api/v1/suggest": _get(
            "Title suggestions for a prefix",
            ref("Suggestions"),
            [_query("q", "what has been typed", {"type": "string", "maxLength": 200})],
            400,
        ),
        PATH: _get("This description", {"type": "object"}, []),
        **signal_paths(),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{settings.site_name} API",
            "version": "1",
            "description": "Vietnamese news from many publishers; ISO 8601 times, Vietnam.",
        },
        "servers": [{"url": settings.base_url.rstrip("/")}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }


def openapi_routes(settings: Settings) -> list[Route]:
    doc = document(settings)

    async def serve(request: Request) -> Response:
        return JSONResponse(doc, headers={"Cache-Control": "public, max-age=3600"})

    return [Route(PATH, serve)]
