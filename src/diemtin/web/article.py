"""The article page, /a/{id}: the spec's blocks around one article (spec: article-page.md)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from diemtin.model import Block, BlockKind
from diemtin.settings import Settings
from diemtin.web import queries
from diemtin.web.blocks import sidebars
from diemtin.web.params import path_id
from diemtin.web.queries import ArticlePage
from diemtin.web.site import PAGE_CACHE, Site

MEDIA = (BlockKind.FIGURE, BlockKind.VIDEO)


@dataclass(frozen=True)
class FollowLink:
    label: str
    url: str


def follow_links(settings: Settings) -> list[FollowLink]:
    pairs = [
        ("Google News", settings.follow_google_news),
        ("Facebook", settings.follow_facebook),
        ("Zalo", settings.follow_zalo),
        ("RSS", settings.follow_rss),
    ]
    return [FollowLink(label, url) for label, url in pairs if url]


def slot_after(blocks: list[Block]) -> int:
    """How many body blocks come before the "Video đang HOT" slot.

    After the first media or the second paragraph, whichever comes first. A
    figure is one block holding its caption, so the slot never splits them.
    """
    paragraphs = 0
    for i, block in enumerate(blocks):
        if block.kind in MEDIA:
            return i + 1
        if block.kind is BlockKind.PARAGRAPH:
            paragraphs += 1
            if paragraphs == 2:
                return i + 1
    return len(blocks)


def _visible(page: ArticlePage | None) -> ArticlePage:
    if page is None or page.status == "hidden":
        raise HTTPException(404)
    if page.status == "removed":
        raise HTTPException(410)
    return page


def article_routes(site: Site) -> list[Route]:
    async def article(request: Request) -> Response:
        article_id = path_id(request.path_params["article_id"])
        with site.db.read() as conn:
            page = _visible(queries.article(conn, article_id))
            side = sidebars(conn, article_id, now=site.now(), settings=site.settings)
            follow = queries.article(conn, side.next_article) if side.next_article else None
        if follow is not None and follow.status != "visible":
            follow = None
        return site.render(
            "article.html",
            cache=PAGE_CACHE,
            a=page,
            slot=slot_after(page.blocks),
            side=side,
            next_a=follow,
            next_slot=slot_after(follow.blocks) if follow else 0,
            follow=follow_links(site.settings),
            canonical=f"{site.settings.base_url.rstrip('/')}/a/{page.id}",
        )

    async def slugged(request: Request) -> Response:
        """/a/123-tieu-de-bai-viet, as other sites may link: the id decides, /a/123 is canonical."""
        return RedirectResponse(f"/a/{request.path_params['article_id']}", status_code=301)

    return [
        Route("/a/{article_id:int}-{slug}", slugged),
        Route("/a/{article_id}", article),
    ]
