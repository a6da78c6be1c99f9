"""Out of the site: RSS 2.0 for the site and each category, sitemap.xml (an index of
one sitemap per day once the site outgrows one file), the Google News sitemap and
robots.txt.

Every document is built with ElementTree after stripping the characters XML 1.0
forbids, so a title with ``&``, ``<`` or a stray control character can never make
a feed malformed. Each answer carries an ETag of its bytes and the newest
article's time as Last-Modified, so readers and crawlers poll for free.
"""

from __future__ import annotations

import hashlib
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, formatdate, parsedate_to_datetime

from sqlalchemy import Connection, text
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from diemtin.settings import Settings
from diemtin.store.db import Database
from diemtin.timefmt import VIETNAM
from diemtin.web.api import BadRequest, int_param, page_url

FEED_ITEMS = 50
SITEMAP_MAX = 50_000  # the sitemap protocol's limit of URLs per file
NEWS_MAX = 1_000  # Google News reads at most this many per sitemap
NEWS_WINDOW = 2 * 86_400  # Google News wants articles of the last two days only
CACHE = "public, max-age=300, stale-while-revalidate=600"
RSS_TYPE = "application/rss+xml; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_NS = "http://search.yahoo.com/mrss/"  # Media RSS: an image without enclosure's byte length
VN_OFFSET = 7 * 3600  # Vietnam has no daylight saving: a day there is a fixed UTC window

# Everything outside XML 1.0's Char production: C0 controls but tab/newline/CR,
# lone surrogates, U+FFFE and U+FFFF.
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_WHEN = "COALESCE(a.published_at, a.stored_at)"
_TOUCHED = "COALESCE(a.updated_at, a.published_at, a.stored_at)"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def clean(value: str | None) -> str:
    """Text safe to put in XML: forbidden characters dropped (escaping is the serializer's)."""
    return _INVALID_XML.sub("", value or "")


def rfc822(epoch: int) -> str:
    """RSS dates, e.g. ``Wed, 22 Oct 2025 08:00:00 +0700``."""
    return format_datetime(datetime.fromtimestamp(epoch, UTC).astimezone(VIETNAM))


def w3c(epoch: int) -> str:
    """Sitemap dates, e.g. ``2025-10-22T08:00:00+07:00``."""
    return datetime.fromtimestamp(epoch, UTC).astimezone(VIETNAM).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Entry:
    id: int
    title: str
    sapo: str
    when: int  # published, else stored
    touched: int  # last updated, else published, else stored
    category: str | None
    image: str | None


@dataclass(frozen=True)
class Category:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class Window:
    """Which visible articles a document lists: a category, a time span (by publish time,
    else store time), a page."""

    category: int | None = None
    since: int | None = None
    until: int | None = None  # exclusive
    limit: int = FEED_ITEMS
    offset: int = 0


def _branch(dated: bool, w: Window) -> str:
    """One half of ``entries``: dated articles by published_at (articles_published or
    articles_category serves the order), or undated ones by stored_at, which is set once,
    when the row is made, so it follows the id and the primary key serves that order."""
    col = "a.published_at" if dated else "a.stored_at"
    order = f"{col} DESC, a.id DESC" if dated else "a.id DESC"
    where = ["a.status = 'visible'", f"a.published_at IS {'NOT ' if dated else ''}NULL"]
    if w.category is not None:
        where.append("a.category_id = :cat")
    if w.since is not None:
        where.append(f"{col} >= :since")
    if w.until is not None:
        where.append(f"{col} < :until")
    return (
        f"SELECT * FROM (SELECT a.id AS id, a.title AS title, a.sapo AS sapo, {col} AS t,"
        " COALESCE(a.updated_at, a.published_at, a.stored_at) AS touched, c.name AS category,"
        " a.lead_image AS image"
        " FROM articles a LEFT JOIN categories c ON c.id = a.category_id"
        f" WHERE {' AND '.join(where)} ORDER BY {order} LIMIT :n)"
        f" {'dated' if dated else 'undated'}"
    )


def entries(conn: Connection, w: Window = Window()) -> list[Entry]:
    """Visible articles, newest first (publish time, else store time).

    Sorting on COALESCE(published_at, stored_at) would read every article for a
    feed of fifty; the newest of the dated and the newest of the undated, merged,
    are the same list and each half walks an index.
    """
    rows = conn.execute(
        text(
            f"{_branch(True, w)} UNION ALL {_branch(False, w)}"
            " ORDER BY 4 DESC, 1 DESC LIMIT :lim OFFSET :off"
        ),
        {
            "n": w.limit + w.offset,
            "lim": w.limit,
            "off": w.offset,
            "cat": w.category,
            "since": w.since,
            "until": w.until,
        },
    ).all()
    return [Entry(*row) for row in rows]


def find_category(conn: Connection, slug: str) -> Category | str | None:
    """The category, the slug it was merged into (a string), or None when unknown."""
    row = conn.execute(
        text(
            "SELECT c.id, c.slug, c.name, m.slug FROM categories c"
            " LEFT JOIN categories m ON m.id = c.merged_into WHERE c.slug = :s"
        ),
        {"s": slug},
    ).first()
    if row is None:
        return None
    return str(row[3]) if row[3] else Category(row[0], row[1], row[2])


def sub(parent: ET.Element, tag: str, value: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    if value is not None:
        node.text = clean(value)
    return node


def rss(base: str, title: str, link: str, self_url: str, items: list[Entry]) -> ET.Element:
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS, "xmlns:media": MEDIA_NS})
    channel = sub(root, "channel")
    sub(channel, "title", title)
    sub(channel, "link", link)
    sub(channel, "description", f"Tin mới nhất: {title}")
    sub(channel, "language", "vi")
    sub(channel, "atom:link", href=self_url, rel="self", type="application/rss+xml")
    if items:
        sub(channel, "lastBuildDate", rfc822(max(e.touched for e in items)))
    for e in items:
        item = sub(channel, "item")
        url = page_url(base, e.id)
        sub(item, "title", e.title)
        sub(item, "link", url)
        if e.sapo:
            sub(item, "description", e.sapo)
        if e.category:
            sub(item, "category", e.category)
        sub(item, "guid", url, isPermaLink="true")
        sub(item, "pubDate", rfc822(e.when))
        if e.image and e.image.startswith(("https://", "http://")):
            sub(item, "media:content", url=clean(e.image), medium="image")
    return root


def urlset(urls: list[tuple[str, int | None]]) -> ET.Element:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for loc, lastmod in urls:
        url = sub(root, "url")
        sub(url, "loc", loc)
        if lastmod is not None:
            sub(url, "lastmod", w3c(lastmod))
    return root


def news_sitemap(base: str, site_name: str, items: list[Entry]) -> ET.Element:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for e in items:
        url = sub(root, "url")
        sub(url, "loc", page_url(base, e.id))
        news = sub(url, "news:news")
        publication = sub(news, "news:publication")
        sub(publication, "news:name", site_name)
        sub(publication, "news:language", "vi")
        sub(news, "news:publication_date", w3c(e.when))
        sub(news, "news:title", e.title)
    return root


def section_urls(conn: Connection, base: str) -> list[tuple[str, int | None]]:
    """The home page and each category page that has visible articles, with its newest change."""
    rows = conn.execute(
        text(
            f"SELECT c.slug, MAX({_TOUCHED}) FROM categories c JOIN articles a"
            " ON a.category_id = c.id AND a.status = 'visible'"
            " WHERE c.merged_into IS NULL GROUP BY c.slug ORDER BY c.slug"
        )
    ).all()
    newest = max((int(r[1]) for r in rows), default=None)
    return [(f"{base}/", newest)] + [(f"{base}/c/{r[0]}", int(r[1])) for r in rows]


def day_counts(conn: Connection) -> list[tuple[date, int, int]]:
    """(Vietnam day, visible articles, newest change) for every day that has any, newest first."""
    rows = conn.execute(
        text(
            f"SELECT d, COUNT(*), MAX(t) FROM (SELECT ({_WHEN} + {VN_OFFSET}) / 86400 AS d,"
            f" {_TOUCHED} AS t FROM articles a WHERE a.status = 'visible') x"
            " GROUP BY d ORDER BY d DESC"
        )
    ).all()
    epoch = date(1970, 1, 1)
    return [(epoch + timedelta(days=int(r[0])), int(r[1]), int(r[2])) for r in rows]


def parse_day(raw: str) -> date | None:
    if not _DAY.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def not_modified(request: Request, etag: str, last_modified: int | None) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        return etag in [t.strip().removeprefix("W/") for t in match.split(",")] or match == "*"
    since = request.headers.get("if-modified-since")
    if since and last_modified is not None:
        try:
            return int(parsedate_to_datetime(since).timestamp()) >= last_modified
        except (TypeError, ValueError):
            return False
    return False


def xml_response(
    request: Request, root: ET.Element, last_modified: int | None, media_type: str = XML_TYPE
) -> Response:
    xml = ET.tostring(root, encoding="unicode")
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n' + xml).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:24] + '"'
    headers = {"ETag": etag, "Cache-Control": CACHE}
    if last_modified is not None:
        headers["Last-Modified"] = formatdate(last_modified, usegmt=True)
    if not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _bad(exc: BadRequest) -> Response:
    return PlainTextResponse(str(exc), status_code=400)


def syndication_routes(
    db: Database,
    settings: Settings,
    clock: Callable[[], float] = time.time,
    sitemap_max: int = SITEMAP_MAX,
) -> list[Route]:
    base = settings.base_url.rstrip("/")
    site_name = settings.site_name

    def newest(items: list[Entry]) -> int | None:
        return max((e.touched for e in items), default=None)

    async def site_feed(request: Request) -> Response:
        with db.read() as conn:
            items = entries(conn)
        root = rss(base, site_name, f"{base}/", f"{base}/rss.xml", items)
        return xml_response(request, root, newest(items), RSS_TYPE)

    async def category_feed(request: Request) -> Response:
        slug = request.path_params["slug"]
        with db.read() as conn:
            # a NUL would reach PostgreSQL as an error, not as an unknown slug
            known = len(slug) <= 200 and slug.isprintable()
            found = find_category(conn, slug) if known else None
            items: list[Entry] = []
            if isinstance(found, Category):
                items = entries(conn, Window(category=found.id))
        if found is None:
            return PlainTextResponse("Không có chuyên mục này", status_code=404)
        if isinstance(found, str):  # merged by an operator: readers follow it
            return RedirectResponse(f"{base}/rss/{found}.xml", status_code=301)
        title = f"{found.name} - {site_name}"
        self_url = f"{base}/rss/{found.slug}.xml"
        root = rss(base, title, f"{base}/c/{found.slug}", self_url, items)
        return xml_response(request, root, newest(items), RSS_TYPE)

    async def sitemap(request: Request) -> Response:
        items: list[Entry] = []
        with db.read() as conn:
            days = day_counts(conn)
            sections = section_urls(conn, base)
            large = sum(n for _, n, _ in days) + len(sections) > sitemap_max
            if not large:
                items = entries(conn, Window(limit=sitemap_max))
        last = max((t for _, _, t in days), default=None)
        if not large:
            urls = sections + [(page_url(base, e.id), e.touched) for e in items]
            return xml_response(request, urlset(urls), last)
        index = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
        sub(sub(index, "sitemap"), "loc", f"{base}/sitemaps/sections.xml")
        for day, count, touched in days:
            for part in range(1, -(-count // sitemap_max) + 1):
                loc = f"{base}/sitemaps/{day.isoformat()}.xml"
                node = sub(index, "sitemap")
                sub(node, "loc", loc if part == 1 else f"{loc}?part={part}")
                sub(node, "lastmod", w3c(touched))
        return xml_response(request, index, last)

    async def sections_sitemap(request: Request) -> Response:
        with db.read() as conn:
            urls = section_urls(conn, base)
        last = max((t for _, t in urls if t is not None), default=None)
        return xml_response(request, urlset(urls), last)

    async def day_sitemap(request: Request) -> Response:
        day = parse_day(request.path_params["day"])
        if day is None:
            return PlainTextResponse("Không có sơ đồ trang này", status_code=404)
        try:
            part = int_param(request.query_params, "part", 1, 1, 100_000)
        except BadRequest as exc:
            return _bad(exc)
        start = int(datetime(day.year, day.month, day.day, tzinfo=VIETNAM).timestamp())
        window = Window(None, start, start + 86_400, sitemap_max, (part - 1) * sitemap_max)
        with db.read() as conn:
            items = entries(conn, window)
        if not items:
            return PlainTextResponse("Không có sơ đồ trang này", status_code=404)
        urls: list[tuple[str, int | None]] = [(page_url(base, e.id), e.touched) for e in items]
        return xml_response(request, urlset(urls), newest(items))

    async def news(request: Request) -> Response:
        now = int(clock())
        # a publisher's clock running ahead must not put tomorrow's date in front of Google
        window = Window(since=now - NEWS_WINDOW, until=now + 1, limit=NEWS_MAX)
        with db.read() as conn:
            items = entries(conn, window)
        return xml_response(request, news_sitemap(base, site_name, items), newest(items))

    async def robots(request: Request) -> Response:
        lines = [
            "User-agent: *",
            "Allow: /",
            "Disallow: /api/",
            "Disallow: /tim-kiem",
            f"Sitemap: {base}/sitemap.xml",
            f"Sitemap: {base}/sitemap-news.xml",
        ]
        return PlainTextResponse("\n".join(lines) + "\n", headers={"Cache-Control": CACHE})

    return [
        Route("/rss.xml", site_feed),
        Route("/rss/{slug}.xml", category_feed),
        Route("/sitemap.xml", sitemap),
        Route("/sitemaps/sections.xml", sections_sitemap),
        Route("/sitemaps/{day}.xml", day_sitemap),
        Route("/sitemap-news.xml", news),
        Route("/robots.txt", robots),
    ]
