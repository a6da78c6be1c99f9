"""Lists of articles: home, categories (/c/), sources (/nguon/), tags (/tu-khoa/), stories (/s/)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from diemtin.web import lists, queries
from diemtin.web.lists import Named
from diemtin.web.params import page_number, path_id, path_name
from diemtin.web.site import HOME_CACHE, PAGE_CACHE, Site


def listing_routes(site: Site) -> list[Route]:
    size = site.settings.page_size

    def paged(
        request: Request,
        title: str,
        where: str,
        params: dict[str, object],
        category: Named | None = None,
    ) -> Response:
        page = page_number(request.query_params)
        with site.db.read() as conn:
            items = lists.articles_where(
                conn, where, params, limit=size + 1, offset=(page - 1) * size
            )
        if page > 1 and not items:
            raise HTTPException(404)
        return site.render(
            "list.html",
            cache=PAGE_CACHE,
            title=title,
            items=items[:size],
            page=page,
            has_next=len(items) > size,
            path=request.url.path,
            category=category,
        )

    async def home(request: Request) -> Response:
        with site.db.read() as conn:
            hot = lists.hot_stories(conn, site.settings.home_hot_stories)
            sections = lists.sections(conn, site.settings.home_per_category)
            latest = [] if sections else lists.articles_where(conn, "1 = 1", {}, limit=size)
            empty = None if sections or latest else queries.why_empty(conn)
        # an empty site says why, and that changes with each feed check: never cached
        cache = None if empty else HOME_CACHE
        return site.render(
            "home.html", cache=cache, hot=hot, sections=sections, latest=latest, empty=empty
        )

    async def category(request: Request) -> Response:
        with site.db.read() as conn:
            cat = lists.category(conn, path_name(request.path_params["slug"]))
        if cat is None:
            raise HTTPException(404)
        if cat.moved_to:
            return RedirectResponse(f"/c/{cat.moved_to}", status_code=301)
        return paged(request, cat.name, "a.category_id = :c", {"c": cat.id}, cat)

    async def source(request: Request) -> Response:
        with site.db.read() as conn:
            src = lists.source(conn, path_name(request.path_params["slug"]))
        if src is None:
            raise HTTPException(404)
        return paged(request, f"Tin từ {src.name}", "a.source_id = :s", {"s": src.id})

    async def tag(request: Request) -> Response:
        name = path_name(request.path_params["tag"])
        with site.db.read() as conn:
            known = lists.tag_exists(conn, name)
        if not known:
            raise HTTPException(404)
        where = "a.id IN (SELECT article_id FROM article_tags WHERE tag = :t)"
        return paged(request, f"Từ khóa: {name}", where, {"t": name})

    async def story(request: Request) -> Response:
        story_id = path_id(request.path_params["story_id"])
        with site.db.read() as conn:
            moved = lists.story_moved(conn, story_id)
            items = lists.story_articles(conn, story_id) if moved is None else []
        if moved is False:
            raise HTTPException(404)
        if moved is not None:
            return RedirectResponse(f"/s/{moved}", status_code=301)
        if not items:
            raise HTTPException(410)
        return site.render("story.html", cache=PAGE_CACHE, items=items, story_id=story_id)

    return [
        Route("/", home),
        Route("/c/{slug}", category),
        Route("/nguon/{slug}", source),
        Route("/tu-khoa/{tag}", tag),
        Route("/s/{story_id}", story),
    ]
